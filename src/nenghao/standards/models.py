"""Typed, frozen models of the reference catalogue.

Every number that comes from a standard or a publication travels as a :class:`Sourced`
value: the value, its unit, where it comes from and whether it was checked against the
source's own text (``status``).
"""

from __future__ import annotations

import itertools
import math
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from .vocabulary import Basis

Status = Literal["confirmed", "unverified"]
Dimension = Literal["mass", "volume", "energy", "currency", "count", "coal_equivalent"]
Category = Literal["primary", "secondary", "medium"]
Cluster = Literal["steel", "magnesia", "equipment", "chemicals", "energy", "other"]
Level = Literal["L1", "L2", "L3"]
CorrectionKind = Literal["per_point", "fixed", "factor"]

LEVELS: tuple[Level, ...] = ("L1", "L2", "L3")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Sourced(_Frozen):
    """A value with its unit, source and verification status."""

    value: float
    unit: str
    source: str
    status: Status
    valid_from: date | None = None
    valid_to: date | None = None
    note: str | None = None

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("value must be a finite number")
        return value

    @field_validator("source", "unit")
    @classmethod
    def _not_blank(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("must not be empty")
        return text

    @model_validator(mode="after")
    def _dates_ordered(self) -> Sourced:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self

    def covers(self, day: date) -> bool:
        """Whether ``day`` lies in [valid_from, valid_to] (open ends allowed)."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class GridFactor(Sourced):
    """A grid emission factor, saying which year, region and series it is."""

    year: int
    requested_year: int
    region: str
    series: str
    fallback: bool = False


class Unit(_Frozen):
    """A unit of measure: ``factor`` base units of its dimension make one of it."""

    symbol: str
    dimension: Dimension
    factor: float
    aliases: tuple[str, ...] = ()


class FuelCarbon(_Frozen):
    """Default carbon parameters of a fuel for combustion CO2."""

    heating_value: Sourced  # e.g. GJ/t or GJ/万m3
    carbon_content: Sourced  # tC/GJ
    oxidation: Sourced  # fraction (unit "1")


class EnergyKind(_Frozen):
    """An energy kind (or energy-carrying medium) and its GB/T 2589 coefficient."""

    code: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...] = ()
    category: Category
    unit: str
    coefficient: Sourced
    heating_value: Sourced | None = None
    coefficient_min: float | None = None
    coefficient_max: float | None = None
    fossil: bool
    carbon: FuelCarbon | None = None


class Division(_Frozen):
    """An administrative division (GB/T 2260 code)."""

    code: str
    name_zh: str
    name_en: str
    level: Literal["province", "prefecture", "county"]
    parent: str | None = None
    source: str
    status: Status
    note: str | None = None


class Industry(_Frozen):
    """A GB/T 4754-2017 industry class with its Anshan cluster."""

    code: str
    name_zh: str
    name_en: str
    cluster: Cluster
    two_high: str | None = None
    source: str
    status: Status
    note: str | None = None


class TwoHighSector(_Frozen):
    """A "two-high" (高耗能高排放) sub-sector and the industry classes it covers."""

    code: str
    name_zh: str
    name_en: str
    group: Literal[
        "coal_power", "petrochemical", "chemical", "steel", "nonferrous", "building_materials"
    ]
    industries: tuple[str, ...]
    source: str
    status: Status
    note: str | None = None


class QuotaCorrection(_Frozen):
    """A correction of quota thresholds, as data.

    * ``per_point``: ``amount`` per point, points = ``x - baseline`` (direction ``above``)
      or ``baseline - x`` (``below``), floored at 0 and capped at ``cap``.
    * ``fixed``: ``+ amount`` when ``range_min <= x < range_max``.
    * ``factor``: ``x amount`` when ``range_min <= x < range_max``; applied after all
      additive corrections.
    """

    parameter: str
    name: str
    parameter_unit: Literal["%", "flag", "year", "ratio"]
    kind: CorrectionKind
    amount: float
    baseline: float | None = None
    direction: Literal["above", "below"] | None = None
    cap: float | None = None
    range_min: float | None = None
    range_max: float | None = None
    levels: tuple[Level, ...]
    source: str
    status: Status
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> QuotaCorrection:
        if not math.isfinite(self.amount):
            raise ValueError("amount must be finite")
        if self.kind == "per_point":
            if self.baseline is None or self.direction is None:
                raise ValueError("a per_point correction needs baseline and direction")
            if self.cap is not None and self.cap <= 0:
                raise ValueError("cap must be > 0")
        else:
            if self.range_min is None and self.range_max is None:
                raise ValueError(f"a {self.kind} correction needs range_min and/or range_max")
            if self.kind == "factor" and self.amount <= 0:
                raise ValueError("a factor must be > 0")
        if (
            self.range_min is not None
            and self.range_max is not None
            and self.range_max <= self.range_min
        ):
            raise ValueError("range_max must be > range_min")
        if not self.levels:
            raise ValueError("levels must not be empty")
        return self

    def applies(self, x: float) -> bool:
        """Whether a ``fixed``/``factor`` correction applies to parameter value ``x``."""
        low = self.range_min if self.range_min is not None else -math.inf
        high = self.range_max if self.range_max is not None else math.inf
        return low <= x < high

    def points(self, x: float) -> float:
        """Points of a ``per_point`` correction for parameter value ``x``."""
        assert self.baseline is not None
        raw = x - self.baseline if self.direction == "above" else self.baseline - x
        raw = max(raw, 0.0)
        return min(raw, self.cap) if self.cap is not None else raw


class BenchmarkLevel(_Frozen):
    """The NDRC energy-efficiency benchmark (标杆) and baseline (基准) of one product [kgce/t]."""

    product: str
    document: str
    title: str
    process_zh: str
    unit: str
    benchmark: float
    baseline: float
    source: str
    status: Status

    @model_validator(mode="after")
    def _ordered(self) -> BenchmarkLevel:
        if not (math.isfinite(self.benchmark) and math.isfinite(self.baseline)):
            raise ValueError("benchmark and baseline must be finite")
        if self.benchmark > self.baseline:
            raise ValueError(
                f"benchmark {self.benchmark:g} must not exceed baseline {self.baseline:g}"
            )
        return self


class QuotaEdition(_Frozen):
    """One edition of a unit-product energy quota for one product.

    ``levels`` is empty for an edition known to be in force whose values are not entered
    (``values_loaded`` is False): it is still the edition in force, never "no quota".
    """

    product: str
    product_name_zh: str
    product_name_en: str
    standard: str
    title: str
    valid_from: date | None = None
    valid_to: date | None = None
    unit: str
    levels: dict[Level, float] = {}
    corrections: tuple[QuotaCorrection, ...] = ()
    local: bool = False
    source: str
    status: Status
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> QuotaEdition:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        if not self.levels:
            if self.corrections:
                raise ValueError("an edition without level values cannot have corrections")
            if not self.note:
                raise ValueError("an edition without level values needs a note saying why")
            return self
        if "L3" not in self.levels or "L1" not in self.levels:
            raise ValueError("levels L1 and L3 are required (L2 may be absent)")
        values = [self.levels[level] for level in LEVELS if level in self.levels]
        if any(not math.isfinite(v) for v in values):
            raise ValueError("levels must be finite")
        if any(a > b for a, b in itertools.pairwise(values)):
            shown = ", ".join(f"{k}={v:g}" for k, v in self.levels.items())
            raise ValueError(f"levels must be ordered L1 <= L2 <= L3, got {shown}")
        for correction in self.corrections:
            missing = [lv for lv in correction.levels if lv not in self.levels]
            if missing:
                raise ValueError(
                    f"correction '{correction.parameter}' names level(s) {missing} "
                    "that this edition does not set"
                )
        return self

    @property
    def values_loaded(self) -> bool:
        """Whether the edition's level values are entered (False: in force, values missing)."""
        return bool(self.levels)

    def covers(self, day: date) -> bool:
        """Whether the edition is in force on ``day``."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class ProcessFactor(Sourced):
    """A process-emission factor (tCO2 per tonne of ``basis``)."""

    code: str
    name_zh: str
    name_en: str
    basis: str
    products: tuple[str, ...] = ()
    """Product codes whose output tonnage is the ``basis`` of this factor (may be empty)."""


class Policy(_Frozen):
    """Policy thresholds (key units, energy-saving review, renewable base year)."""

    key_unit_threshold: Sourced
    key_unit_designated_threshold: Sourced
    review_provincial_threshold: Sourced
    review_report_exempt_energy: Sourced
    review_report_exempt_electricity: Sourced
    renewable_base_year: int
    renewable_base_year_source: Sourced
    review_electricity_basis: Basis
    review_electricity_basis_source: str


TierBasis = Literal["gross", "assessed"]
"""What the review tier compares: gross consumption, or consumption less the raw-material and
renewable deductions."""
ReviewingLevel = Literal["province", "city", "district"]
"""The administrative level of the authority that reviews a project."""


class SourcedRule(_Frozen):
    """A rule that is not a single number (a basis, a list), with its source and status."""

    source: str
    status: Status
    note: str | None = None


class TierBasisRule(SourcedRule):
    """Whether the review tier is decided on gross or deduction-adjusted consumption."""

    basis: TierBasis


class IndustryList(SourcedRule):
    """A list of GB/T 4754-2017 class codes (e.g. the simple-process industries)."""

    industries: tuple[str, ...]


class ReviewingLevels(SourcedRule):
    """The reviewing level of each review tier, for one province or by default."""

    provincial: ReviewingLevel
    local: ReviewingLevel
    exempt: ReviewingLevel


class ReviewRules(_Frozen):
    """Configured rules of the energy-saving review of projects (review.toml)."""

    tier_basis: TierBasisRule
    two_high_energy_threshold: Sourced
    simple_process_industries: IndustryList
    review_period: Sourced
    min_expert_opinions: Sourced
    min_expert_opinions_two_high: Sourced
    deviation_threshold: Sourced
    reviewing_levels: ReviewingLevels
    reviewing_levels_by_province: dict[str, ReviewingLevels] = {}

    def levels_for(self, division: str | None) -> ReviewingLevels:
        """The reviewing levels of the province of ``division`` (a GB/T 2260 code), or the
        default ones."""
        if division is not None and len(division) >= 2:
            found = self.reviewing_levels_by_province.get(f"{division[:2]}0000")
            if found is not None:
                return found
        return self.reviewing_levels
