"""Answers of the annual report routes (``nenghao.store.annual_reports``): the report with its
figures, its versions, and the city's list with deadlines."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from nenghao.api.models.numbers import Co2, Energy, IntensityValue, Money, Rate, Tce, UnitProduct
from nenghao.api.serialize import Model
from nenghao.store.annual_parts import AnnualParts

Status = Literal["draft", "submitted", "returned", "accepted"]
ListedStatus = Literal["not_started", "draft", "submitted", "returned", "accepted"]


class AnnualTotals(BaseModel):
    equivalent_tce: Tce = Field(description="综合能源消费量（当量值）[tce]")
    equal_tce: Tce = Field(description="综合能源消费量（等价值）[tce]")
    tco2: Co2
    raw_material_tce: Tce
    exported_tce: Tce
    renewable_electricity_kwh: Energy
    output_value_10k_yuan: Money
    added_value_10k_yuan: Money
    equal_value_complete: bool


class AnnualIntensity(BaseModel):
    per_output_value: IntensityValue | None = Field(description="[tce/万元]")
    per_added_value: IntensityValue | None = Field(description="[tce/万元]")


class AnnualQuantity(BaseModel):
    quantity: Energy
    unit: str


class AnnualEnergyKind(BaseModel):
    energy_kind: str
    name: str
    quantities: list[AnnualQuantity] = Field(description="实物量 in the units metered")
    used_tce: Tce = Field(description="当量值 [tce]")
    equal_tce: Tce | None = Field(description="等价值 [tce]")
    share: Rate | None


class AnnualProduct(BaseModel):
    product_name: str | None
    output_t: Energy
    unit_consumption: UnitProduct | None
    unit: str | None
    status: str
    level: str | None
    thresholds: dict[str, UnitProduct | None] | None
    edition: str | None


class AnnualIndicator(BaseModel):
    target: Tce | None
    to_date: Tce | None
    ratio: Rate | None
    level: str | None


class AnnualTarget(BaseModel):
    basis: str
    indicators: dict[str, AnnualIndicator]


class AnnualMonthShort(BaseModel):
    month: str
    expected: int
    received: int
    rate: Rate | None


class AnnualCoverage(BaseModel):
    months: int
    complete_months: int
    incomplete: list[AnnualMonthShort] = Field(description="months whose data are incomplete")
    not_assessed: list[str] = Field(description="months the monitor has not scored")
    rate: Rate | None = Field(description="data points received / expected over the year")


class AnnualFigures(BaseModel):
    """What the platform knows of the year (read-only for the enterprise)."""

    year: int
    computed_at: str
    totals: AnnualTotals
    intensity: AnnualIntensity
    energy_kinds: list[AnnualEnergyKind]
    unit_products: list[AnnualProduct]
    target: AnnualTarget | None
    coverage: AnnualCoverage
    coefficients: list[dict[str, Any]]


class AnnualDeadline(BaseModel):
    due: str = Field(description="the last day for filing (CST date)")
    overdue: bool = Field(description="past the deadline and not submitted or accepted")
    source: str
    status: str


class AnnualReportOut(Model):
    """An enterprise's annual report; times are Unix seconds."""

    id: int
    enterprise_id: int
    enterprise_name: str
    year: int
    status: Status
    version: int = Field(description="the current version number (0: nothing saved yet)")
    parts: AnnualParts
    review_comment: str | None
    submitted_at: int | None
    reviewed_at: int | None
    accepted_version: int | None
    created_at: int
    updated_at: int
    figures: AnnualFigures
    figures_source: Literal["live", "submitted"] = Field(
        description="live: read now from the monitored and filed data; submitted: as submitted"
    )
    missing: list[str] = Field(description="required parts still empty (submit refuses)")
    deadline: AnnualDeadline


class AnnualVersionOut(Model):
    version: int
    event: Literal["saved", "submitted"]
    parts: AnnualParts
    figures: AnnualFigures | None
    author: str
    created_at: int
    review: Literal["returned", "accepted"] | None
    review_comment: str | None
    reviewed_by: str | None
    reviewed_at: int | None


class AnnualListedReport(Model):
    enterprise_id: int
    enterprise_name: str
    division_code: str
    report_id: int | None
    status: ListedStatus
    version: int | None
    submitted_at: int | None
    reviewed_at: int | None
    accepted_version: int | None
    overdue: bool
