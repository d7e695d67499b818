"""Scenarios: validated edits (audited by the store) and their projections.

A business-as-usual scenario projects the base year's CO2 with its growth assumptions; a
policy scenario uses its baseline's assumptions and adds its measures. The base year's CO2
comes from the monitored key units (`nenghao.pathway.emissions`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection

from nenghao.analytics.periods import Period
from nenghao.standards.carbon_sectors import carbon_sectors
from nenghao.store import pathway as store
from nenghao.store.scope import Scope

from .emissions import CityEmissions, city_emissions
from .errors import PathwayInputError
from .measures import co2_per_tce, measure_effect
from .model import END_YEAR, Assumption, Measure
from .projection import Projection, project

__all__ = [
    "add_assumption",
    "add_measure",
    "assumptions_of",
    "change_assumption",
    "change_measure",
    "measures_of",
    "run",
    "scenario_with_rows",
    "validated",
]

_MEASURE_FIELDS = tuple(Measure.model_fields)
_ASSUMPTION_FIELDS = tuple(Assumption.model_fields)


def _invalid(exc: ValidationError) -> PathwayInputError:
    details = [
        {"location": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()
    ]
    text = "; ".join(f"{d['location'] or 'body'}: {d['message']}" for d in details)
    return PathwayInputError(text, details=details, zh=f"情景数据有误：{text}")


def _sector(sector: str | None) -> None:
    if sector is not None and sector not in carbon_sectors():
        raise PathwayInputError(
            f"unknown sector {sector!r}; sectors are {', '.join(carbon_sectors())}",
            details={"field": "sector", "value": sector},
            zh=f"未知的行业分组 {sector}",
        )


def validated(child: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """An assumption's or measure's fields, checked (sector, energy kinds, kind's fields)."""
    try:
        model: Assumption | Measure = (
            Assumption.model_validate({k: v for k, v in fields.items() if k != "note"})
            if child == "assumption"
            else Measure.model_validate(dict(fields))
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    _sector(model.sector)
    if isinstance(model, Measure) and model.kind == "fuel_switch":
        for kind in (model.from_kind, model.to_kind):
            co2_per_tce(kind or "", model.year)  # an unknown kind is refused here
        if model.from_kind == model.to_kind:
            raise PathwayInputError(
                "a fuel switch replaces one energy kind by another",
                details={"field": "to_kind", "value": model.to_kind},
                zh="燃料替代的替代前后能源品种不能相同",
            )
    out = model.model_dump()
    if child == "assumption":
        out["note"] = fields.get("note")
    return out


def scenario_with_rows(conn: Connection, scenario_id: int) -> dict[str, Any]:
    """A scenario with its own assumptions (business as usual) or measures (policy)."""
    scenario = store.get_scenario(conn, scenario_id)
    child = "assumption" if scenario["kind"] == "bau" else "measure"
    return {**scenario, f"{child}s": store.rows_of(conn, child, scenario_id)}


def assumptions_of(conn: Connection, scenario: Mapping[str, Any]) -> list[Assumption]:
    """The assumptions a scenario projects with (a policy scenario: its baseline's)."""
    owner = scenario["baseline_id"] if scenario["kind"] == "policy" else scenario["id"]
    rows = store.rows_of(conn, "assumption", owner)
    return [Assumption.model_validate({k: r[k] for k in _ASSUMPTION_FIELDS}) for r in rows]


def measures_of(conn: Connection, scenario: Mapping[str, Any]) -> list[Measure]:
    """A policy scenario's measures (none for business as usual)."""
    if scenario["kind"] != "policy":
        return []
    rows = store.rows_of(conn, "measure", scenario["id"])
    return [Measure.model_validate({k: r[k] for k in _MEASURE_FIELDS}) for r in rows]


def run(
    conn: Connection,
    scope: Scope,
    scenario: Mapping[str, Any],
    bases: dict[int, CityEmissions] | None = None,
) -> tuple[Projection, CityEmissions]:
    """Project a scenario from its base year's monitored CO2 (``bases`` caches base years)."""
    bases = {} if bases is None else bases
    year = int(scenario["base_year"])
    if not 2000 <= year < END_YEAR:
        raise PathwayInputError(
            f"base year {year}: a projection runs from a base year before {END_YEAR}",
            details={"field": "base_year", "value": year},
        )
    if year not in bases:
        bases[year] = city_emissions(conn, scope, Period.year(year))
    base = bases[year]
    effects = [measure_effect(m, year) for m in measures_of(conn, scenario)]
    return project(year, base.base(), assumptions_of(conn, scenario), effects), base


def add_assumption(
    conn: Connection, actor: str, scenario_id: int, fields: Mapping[str, Any]
) -> int:
    """Add a growth assumption to a business-as-usual scenario (audited)."""
    return store.add_row(conn, actor, "assumption", scenario_id, validated("assumption", fields))


def change_assumption(
    conn: Connection, actor: str, scenario_id: int, row_id: int, fields: Mapping[str, Any]
) -> None:
    """Replace a growth assumption (audited, before and after)."""
    store.change_row(
        conn, actor, "assumption", scenario_id, row_id, validated("assumption", fields)
    )


def add_measure(conn: Connection, actor: str, scenario_id: int, fields: Mapping[str, Any]) -> int:
    """Add a measure to a policy scenario (audited); its year must follow the base year."""
    values = validated("measure", fields)
    _after_base(conn, scenario_id, values["year"])
    return store.add_row(conn, actor, "measure", scenario_id, values)


def change_measure(
    conn: Connection, actor: str, scenario_id: int, row_id: int, fields: Mapping[str, Any]
) -> None:
    """Replace a measure (audited, before and after)."""
    values = validated("measure", fields)
    _after_base(conn, scenario_id, values["year"])
    store.change_row(conn, actor, "measure", scenario_id, row_id, values)


def _after_base(conn: Connection, scenario_id: int, year: int) -> None:
    base_year = int(store.get_scenario(conn, scenario_id)["base_year"])
    if year <= base_year:
        raise PathwayInputError(
            f"a measure takes effect after the base year {base_year}; got {year}",
            details={"field": "year", "value": year},
            zh=f"措施的实施年份须晚于基准年 {base_year}",
        )
