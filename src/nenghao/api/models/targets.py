"""Answers of the dual-control target routes (``nenghao.analytics.targets``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from nenghao.analytics.projection import Level, Method, Reason
from nenghao.api.models.numbers import Co2, Energy, IntensityValue, Money, Rate, Tce, TceOrCo2


class TargetOut(BaseModel):
    """A dual-control target; times are Unix seconds."""

    id: int
    year: int
    level: Literal["city", "division", "enterprise"]
    subject: str
    division_code: str | None
    enterprise_id: int | None
    basis: Literal["equivalent", "equal"]
    total_energy_tce: Tce | None = Field(description="assessed total [tce]")
    energy_intensity: IntensityValue | None = Field(description="[tce/万元 added value]")
    total_co2_t: Co2 | None = Field(description="[tCO2]")
    carbon_intensity: IntensityValue | None = Field(description="[tCO2/万元]")
    renewable_base_kwh: Energy | None = Field(description="renewable electricity of the base [kWh]")
    note: str | None
    created_at: int
    updated_at: int


class YearToDate(BaseModel):
    gross_tce: Tce
    raw_material_tce: Tce
    renewable_kwh: Energy
    tco2: Co2
    added_value: Money = Field(description="[万元]")
    renewable_above_base_tce: Tce
    assessed_tce: Tce


class Deduction(BaseModel):
    to_date: Tce
    projected: Tce


class Deductions(BaseModel):
    """What the assessed total leaves out, shown separately."""

    raw_material_tce: Deduction
    renewable_above_base_tce: Deduction
    renewable_base_kwh: Energy
    renewable_base_source: str = Field(description="English; renewable_base_origin says it")
    renewable_base_origin: Literal["target", "metered", "none"] = Field(
        description="set on the target, metered in the base year, or none (taken as 0 kWh)"
    )
    renewable_base_year: int
    renewable_to_date_rule: str


class _Projection(BaseModel):
    """A year-end projection and how it was made (``nenghao.analytics.projection``)."""

    method: Method
    days_elapsed: int
    days_in_year: int
    share: Rate | None
    explanation: str = Field(description="English; the other fields give it in parts")
    reason: Reason | None = Field(
        default=None, description="with linear_run_rate: why last year's profile was not used"
    )


class ProjectionTce(_Projection):
    """A projection of a figure in [tce]."""

    value: Tce
    year_to_date: Tce
    last_year_same_period: Tce | None
    last_year_total: Tce | None


class ProjectionKwh(_Projection):
    """A projection of a figure in [kWh]."""

    value: Energy
    year_to_date: Energy
    last_year_same_period: Energy | None
    last_year_total: Energy | None


class ProjectionCo2(_Projection):
    """A projection of a figure in [tCO2]."""

    value: Co2
    year_to_date: Co2
    last_year_same_period: Co2 | None
    last_year_total: Co2 | None


class ProjectionMoney(_Projection):
    """A projection of a figure in [万元]."""

    value: Money
    year_to_date: Money
    last_year_same_period: Money | None
    last_year_total: Money | None


class Projections(BaseModel):
    gross_tce: ProjectionTce
    raw_material_tce: ProjectionTce
    renewable_kwh: ProjectionKwh
    tco2: ProjectionCo2
    added_value: ProjectionMoney


class IndicatorProgress(BaseModel):
    target: TceOrCo2 | None = Field(description="[tce], [tCO2] or an intensity [/万元]")
    to_date: TceOrCo2 | None
    projected: TceOrCo2 | None
    ratio: Rate | None = Field(description="projected / target")
    level: Level | None


class Indicators(BaseModel):
    total_energy_tce: IndicatorProgress
    energy_intensity: IndicatorProgress
    total_co2_t: IndicatorProgress
    carbon_intensity: IndicatorProgress


class Thresholds(BaseModel):
    yellow: Rate
    red: Rate


class ProgressOut(BaseModel):
    """Year to date, deductions, year-end projection and warning level of a target."""

    target: TargetOut
    as_of: str = Field(description="the last CST day counted, YYYY-MM-DD")
    days_elapsed: int
    days_in_year: int
    basis: Literal["equivalent", "equal"]
    year_to_date: YearToDate
    deductions: Deductions
    projection: Projections
    indicators: Indicators
    level: Level
    thresholds: Thresholds
    method: str
