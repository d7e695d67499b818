"""Yearly projection of the city's CO2 to 2035, and its peak (pure computation).

Method (stated in every answer, docs/pathway.md):

1. The base year's CO2 of each sector and source is the starting point.
2. Business as usual: each year a sector's output value index grows by its ``output_growth``
   and its energy per output value by its ``intensity_change``; the grid factor index
   changes by ``grid_factor_change``. Fuels and heat scale with output x intensity,
   electricity also with the grid factor, process CO2 with output alone (it follows
   production, not energy use).
3. Policy measures from their year on: a capacity change scales the sector's output index;
   retrofit savings, fuel switches and renewable electricity are annual CO2 changes (the
   renewable one valued at that year's grid factor). A sector never goes below zero (the
   answer then warns).
4. The peak is the largest yearly total from the base year to 2035 (the first such year);
   a peak in 2035 is reported as not reached by 2035.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .errors import PathwayInputError
from .model import END_YEAR, SOURCES, Assumption, Measure

__all__ = ["MeasureEffect", "Projection", "YearFigures", "project", "rate"]


@dataclass(frozen=True)
class MeasureEffect:
    """A measure's annual CO2 change [tCO2/year] in its first year (negative: a saving), or
    for a capacity change its factor on the sector's output."""

    measure: Measure
    tco2: float = 0.0
    per_grid_index: bool = False
    """True when ``tco2`` is at the base year's grid factor and follows the grid index."""


@dataclass(frozen=True)
class YearFigures:
    """One projected year [tCO2]."""

    year: int
    total: float
    by_sector: dict[str, float]
    by_source: dict[str, float]
    """Business-as-usual components of the sources (after capacity changes)."""
    measures: float
    """The sum of the annual measures' effects (negative: savings)."""


@dataclass(frozen=True)
class Projection:
    """A scenario's yearly figures from the base year to 2035 and its peak."""

    base_year: int
    years: list[YearFigures]
    peak_year: int
    peak_tco2: float
    peaked: bool
    """False when the largest total is in 2035: no peak by 2035."""
    warnings: list[str] = field(default_factory=list)


def rate(assumptions: Sequence[Assumption], parameter: str, sector: str | None, year: int) -> float:
    """The % per year of ``parameter`` in ``year``: the latest assumption from a year no later
    than ``year``, the sector's own before the city-wide one; 0 when none applies."""
    for wanted in (sector, None) if sector is not None else (None,):
        chosen = [
            a
            for a in assumptions
            if a.parameter == parameter and a.sector == wanted and a.from_year <= year
        ]
        if chosen:
            return max(chosen, key=lambda a: a.from_year).value_pct
    return 0.0


def _check(
    base_year: int, base: Mapping[str, Mapping[str, float]], measures: Iterable[Measure]
) -> None:
    if not 2000 <= base_year < END_YEAR:
        raise PathwayInputError(
            f"base year {base_year}: a projection runs from a base year before {END_YEAR}",
            details={"field": "base_year", "value": base_year},
            zh=f"基准年 {base_year} 不正确：基准年须早于 {END_YEAR} 年",
        )
    for sector, sources in base.items():
        for source, value in sources.items():
            if source not in SOURCES or not math.isfinite(value) or value < 0:
                raise PathwayInputError(
                    f"base year CO2 of {sector}/{source} is {value}: sources are "
                    f"{', '.join(SOURCES)} with values of zero or more",
                    details={"sector": sector, "source": source, "value": value},
                    zh=f"基准年 {sector} 行业 {source} 排放量 {value} 不正确",
                )
    for measure in measures:
        if measure.year <= base_year:
            raise PathwayInputError(
                f"measure {measure.name!r} takes effect in {measure.year}, not after the base "
                f"year {base_year}",
                details={"measure": measure.name, "field": "year", "value": measure.year},
                zh=f"措施“{measure.name}”的实施年份 {measure.year} 须晚于基准年 {base_year}",
            )
        if measure.sector not in base:
            raise PathwayInputError(
                f"measure {measure.name!r}: unknown sector {measure.sector!r}; sectors are "
                f"{', '.join(base)}",
                details={"measure": measure.name, "field": "sector", "value": measure.sector},
                zh=f"措施“{measure.name}”的行业 {measure.sector} 不存在",
            )


def project(
    base_year: int,
    base: Mapping[str, Mapping[str, float]],
    assumptions: Sequence[Assumption],
    effects: Sequence[MeasureEffect] = (),
) -> Projection:
    """Project ``base`` (sector -> source -> tCO2 of the base year) to 2035.

    Parameters
    ----------
    base_year : int
        The base year (before 2035).
    base : mapping
        Sector -> source (:data:`SOURCES`) -> CO2 of the base year [tCO2].
    assumptions : sequence of Assumption
        Growth assumptions (% per year).
    effects : sequence of MeasureEffect
        The measures of a policy scenario with their annual CO2 change (none: business as
        usual).

    Returns
    -------
    Projection
    """
    _check(base_year, base, [e.measure for e in effects])
    output = dict.fromkeys(base, 1.0)
    intensity = dict.fromkeys(base, 1.0)
    grid = 1.0
    warnings: list[str] = []
    years: list[YearFigures] = []
    for year in range(base_year, END_YEAR + 1):
        if year > base_year:
            grid *= 1 + rate(assumptions, "grid_factor_change", None, year) / 100
            for sector in base:
                output[sector] *= 1 + rate(assumptions, "output_growth", sector, year) / 100
                intensity[sector] *= 1 + rate(assumptions, "intensity_change", sector, year) / 100
        by_sector: dict[str, float] = {}
        by_source = dict.fromkeys(SOURCES, 0.0)
        applied = 0.0
        for sector, sources in base.items():
            capacity = math.prod(
                1 + (e.measure.change_pct or 0.0) / 100
                for e in effects
                if e.measure.kind == "capacity_change"
                and e.measure.sector == sector
                and e.measure.year <= year
            )
            energy_index = output[sector] * capacity * intensity[sector]
            scale = {
                "fuels": energy_index,
                "heat": energy_index,
                "electricity": energy_index * grid,
                "process": output[sector] * capacity,
            }
            bau = 0.0
            for source, value in sources.items():
                by_source[source] += value * scale[source]
                bau += value * scale[source]
            change = math.fsum(
                e.tco2 * (grid if e.per_grid_index else 1.0)
                for e in effects
                if e.measure.kind != "capacity_change"
                and e.measure.sector == sector
                and e.measure.year <= year
            )
            if bau + change < 0:
                warnings.append(
                    f"{year}: the measures of sector {sector} exceed its emissions; counted "
                    "down to zero"
                )
                change = -bau
            applied += change
            by_sector[sector] = bau + change
        years.append(
            YearFigures(year, math.fsum(by_sector.values()), by_sector, by_source, applied)
        )
    peak = max(years, key=lambda y: (y.total, -y.year))
    return Projection(base_year, years, peak.year, peak.total, peak.year < END_YEAR, warnings)
