"""Answers about every enterprise's products against their quotas (超限额, 能效对标)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from nenghao.api.models.numbers import Energy, UnitProduct
from nenghao.standards import Level, Status


class ComplianceRow(BaseModel):
    """One product of one enterprise against the quota edition in force.

    ``level``, ``limit`` and the edition are null when the product is not assessed
    (``status`` says why: no output, no quota in force, values not entered).
    """

    enterprise_id: int
    enterprise_name: str
    division_code: str
    division_name: str
    industry_code: str
    industry_name: str
    item_id: int
    product_code: str | None
    product_name: str
    output_t: Energy = Field(description="qualified output [t]")
    unit_consumption: UnitProduct | None = Field(description="[kgce/t]; null without output")
    unit: str
    status: Literal[
        "assessed", "quota_values_not_loaded", "no_quota_in_force", "no_quota_standard", "no_output"
    ]
    level: Literal["L1", "L2", "L3", "above_limit"] | None
    limit: UnitProduct | None = Field(description="Level 3 after corrections [kgce/t]")
    excess: UnitProduct | None = Field(description="value - limit [kgce/t]; > 0 above it")
    thresholds: dict[Level, UnitProduct] = Field(description="levels after corrections [kgce/t]")
    edition: str | None = Field(description="the quota standard in force (its number)")
    edition_title: str | None
    edition_status: Status | None = Field(
        description="unverified when the edition or a correction applied is"
    )
    local: bool | None = Field(description="a locally configured quota")
    message: str | None = Field(description="why the product is not assessed")


class ComplianceCounts(BaseModel):
    products: int = Field(description="product rows in scope and filters")
    assessed: int
    exceeding: int = Field(description="rows above the limit")
    exceeding_enterprises: int


class QuotaCompliance(BaseModel):
    """Every enterprise's products in scope against their quotas, worst level first."""

    period: str = Field(description="the period asked")
    start: str = Field(description="first CST day read, YYYY-MM-DD")
    end: str = Field(description="last CST day read, YYYY-MM-DD")
    partial: bool = Field(description="the period is in progress: read up to its last full day")
    through: str | None = Field(description="截至 label of a partial period")
    quota_date: str = Field(description="the day whose quota editions apply, YYYY-MM-DD")
    only_exceeders: bool
    rows: list[ComplianceRow]
    counts: ComplianceCounts
    notes: dict[str, str]
