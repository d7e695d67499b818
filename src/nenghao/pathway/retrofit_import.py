"""The city's registered retrofits as measures of a policy scenario.

Each retrofit in scope becomes (or updates) one ``retrofit`` measure naming it by
``retrofit_id``: its saving per year verified by M&V where the baseline model meets the
criteria, else the claim, marked ``claimed`` (`nenghao.retrofits.savings`). The measure's
sector is its enterprise's (GB/T 4754 class through carbon_sectors.toml) and its year the
reporting period's first, or the year after the base year when that is later. Importing
again brings every referenced measure up to the retrofit's current saving; each change is
audited by the store.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from nenghao.analytics.periods import Period
from nenghao.retrofits.savings import retrofit_savings
from nenghao.standards.carbon_sectors import sector_of_industry
from nenghao.store import pathway as store
from nenghao.store.schema import enterprises
from nenghao.store.scope import Scope

from .emissions import city_emissions
from .errors import PathwayInputError
from .model import Measure
from .retrofit_inputs import retrofit_measure

__all__ = ["ImportResult", "import_retrofits"]

_FIELDS = tuple(Measure.model_fields)


@dataclass(frozen=True)
class ImportResult:
    """What an import did: measures added, updated and left as they were."""

    added: int
    updated: int
    unchanged: int


def _sectors(conn: Connection, enterprise_ids: set[int]) -> dict[int, str]:
    rows = conn.execute(
        select(enterprises.c.id, enterprises.c.industry_code).where(
            enterprises.c.id.in_(sorted(enterprise_ids))
        )
    )
    return {int(r.id): sector_of_industry(r.industry_code) for r in rows}


def import_retrofits(conn: Connection, scope: Scope, actor: str, scenario_id: int) -> ImportResult:
    """Add or update one measure per retrofit in ``scope`` (a policy scenario only)."""
    scenario = store.get_scenario(conn, scenario_id)
    base_year = int(scenario["base_year"])
    if scenario["kind"] != "policy":
        raise PathwayInputError(
            f"retrofits are measures of a policy scenario; scenario {scenario_id} is not one",
            details={"scenario_id": scenario_id, "kind": scenario["kind"]},
            zh="节能改造项目只能作为措施导入政策情景",
        )
    savings = retrofit_savings(conn, scope)
    if not savings:
        return ImportResult(0, 0, 0)
    base = city_emissions(conn, scope, Period.year(base_year))
    sector_of = _sectors(conn, {s.enterprise_id for s in savings})
    existing = {
        int(r["retrofit_id"]): r
        for r in store.rows_of(conn, "measure", scenario_id)
        if r["kind"] == "retrofit" and r["retrofit_id"] is not None
    }
    added = updated = unchanged = 0
    for saving in savings:
        sector = sector_of[saving.enterprise_id]
        measure = retrofit_measure(
            retrofit_id=saving.retrofit_id,
            name=saving.name,
            year=max(saving.year, base_year + 1),
            sector=sector,
            saving_tce=saving.equivalent_tce,
            saving_tco2=saving.tco2,
            verified=saving.basis == "verified",
            base=base.sectors[sector],
        )
        values = measure.model_dump()
        row = existing.get(saving.retrofit_id)
        if row is None:
            store.add_row(conn, actor, "measure", scenario_id, values)
            added += 1
        elif any(row[k] != values[k] for k in _FIELDS):
            store.change_row(conn, actor, "measure", scenario_id, int(row["id"]), values)
            updated += 1
        else:
            unchanged += 1
    return ImportResult(added, updated, unchanged)
