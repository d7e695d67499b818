"""Answers of the statistics routes (``nenghao.analytics.statistics``).

``equivalent_tce`` is the gross comprehensive energy consumption at the enterprise fence at
equivalent value (当量值, GB/T 2589-2020), ``equal_tce`` the same at equal value (等价值).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from nenghao.api.models.numbers import Co2, Energy, IntensityValue, Money, Rate, Tce, TceOrCo2

By = Literal["city", "division", "industry", "enterprise", "energy_kind"]
GroupKey = Annotated[
    str | int,
    Field(description='"city", a division or industry code, an enterprise id or an energy kind'),
]
Day = Annotated[str, Field(description="a CST day, YYYY-MM-DD")]


class PeriodContext(BaseModel):
    """The period an answer covers."""

    period: str = Field(description="the period as asked, e.g. 2025-03")
    start: Day
    end: Day = Field(description="the last CST day of the period, YYYY-MM-DD")


class Units(BaseModel):
    energy: str
    co2: str
    value: str
    electricity: str


class Unconverted(BaseModel):
    """A quantity a total could not convert, with the measure and why."""

    measure: Literal["equal_tce", "tco2"]
    energy_kind: str | None
    role: str | None
    quantity: Energy
    unit: str
    equivalent_tce: Tce
    reason: str


class Figures(BaseModel):
    """Consumption and CO2 of one group (or the total)."""

    equivalent_tce: Tce = Field(description="当量值 [tce]")
    equal_tce: Tce = Field(description="等价值 [tce]")
    tco2: Co2 = Field(description="CO2 [tCO2]")
    raw_material_tce: Tce = Field(description="energy used as raw material [tce]")
    exported_tce: Tce = Field(description="energy delivered to others [tce]")
    renewable_electricity_kwh: Energy
    renewable_electricity_tce: Tce
    output_value_10k_yuan: Money = Field(description="output value [万元]")
    added_value_10k_yuan: Money = Field(description="added value [万元]")
    equal_value_complete: bool
    equal_value_unconverted: list[Unconverted]
    co2_complete: bool
    co2_unconverted: list[Unconverted]


class Named(BaseModel):
    """The group a row is about (listed after a row's figures model: it comes first)."""

    key: GroupKey
    name: str


class ConsumptionRow(Figures, Named):
    """One group's consumption and CO2."""


class StandardCoalUsed(BaseModel):
    """A standard-coal coefficient behind the figures."""

    kind: Literal["standard_coal"]
    energy_kind: str
    basis: Literal["equivalent", "equal"]
    coefficient: float
    unit: str
    method: str
    edition: str
    year: int
    source: str
    status: Literal["confirmed", "unverified"]
    note: str | None


class EmissionFactorUsed(BaseModel):
    """An emission factor behind the figures."""

    kind: Literal["emission_factor"]
    energy_kind: str
    name: str
    value: float
    unit: str
    year: int
    source: str
    status: Literal["confirmed", "unverified"]
    note: str | None


CoefficientUsed = Annotated[StandardCoalUsed | EmissionFactorUsed, Field(discriminator="kind")]


class Consumption(PeriodContext):
    """Comprehensive consumption and CO2 per group, with the coefficients used."""

    by: By
    units: Units
    rows: list[ConsumptionRow]
    total: Figures
    notes: dict[str, str]
    coefficients: list[CoefficientUsed]


class Change(BaseModel):
    """The current figure against one base span."""

    previous: TceOrCo2 = Field(description="the base span's figure")
    change: TceOrCo2
    rate: Rate | None = Field(
        description="(current - previous) / previous; null when the base is 0 or incomplete"
    )
    reason: Literal["no_base", "base_incomplete"] | None = Field(
        description="why rate is null: the base is 0 (no_base) or its data coverage falls "
        "short of the current span's (base_incomplete)"
    )
    base_coverage: Rate = Field(
        description="1 - the estimated share of the base's consumption on days without data"
    )


class Compared(BaseModel):
    current: TceOrCo2 = Field(description="the figure over the compared span")
    year_on_year: Change
    period_on_period: Change


class CompareRow(Named):
    equivalent_tce: Compared
    equal_tce: Compared
    tco2: Compared


class Span(BaseModel):
    """CST days a comparison reads (both ends included)."""

    period: str = Field(description="the span as a period, e.g. 2025-12-01..2025-12-04")
    start: Day
    end: Day
    days: int


class Compare(PeriodContext):
    """Year-on-year (同比) and period-on-period (环比) per group, over the same elapsed span."""

    by: By
    compared: Span | None = Field(
        description="the span compared: the period asked, cut at the end of the last complete "
        "CST day while in progress; null before its first day is complete"
    )
    partial: bool = Field(description="true when the period asked is still in progress")
    year_on_year_period: str | None = None
    period_on_period_period: str | None = None
    year_on_year_span: Span | None = Field(None, description="the same days one year earlier")
    period_on_period_span: Span | None = Field(
        None, description="the same days from the start of the period before"
    )
    rows: list[CompareRow]
    notes: dict[str, str]


class RankingRow(BaseModel):
    rank: int
    key: GroupKey
    name: str
    value: TceOrCo2
    share: Rate | None = Field(description="of the total; null when the total is 0")


class Ranking(PeriodContext):
    """Groups ranked by a measure, with their shares."""

    by: By
    measure: Literal["equivalent_tce", "equal_tce", "tco2"]
    order: Literal["ascending", "descending"]
    total: TceOrCo2
    rows: list[RankingRow]
    notes: dict[str, str]


class QuantityUsed(BaseModel):
    quantity: Energy
    unit: str


class MixRow(BaseModel):
    energy_kind: str
    used_tce: Tce
    exported_tce: Tce
    name: str
    quantities_used: list[QuantityUsed]
    share: Rate | None


class Mix(PeriodContext):
    """Energy used by kind, physical and in tce, with shares."""

    basis: Literal["equivalent"]
    total_used_tce: Tce
    rows: list[MixRow]
    coefficients: list[CoefficientUsed]


class Intensity(BaseModel):
    value: IntensityValue | None = Field(
        description="null when there is no denominator (see reason)"
    )
    unit: str
    reason: str | None


class IntensityRow(Named):
    equivalent_tce: Tce
    tco2: Co2
    output_value_10k_yuan: Money
    added_value_10k_yuan: Money
    per_output_value: Intensity
    per_added_value: Intensity
    co2_per_added_value: Intensity


class IntensityAnswer(PeriodContext):
    """Consumption per 万元 of output and added value, and CO2 per 万元 of added value."""

    by: By
    rows: list[IntensityRow]
    notes: dict[str, str]


class SeriesGroup(Named):
    """One group's figures, one number per bucket."""

    equivalent_tce: list[Tce]
    equal_tce: list[Tce]
    tco2: list[Co2]


Grain = Literal["day", "month", "year"]


class Series(BaseModel):
    """Figures per bucket (day, month or year) per group."""

    period: str
    grain: Grain
    by: By
    buckets: list[Day] = Field(description="the first CST day of each bucket")
    groups: list[SeriesGroup]
    notes: dict[str, str]


class OverviewGroups(BaseModel):
    division: list[SeriesGroup]
    industry: list[SeriesGroup]


class Overview(BaseModel):
    """The year's monthly totals by division and by industry."""

    year: int
    grain: Literal["month"]
    buckets: list[Day]
    by: OverviewGroups
    notes: dict[str, str]
