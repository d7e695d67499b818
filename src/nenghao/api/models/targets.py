"""Answers of the dual-control target routes (``nenghao.analytics.targets``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from nenghao.analytics.projection import Level, Projection


class TargetOut(BaseModel):
    """A dual-control target; times are Unix seconds."""

    id: int
    year: int
    level: Literal["city", "division", "enterprise"]
    subject: str
    division_code: str | None
    enterprise_id: int | None
    basis: Literal["equivalent", "equal"]
    total_energy_tce: float | None = Field(description="assessed total [tce]")
    energy_intensity: float | None = Field(description="[tce/万元 added value]")
    total_co2_t: float | None = Field(description="[tCO2]")
    carbon_intensity: float | None = Field(description="[tCO2/万元]")
    renewable_base_kwh: float | None = Field(description="renewable electricity of the base [kWh]")
    note: str | None
    created_at: int
    updated_at: int


class YearToDate(BaseModel):
    gross_tce: float
    raw_material_tce: float
    renewable_kwh: float
    tco2: float
    added_value: float = Field(description="[万元]")
    renewable_above_base_tce: float
    assessed_tce: float


class Deduction(BaseModel):
    to_date: float
    projected: float


class Deductions(BaseModel):
    """What the assessed total leaves out, shown separately."""

    raw_material_tce: Deduction
    renewable_above_base_tce: Deduction
    renewable_base_kwh: float
    renewable_base_source: str
    renewable_to_date_rule: str


class Projections(BaseModel):
    gross_tce: Projection
    raw_material_tce: Projection
    renewable_kwh: Projection
    tco2: Projection
    added_value: Projection


class IndicatorProgress(BaseModel):
    target: float | None
    to_date: float | None
    projected: float | None
    ratio: float | None = Field(description="projected / target")
    level: Level | None


class Indicators(BaseModel):
    total_energy_tce: IndicatorProgress
    energy_intensity: IndicatorProgress
    total_co2_t: IndicatorProgress
    carbon_intensity: IndicatorProgress


class Thresholds(BaseModel):
    yellow: float
    red: float


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
