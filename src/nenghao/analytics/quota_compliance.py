"""Every enterprise's products against their quotas: who exceeds the limit (超限额) and how
plants compare with their peers.

One ledger is read for the whole scope and cut per enterprise; each enterprise's rows are
those of `nenghao.analytics.unit_products.product_rows`, the same computation the
enterprise's own unit-product answer uses. The limit is Level 3 after corrections, the
edition the one in force on the last day read.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection

from nenghao.analytics.items import Filters
from nenghao.analytics.ledger import build_ledger, names_of
from nenghao.analytics.periods import Period, compared_spans, through_label, today_cst
from nenghao.analytics.unit_products import UNIT_PRODUCT_KINDS, product_rows
from nenghao.standards import UnknownKeyError, get_catalog
from nenghao.store.scope import Scope

LEVEL_ORDER = {"above_limit": 0, "L3": 1, "L2": 2, "L1": 3}
"""Rows are listed worst level first."""


def default_period(today: date) -> Period:
    """The year to date: the CST year of the last complete day."""
    return Period.year((today - timedelta(days=1)).year)


def read_span(period: Period, today: date) -> tuple[Period, bool]:
    """The part of ``period`` whose days are complete, and whether it was cut (partial)."""
    spans = compared_spans(period, today)
    if spans is None:  # no day complete yet: the period as asked (no data)
        return period, False
    return spans.current, spans.partial


def quota_compliance(
    connection: Connection,
    scope: Scope,
    period: Period | None = None,
    filters: Filters | None = None,
    product: str | None = None,
    only_exceeders: bool = False,
    today: date | None = None,
) -> dict[str, Any]:
    """Each product of every enterprise in scope against its quota.

    Parameters
    ----------
    connection : Connection
        Database connection.
    scope : Scope
        The caller's scope (a district its division, an enterprise itself).
    period : Period, optional
        CST days; the year to date by default. A period in progress is read up to its last
        complete day (``partial``).
    filters : Filters, optional
        Division or industry inside the scope.
    product : str, optional
        Quota product code.
    only_exceeders : bool
        Keep only the rows above the limit.
    today : date, optional
        The CST day whose data is not complete yet (the store's clock by default).

    Returns
    -------
    dict
        ``period``, ``start``, ``end`` (read), ``partial``, ``through`` (截至 label),
        ``quota_date``, ``rows`` (worst level first), ``counts`` and ``notes``.
    """
    if product is not None and product not in get_catalog().quota_standards:
        raise UnknownKeyError(f"unknown quota product {product!r}")
    today = today or today_cst()
    asked = period or default_period(today)
    read, partial = read_span(asked, today)
    ledger = build_ledger(connection, scope, read, filters, kinds=UNIT_PRODUCT_KINDS)
    positions: defaultdict[int, list[int]] = defaultdict(list)
    for position, item in enumerate(ledger.items):
        positions[item.enterprise_id].append(position)
    names = names_of(connection, "enterprise", positions)
    rows = []
    for enterprise_id, mine in positions.items():
        first = ledger.items[mine[0]]
        for row in product_rows(ledger, mine, read.last_day):
            if product is not None and row["product_code"] != product:
                continue
            rows.append(_compliance_row(enterprise_id, names[enterprise_id], first, row))
    rows.sort(key=_order)
    exceeding = [row for row in rows if row["level"] == "above_limit"]
    shown = exceeding if only_exceeders else rows
    return {
        "period": asked.label,
        "start": read.start.isoformat(),
        "end": read.last_day.isoformat(),
        "partial": partial,
        "through": through_label(read.last_day) if partial else None,
        "quota_date": read.last_day.isoformat(),
        "only_exceeders": only_exceeders,
        "rows": shown,
        "counts": {
            "products": len(rows),
            "assessed": sum(1 for row in rows if row["level"] is not None),
            "exceeding": len(exceeding),
            "exceeding_enterprises": len({row["enterprise_id"] for row in exceeding}),
        },
        "notes": {
            "limit": "Level 3 (the mandatory limit) after the corrections applied, kgce/t",
            "level": "the best level whose threshold the value does not exceed; above Level 3 "
            "the value exceeds the limit",
            "edition_status": "unverified: a value of the edition or of a correction is not "
            "yet checked against the standard's text",
        },
    }


def _compliance_row(
    enterprise_id: int, enterprise_name: str, item: Any, row: dict[str, Any]
) -> dict[str, Any]:
    catalog = get_catalog()
    division = catalog.divisions.get(item.division_code)
    industry = catalog.industries.get(item.industry_code)
    quota = row.get("quota")
    limit = quota["thresholds"].get("L3") if quota else None
    value = row["unit_consumption"]
    return {
        "enterprise_id": enterprise_id,
        "enterprise_name": enterprise_name,
        "division_code": item.division_code,
        "division_name": division.name_zh if division else item.division_code,
        "industry_code": item.industry_code,
        "industry_name": industry.name_zh if industry else item.industry_code,
        "item_id": row["item_id"],
        "product_code": row["product_code"],
        "product_name": row["product_name"],
        "output_t": row["output_t"],
        "unit_consumption": value,
        "unit": row.get("unit", "kgce/t"),
        "status": row["status"],
        "level": quota["level"] if quota else None,
        "limit": limit,
        "excess": value - limit if quota and limit is not None else None,
        "thresholds": quota["thresholds"] if quota else {},
        "edition": quota["edition"] if quota else row.get("edition"),
        "edition_title": quota["title"] if quota else None,
        "edition_status": quota["status"] if quota else None,
        "local": quota["local"] if quota else None,
        "message": row.get("message"),
    }


def _order(row: dict[str, Any]) -> tuple[int, str, float]:
    level = LEVEL_ORDER.get(row["level"] or "", len(LEVEL_ORDER))
    value = row["unit_consumption"]
    return level, row["product_code"] or "", -(value if value is not None else float("-inf"))
