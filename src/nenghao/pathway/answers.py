"""JSON-ready answers: the city pathway (every scenario against actual) and one scenario."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection

from nenghao.analytics.periods import Period
from nenghao.standards.carbon_sectors import carbon_sectors
from nenghao.store import pathway as store
from nenghao.store.scope import Scope

from .emissions import CityEmissions, city_emissions
from .measures import measure_effect
from .model import END_YEAR, SOURCES
from .projection import Projection
from .scenarios import measures_of, run, scenario_with_rows

__all__ = ["base_year_answer", "pathway_answer", "scenario_answer"]

METHOD = (
    "base year: CO2 of the monitored key units by sector and source; business as usual: each "
    "sector's output value and energy intensity indices grow by the assumptions (% per year), "
    "fuels and heat follow output x intensity, electricity also the grid factor, process CO2 "
    "output alone; policy scenarios add their measures from their year on; peak: the largest "
    "yearly total to 2035 (a peak in 2035 is reported as not reached)"
)


def base_year_answer(base: CityEmissions) -> dict[str, Any]:
    """The base year's CO2 by sector and source, with energy and output value."""
    names = carbon_sectors()
    return {
        "period": base.period.label,
        "tco2": base.tco2,
        "unconverted_quantities": base.unconverted,
        "sectors": [
            {
                "sector": code,
                "name_zh": names[code].name_zh,
                "name_en": names[code].name_en,
                "enterprises": s.enterprises,
                "tco2": s.tco2,
                "energy_tce": s.energy_tce,
                "output_value_10k_yuan": s.output_value,
                **{f"{source}_tco2": s.by_source[source] for source in SOURCES},
            }
            for code, s in base.sectors.items()
        ],
        "source": "monitored key units: rollups x the accounting core's factors of the year "
        "(statistics ledger); sector from the enterprise's GB/T 4754 class (carbon_sectors.toml)",
    }


def _projection(projection: Projection) -> dict[str, Any]:
    return {
        "base_year": projection.base_year,
        "peak_year": projection.peak_year,
        "peak_tco2": projection.peak_tco2,
        "peaked_by_2035": projection.peaked,
        "warnings": projection.warnings,
        "years": [
            {
                "year": y.year,
                "tco2": y.total,
                "measures_tco2": y.measures,
                "sectors": y.by_sector,
                "sources": y.by_source,
            }
            for y in projection.years
        ],
    }


def scenario_answer(conn: Connection, scope: Scope, scenario_id: int) -> dict[str, Any]:
    """One scenario: its rows, base year, projection, peak and each measure's effect."""
    scenario = scenario_with_rows(conn, scenario_id)
    projection, base = run(conn, scope, scenario)
    effects = [
        {
            "name": m.name,
            "kind": m.kind,
            "year": m.year,
            "tco2_per_year": measure_effect(m, projection.base_year).tco2,
            "claimed_only": m.kind == "retrofit" and m.status == "claimed",
        }
        for m in measures_of(conn, scenario)
    ]
    return {
        "scenario": scenario,
        "base": base_year_answer(base),
        "projection": _projection(projection),
        "measure_effects": effects,
        "method": METHOD,
    }


def pathway_answer(conn: Connection, scope: Scope, today: date) -> dict[str, Any]:
    """Every scenario's yearly totals and peak, and the actual CO2 of each year so far."""
    bases: dict[int, CityEmissions] = {}
    scenarios = []
    for scenario in store.list_scenarios(conn):
        projection, _base = run(conn, scope, scenario, bases)
        scenarios.append(
            {
                "id": scenario["id"],
                "name": scenario["name"],
                "kind": scenario["kind"],
                "base_year": projection.base_year,
                "peak_year": projection.peak_year,
                "peak_tco2": projection.peak_tco2,
                "peaked_by_2035": projection.peaked,
                "years": [{"year": y.year, "tco2": y.total} for y in projection.years],
            }
        )
    actual = []
    first = min(bases, default=today.year)
    for year in range(first, min(today.year, END_YEAR) + 1):
        stop = min(date(year + 1, 1, 1), today)
        if stop <= date(year, 1, 1):
            continue
        figures = bases.get(year) if stop.year > year else None
        if figures is None:
            figures = city_emissions(conn, scope, Period("range", date(year, 1, 1), stop))
        actual.append(
            {
                "year": year,
                "tco2": figures.tco2,
                "partial": stop.year == year,
                "through": figures.period.last_day.isoformat(),
            }
        )
    return {"scenarios": scenarios, "actual": actual, "end_year": END_YEAR, "method": METHOD}
