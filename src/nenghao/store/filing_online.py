"""The online figure of a filed quantity: the sum of its online items over a month or a
year, in the filed unit, and how many days of the period the online data covers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, and_, select

from nenghao.accounting.units import convert
from nenghao.standards.calendar import next_start
from nenghao.store.schema import readings, rollups

DAY_S = 86400


def online_figure(
    conn: Connection,
    items: Sequence[Mapping[str, Any]],
    period: str,
    start: int,
    end: int,
    unit: str,
) -> tuple[float | None, int]:
    """The sum of `items` over the period (grain `period`, in `unit`; None when nothing is
    stored) and the number of its days with online data."""
    by_id = {int(item["id"]): item for item in items}
    total: float | None = None
    sums = conn.execute(
        select(rollups.c.item_id, rollups.c.value).where(
            rollups.c.item_id.in_(list(by_id)),
            rollups.c.grain == period,
            rollups.c.period_start == start,
        )
    )
    for item_id, value in sums:
        total = (total or 0.0) + convert(float(value), str(by_id[item_id]["unit"]), unit)
    return total, len(_covered_days(conn, items, start, end))


def _covered_days(
    conn: Connection, items: Sequence[Mapping[str, Any]], start: int, end: int
) -> set[int]:
    """The starts of the days in [start, end) some item has data for: day rollups of the
    sub-daily items, day readings, and every day of a month reading."""
    ids = {p: [int(i["id"]) for i in items if i["period"] == p] for p in ("day", "month")}
    fine = [int(i["id"]) for i in items if i["period"] in ("15min", "hour")]
    days: set[int] = set()
    in_range = and_(rollups.c.period_start >= start, rollups.c.period_start < end)
    if fine:
        query = select(rollups.c.period_start).where(
            rollups.c.item_id.in_(fine), rollups.c.grain == "day", in_range
        )
        days.update(int(s) for s in conn.execute(query.distinct()).scalars())
    for period, item_ids in ids.items():
        if not item_ids:
            continue
        query = select(readings.c.period_start).where(
            readings.c.item_id.in_(item_ids),
            readings.c.period == period,
            readings.c.period_start >= start,
            readings.c.period_start < end,
        )
        for first in conn.execute(query.distinct()).scalars():
            last = next_start(period, int(first)) if period == "month" else int(first) + DAY_S
            days.update(range(int(first), min(last, end), DAY_S))
    return days
