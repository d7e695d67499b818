"""Key energy-using unit status (重点用能单位) from actual annual consumption.

Thresholds (policy.toml, NDRC Order No. 15 of 2018): >= 10 000 tce a year is a key unit;
5 000-10 000 tce a year may be designated by the province. The actual figure is the gross
comprehensive consumption at the fence at equivalent value (当量值) for the CST year.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from nenghao.analytics.items import Filters
from nenghao.analytics.key_unit_changes import annual_tce, changes, coverage
from nenghao.standards import get_catalog
from nenghao.store.schema import enterprises
from nenghao.store.scope import Scope

FINDINGS = {
    ("key", "key"): "consistent",
    ("key", "designated_range"): "below_key_threshold",
    ("key", "below"): "below_thresholds",
    ("designated", "key"): "above_registered_level",
    ("designated", "designated_range"): "consistent",
    ("designated", "below"): "below_thresholds",
    ("none", "key"): "unregistered_key_unit",
    ("none", "designated_range"): "may_be_designated",
    ("none", "below"): "consistent",
}
"""(registered level, level from actual consumption) -> finding."""


def actual_level(tce: float, key: float, designated: float) -> str:
    """``key`` (>= key threshold), ``designated_range`` or ``below`` [tce/yr thresholds].

    Parameters
    ----------
    tce : float [tce]
        Actual annual comprehensive energy consumption.
    key : float [tce]
        Key-unit threshold (10 000).
    designated : float [tce]
        Lower threshold for provincial designation (5 000).

    Returns
    -------
    str

    References
    ----------
    重点用能单位节能管理办法 (NDRC Order No. 15 of 2018).
    """
    if tce >= key:
        return "key"
    if tce >= designated:
        return "designated_range"
    return "below"


def key_units(
    connection: Connection,
    scope: Scope,
    year: int,
    filters: Filters | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Every enterprise in scope: actual annual tce of ``year`` and of the year before,
    registered level, finding; the additions to and removals from the key-unit list against
    the year before, and both years' data coverage."""
    policy = get_catalog().policy
    key = policy.key_unit_threshold.value
    designated = policy.key_unit_designated_threshold.value
    actual = annual_tce(connection, scope, year, filters)
    previous = annual_tce(connection, scope, year - 1, filters)
    query = (
        select(
            enterprises.c.id,
            enterprises.c.name,
            enterprises.c.division_code,
            enterprises.c.industry_code,
            enterprises.c.key_unit_level,
        )
        .where(scope.enterprise_clause(), *(filters or Filters()).clauses())
        .order_by(enterprises.c.id)
    )
    rows = []
    for row in connection.execute(query):
        tce = actual.get(row.id, 0.0)
        level = actual_level(tce, key, designated)
        before = previous.get(row.id, 0.0)
        rows.append(
            {
                "enterprise_id": row.id,
                "name": row.name,
                "division_code": row.division_code,
                "industry_code": row.industry_code,
                "registered_level": row.key_unit_level,
                "actual_tce": tce,
                "actual_level": level,
                "finding": FINDINGS[(row.key_unit_level, level)],
                "previous_tce": before,
                "previous_level": actual_level(before, key, designated),
            }
        )
    this_year = coverage(connection, scope, year, filters, today)
    return {
        "year": year,
        "year_complete": this_year["over"],
        "previous_year": year - 1,
        "coverage": [this_year, coverage(connection, scope, year - 1, filters, today)],
        **changes(rows),
        "basis": "equivalent",
        "thresholds": {
            "key_tce": key,
            "designated_tce": designated,
            "source": policy.key_unit_threshold.source,
            "status": policy.key_unit_threshold.status,
        },
        "rows": rows,
        "notes": {
            "actual_tce": "gross comprehensive consumption at the fence, equivalent value",
            "year_complete": "false: the year is not over and actual_tce is the total to date",
            "additions": "key units of the year by actual consumption that were not of the "
            "year before; removals the reverse",
        },
    }
