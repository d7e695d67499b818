"""Request and answer models of the carbon-peak pathway (碳达峰路径)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from nenghao.api.fields import NON_BLANK, rule
from nenghao.api.models.numbers import Co2, Money, Rate, Tce
from nenghao.api.serialize import Instant, Model, Strict

ScenarioKind = Literal["bau", "policy"]
Parameter = Literal["output_growth", "intensity_change", "grid_factor_change"]
MeasureKind = Literal["retrofit", "fuel_switch", "renewable_electricity", "capacity_change"]
SECTOR = r"^[a-z_]{1,16}$"
KIND = r"^[a-z0-9_]{1,32}$"


class ScenarioIn(Strict):
    name: str = Field(min_length=1, max_length=100, json_schema_extra=rule(pattern=NON_BLANK))
    kind: ScenarioKind
    base_year: int = Field(ge=2000, le=2034, description="the base year (before 2035)")
    baseline_id: int | None = Field(
        default=None, ge=1, le=2**31 - 1, description="policy: its business-as-usual scenario"
    )
    description: str | None = Field(default=None, max_length=2000)


class AssumptionIn(Strict):
    parameter: Parameter
    sector: str | None = Field(
        default=None, pattern=SECTOR, description="a sector; none: every sector"
    )
    from_year: int = Field(ge=2000, le=2035)
    value_pct: float = Field(ge=-50, le=50, description="% per year")
    note: str | None = Field(default=None, max_length=500)


class MeasureIn(Strict):
    kind: MeasureKind
    name: str = Field(min_length=1, max_length=100, json_schema_extra=rule(pattern=NON_BLANK))
    sector: str = Field(pattern=SECTOR)
    year: int = Field(ge=2000, le=2035)
    saving_tco2: float | None = Field(default=None, ge=0, le=1e9, description="[tCO2/year]")
    saving_tce: float | None = Field(default=None, ge=0, le=1e9, description="[tce/year]")
    status: Literal["verified", "claimed"] | None = None
    retrofit_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    from_kind: str | None = Field(default=None, pattern=KIND)
    to_kind: str | None = Field(default=None, pattern=KIND)
    amount_tce: float | None = Field(default=None, gt=0, le=1e9, description="[tce/year]")
    mwh: float | None = Field(default=None, gt=0, le=1e9, description="[MWh/year]")
    change_pct: float | None = Field(default=None, ge=-100, le=500)


class Created(Model):
    id: int


class RetrofitImportOut(Model):
    added: int = Field(description="retrofits that became measures")
    updated: int = Field(description="measures brought up to the retrofit's current saving")
    unchanged: int


class AssumptionOut(Model):
    id: int
    parameter: Parameter
    sector: str | None
    from_year: int
    value_pct: float
    note: str | None
    created_by: str
    updated_at: Instant


class MeasureOut(Model):
    id: int
    kind: MeasureKind
    name: str
    sector: str
    year: int
    saving_tco2: Co2 | None
    saving_tce: Tce | None
    status: Literal["verified", "claimed"] | None
    retrofit_id: int | None
    from_kind: str | None
    to_kind: str | None
    amount_tce: Tce | None
    mwh: float | None
    change_pct: float | None
    created_by: str
    updated_at: Instant


class ScenarioOut(Model):
    id: int
    name: str
    kind: ScenarioKind
    baseline_id: int | None
    base_year: int
    description: str | None
    created_by: str
    created_at: Instant
    updated_at: Instant
    assumptions: list[AssumptionOut] = Field(default_factory=list)
    measures: list[MeasureOut] = Field(default_factory=list)


class YearTotal(Model):
    year: int
    tco2: Co2


class ScenarioLine(Model):
    id: int
    name: str
    kind: ScenarioKind
    base_year: int
    peak_year: int
    peak_tco2: Co2
    peaked_by_2035: bool
    years: list[YearTotal]


class ActualYear(Model):
    year: int
    tco2: Co2
    partial: bool
    through: str


class PathwayOut(Model):
    scenarios: list[ScenarioLine]
    actual: list[ActualYear]
    end_year: int
    method: str


class BaseSector(Model):
    sector: str
    name_zh: str
    name_en: str
    enterprises: int
    tco2: Co2
    energy_tce: Tce
    output_value_10k_yuan: Money
    fuels_tco2: Co2
    electricity_tco2: Co2
    heat_tco2: Co2
    process_tco2: Co2


class BaseYear(Model):
    period: str
    tco2: Co2
    unconverted_quantities: int
    sectors: list[BaseSector]
    source: str


class ProjectedYear(Model):
    year: int
    tco2: Co2
    measures_tco2: Co2
    sectors: dict[str, Co2]
    sources: dict[str, Co2]


class ProjectionOut(Model):
    base_year: int
    peak_year: int
    peak_tco2: Co2
    peaked_by_2035: bool
    warnings: list[str]
    years: list[ProjectedYear]


class MeasureEffect(Model):
    name: str
    kind: MeasureKind
    year: int
    tco2_per_year: Co2
    claimed_only: bool


class ScenarioDetail(Model):
    scenario: ScenarioOut
    base: BaseYear
    projection: ProjectionOut
    measure_effects: list[MeasureEffect]
    method: str


class TrackedLine(Model):
    period: str
    actual_tco2: Co2
    pathway_tco2: Co2
    deviation: Rate | None = Field(description="(actual - pathway) / pathway, a fraction")
    partial: bool
    through: str | None
    through_label: str | None


class TrackingOut(Model):
    scenario_peak_year: int
    year: int
    partial: bool
    through: str
    method: str
    year_to_date: TrackedLine
    months: list[TrackedLine]
    years: list[TrackedLine]


class Effect(Model):
    effect: Literal["activity", "structure", "intensity", "carbon_factor"]
    tco2: Co2


class SectorFigures(Model):
    output_value_10k_yuan: Money
    energy_tce: Tce
    tco2: Co2


class SectorDecomposition(Model):
    sector: str
    name_zh: str
    name_en: str
    base: SectorFigures
    target: SectorFigures
    change_tco2: Co2
    treatment: Literal["log_mean", "none", "limit_start", "limit_stop"]
    activity_tco2: Co2
    structure_tco2: Co2
    intensity_tco2: Co2
    carbon_factor_tco2: Co2


class DecompositionOut(Model):
    base_year: int
    target_year: int
    partial: bool
    through: str | None
    through_label: str | None
    base_tco2: Co2
    target_tco2: Co2
    change_tco2: Co2
    effects: list[Effect]
    residual_tco2: float
    sectors: list[SectorDecomposition]
    method: str
