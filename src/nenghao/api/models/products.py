"""Answers about enterprises against thresholds: key-unit status and unit-product quotas."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from nenghao.accounting.unit_product import QuotaAssessment
from nenghao.api.models.catalog import ANSWERED
from nenghao.api.models.numbers import Energy, Tce, UnitProduct
from nenghao.standards import Level

ActualLevel = Literal["key", "designated_range", "below"]


class KeyUnitThresholds(BaseModel):
    key_tce: float = Field(description="key-unit threshold [tce/yr]")
    designated_tce: float = Field(description="lower threshold for designation [tce/yr]")
    source: str
    status: str = Field(description="confirmed, or verify: not yet checked against the source")


class KeyUnitRow(BaseModel):
    enterprise_id: int
    name: str
    division_code: str
    industry_code: str
    registered_level: Literal["key", "designated", "none"]
    actual_tce: Tce = Field(description="annual comprehensive consumption, 当量值 [tce]")
    actual_level: ActualLevel
    finding: Literal[
        "consistent",
        "below_key_threshold",
        "below_thresholds",
        "above_registered_level",
        "unregistered_key_unit",
        "may_be_designated",
    ]
    previous_tce: Tce = Field(description="the year before's consumption, 当量值 [tce]")
    previous_level: ActualLevel


class KeyUnitChange(BaseModel):
    """An enterprise that entered or left the key-unit list, with both years' consumption."""

    enterprise_id: int
    name: str
    division_code: str
    actual_tce: Tce = Field(description="the year's consumption [tce]")
    previous_tce: Tce = Field(description="the year before's consumption [tce]")


class YearCoverage(BaseModel):
    """Whether a year is over and how many of its months have fence consumption in scope."""

    year: int
    over: bool
    months_with_data: int
    complete: bool = Field(description="over and all twelve months with data")


class KeyUnits(BaseModel):
    """Each enterprise's actual annual consumption against its registered key-unit level
    (重点用能单位)."""

    year: int
    year_complete: bool
    previous_year: int
    coverage: list[YearCoverage] = Field(description="the year, then the year before")
    additions: list[KeyUnitChange] = Field(description="key units now, not the year before")
    removals: list[KeyUnitChange] = Field(description="key units the year before, not now")
    basis: Literal["equivalent"]
    thresholds: KeyUnitThresholds
    rows: list[KeyUnitRow]
    notes: dict[str, str]


class QuotaAssessmentOut(QuotaAssessment):
    """Where a unit consumption stands against the quota edition in force."""

    model_config = ANSWERED

    value: UnitProduct
    thresholds: dict[Level, UnitProduct] = Field(
        description="level thresholds after corrections [kgce/t]; base_thresholds keep the "
        "catalogue's digits"
    )


class UnitProductRow(BaseModel):
    """One product: output, boundary consumption, unit consumption and its quota level.

    ``unit`` is absent without output; ``quota`` is there when ``status`` is ``assessed``,
    ``message`` otherwise.
    """

    item_id: int
    item_code: str
    product_code: str | None
    product_name: str
    boundary: str
    output_t: Energy = Field(description="qualified output [t]")
    boundary_consumption_tce: Tce = Field(
        description="process energy of the boundary, feedstock left out, exports deducted [tce]"
    )
    recovered_energy_deducted_tce: Tce
    feedstock_excluded_tce: Tce = Field(
        description="feedstock charged into the product (原料), not process energy [tce]"
    )
    boundary_items: int
    shared_boundary: bool
    basis: Literal["equivalent"]
    unit_consumption: UnitProduct | None = Field(description="[unit]; null without output")
    unit: str | None = None
    status: Literal[
        "assessed", "quota_values_not_loaded", "no_quota_in_force", "no_quota_standard", "no_output"
    ]
    edition: str | None = Field(
        default=None,
        description="with quota_values_not_loaded: the edition in force whose values are "
        "not entered",
    )
    message: str | None = None
    quota: QuotaAssessmentOut | None = None


class UnitProducts(BaseModel):
    """Each product of an enterprise against the quota edition in force on ``quota_date``."""

    enterprise_id: int
    enterprise_name: str
    period: str
    quota_date: str = Field(description="the period's last CST day, YYYY-MM-DD")
    rows: list[UnitProductRow]
    notes: dict[str, str]
