"""Changes of the key-unit list between two years: additions, removals and data coverage.

An enterprise is a key unit of a year when its actual gross comprehensive consumption at the
fence (当量值) reaches the key-unit threshold in that year (:mod:`nenghao.analytics.key_units`).
An addition of year ``Y`` is a key unit of ``Y`` that was not one of ``Y-1``; a removal is the
reverse. Each year's coverage (months with fence consumption, whether the year is over) is
answered beside, so a change caused by missing data can be told from a real one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection

from nenghao.analytics.item_factors import COLUMN
from nenghao.analytics.items import Filters
from nenghao.analytics.ledger import build_ledger, build_series
from nenghao.analytics.periods import Period
from nenghao.store.scope import Scope


def annual_tce(
    connection: Connection, scope: Scope, year: int, filters: Filters | None = None
) -> dict[int, float]:
    """Each enterprise's gross comprehensive consumption at the fence in ``year`` [tce, 当量值]."""
    ledger = build_ledger(connection, scope, Period.year(year), filters, kinds=("fence",))
    return {
        int(k): float(v[COLUMN["equivalent_tce"]]) for k, v in ledger.grouped("enterprise").items()
    }


def coverage(
    connection: Connection,
    scope: Scope,
    year: int,
    filters: Filters | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Whether ``year`` is over (CST date) and how many of its months have fence consumption."""
    period = Period.year(year)
    built = build_series(
        connection, scope, period, "month", "city", filters, measures=("input_tce",)
    )
    city = built.groups.get("city")
    months = int((city[0] > 0).sum()) if city is not None else 0
    over = (today or date.today()) > period.last_day
    return {
        "year": year,
        "over": over,
        "months_with_data": months,
        "complete": over and months == 12,
    }


def changes(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Additions and removals from rows holding ``actual_level`` and ``previous_level``."""

    def entry(row: dict[str, Any]) -> dict[str, Any]:
        keys = ("enterprise_id", "name", "division_code", "actual_tce", "previous_tce")
        return {k: row[k] for k in keys}

    return {
        "additions": [
            entry(r) for r in rows if r["actual_level"] == "key" and r["previous_level"] != "key"
        ],
        "removals": [
            entry(r) for r in rows if r["actual_level"] != "key" and r["previous_level"] == "key"
        ],
    }
