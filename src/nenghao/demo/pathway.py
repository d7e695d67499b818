"""The demo city's carbon-peak pathway: a business-as-usual scenario and a policy scenario,
made through the pathway services (audited as ``demo-regulator``).

The base year is the last whole calendar year of the demo data (a short build without one
uses the year it ends in, and the scenario says its base year is partial). The growth
assumptions are illustrative, not the city's: output value +6 %/year to 2027 (steel +3 %,
capacity held; magnesia +8 %), then slower; energy intensity -2.5 %/year, then -3 %; the
grid factor -1.5 %/year, then -3 % from 2030. The policy scenario's measures are sized on the
base year's own figures: the magnesite-kiln retrofits (one verified, one claimed), an
Ansteel-style waste-heat recovery (claimed), a coal-to-gas switch of light-burned kilns,
rooftop solar at the equipment makers and a 10 % steel capacity cut. Once the demo's
retrofits are registered (`nenghao.demo.retrofits`, a build of 16 months or more), the policy
scenario takes them as its retrofit measures instead, at their verified or claimed savings
(`include_retrofits`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine

from nenghao.accounting import purchased_electricity_co2
from nenghao.analytics.periods import Period
from nenghao.pathway.emissions import city_emissions
from nenghao.pathway.retrofit_import import import_retrofits
from nenghao.pathway.scenarios import add_assumption, add_measure
from nenghao.store import pathway as store
from nenghao.store.scope import Scope

ACTOR = "demo-regulator"
BAU_NAME, POLICY_NAME = "基准情景（延续现有趋势）", "政策情景（节能改造与能源替代）"
ASSUMPTIONS: tuple[tuple[str, str | None, int, float], ...] = (
    ("output_growth", None, 1, 6.0),
    ("output_growth", None, 2028, 4.0),
    ("output_growth", None, 2031, 2.0),
    ("output_growth", "steel", 1, 3.0),
    ("output_growth", "steel", 2028, 0.0),
    ("output_growth", "magnesia", 1, 8.0),
    ("output_growth", "magnesia", 2028, 3.0),
    ("intensity_change", None, 1, -2.5),
    ("intensity_change", None, 2028, -3.0),
    ("grid_factor_change", None, 1, -1.5),
    ("grid_factor_change", None, 2030, -3.0),
)
"""(parameter, sector, from year (1: the year after the base year), % per year)."""


def base_year_of(start: date, end_day: date) -> tuple[int, bool]:
    """The last whole calendar year from ``start`` to ``end_day`` (else ``end_day``'s year,
    partial)."""
    last = end_day.year - 1 if end_day < date(end_day.year, 12, 31) else end_day.year
    if start <= date(last, 1, 1):
        return last, False
    return end_day.year, True


def _measures(engine: Engine, year: int) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        base = city_emissions(conn, Scope.all(), Period.year(year)).sectors
    mwh_per_tco2 = 1 / purchased_electricity_co2(1.0, "MWh", year).tco2
    magnesia, steel = base["magnesia"], base["steel"]
    out: list[dict[str, Any]] = []
    if magnesia.by_source["fuels"] > 0:
        fuel = magnesia.by_source["fuels"]
        out += [
            {"kind": "retrofit", "name": "菱镁轻烧窑节能改造（一期，已核实）", "sector": "magnesia"}
            | {"year": year + 2, "saving_tco2": 0.06 * fuel, "status": "verified"},
            {"kind": "retrofit", "name": "菱镁轻烧窑节能改造（二期，申报值）", "sector": "magnesia"}
            | {"year": year + 3, "saving_tco2": 0.05 * fuel, "status": "claimed"},
            {"kind": "fuel_switch", "name": "轻烧窑煤改气", "sector": "magnesia", "year": 2028}
            | {"from_kind": "raw_coal", "to_kind": "natural_gas"}
            | {"amount_tce": 0.2 * magnesia.energy_tce},
        ]
    if steel.tco2 > 0:
        out += [
            {"kind": "retrofit", "name": "鞍钢余热余能回收发电", "sector": "steel"}
            | {"year": year + 2, "saving_tco2": 0.03 * steel.tco2, "status": "claimed"},
            {"kind": "capacity_change", "name": "淘汰落后产能", "sector": "steel", "year": 2027}
            | {"change_pct": -10.0},
        ]
    electricity = base["equipment"].by_source["electricity"]
    if electricity > 0:
        out.append(
            {"kind": "renewable_electricity", "name": "装备制造企业屋顶光伏", "sector": "equipment"}
            | {"year": year + 2, "mwh": 0.15 * electricity * mwh_per_tco2}
        )
    return out


def drop_scenarios(conn: Connection) -> None:
    """Delete the demo's two scenarios (the policy one first: it names the other)."""
    for name in (POLICY_NAME, BAU_NAME):
        for scenario in store.list_scenarios(conn):
            if scenario["name"] == name:
                store.delete_scenario(conn, ACTOR, scenario["id"])


def seed_pathway(engine: Engine, start: date, end_day: date) -> dict[str, int]:
    """The two demo scenarios on the demo data from ``start`` to ``end_day``; their ids."""
    year, partial = base_year_of(start, end_day)
    note = f"基准年 {year}" + ("（数据不完整，仅作演示）" if partial else "")
    measures = _measures(engine, year)
    with engine.begin() as conn:
        drop_scenarios(conn)
        bau = store.create_scenario(
            conn,
            ACTOR,
            {"name": BAU_NAME, "kind": "bau", "base_year": year, "description": note},
        )
        for parameter, sector, from_year, value in ASSUMPTIONS:
            first = year + 1 if from_year == 1 else max(from_year, year + 1)
            fields = {"parameter": parameter, "sector": sector, "from_year": first}
            add_assumption(conn, ACTOR, bau, fields | {"value_pct": value})
        policy = store.create_scenario(
            conn,
            ACTOR,
            {"name": POLICY_NAME, "kind": "policy", "base_year": year, "baseline_id": bau}
            | {"description": note},
        )
        for measure in measures:
            if measure["year"] > year:
                add_measure(conn, ACTOR, policy, measure)
    return {"bau": bau, "policy": policy}


def include_retrofits(engine: Engine) -> int:
    """The registered retrofits as the policy scenario's retrofit measures, in place of the
    sized ones (kept when no retrofit is registered); the number of measures added."""
    with engine.begin() as conn:
        policy = [s for s in store.list_scenarios(conn) if s["name"] == POLICY_NAME]
        if not policy:
            return 0
        scenario = int(policy[0]["id"])
        sized = [
            int(row["id"])
            for row in store.rows_of(conn, "measure", scenario)
            if row["kind"] == "retrofit" and row["retrofit_id"] is None
        ]
        added = import_retrofits(conn, Scope.all(), ACTOR, scenario).added
        if added:
            for row_id in sized:
                store.delete_row(conn, ACTOR, "measure", scenario, row_id)
    return added
