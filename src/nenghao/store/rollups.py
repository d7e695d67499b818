"""Rollups: sums of each item's current readings per CST hour, day, month and year.

Writers call `apply_changes` in the same transaction as the readings they write, passing the
change of each reading (a new reading adds its value and one to the count; a revision adds
the difference and nothing to the count), so rollups always equal the sums of the readings.
`rebuild` recomputes them from the readings (after bulk loads, or to repair).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import Connection, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from nenghao.store.schema import data_items, readings, rollups
from nenghao.store.timebase import CST_OFFSET_S, DAY_S, cst_midnight, to_cst

FEEDS: dict[str, tuple[str, ...]] = {
    "15min": ("hour", "day", "month", "year"),
    "hour": ("day", "month", "year"),
    "day": ("month", "year"),
    "month": ("year",),
    "year": (),
}
"""The grains each statistic period rolls up into."""


@dataclass(frozen=True)
class ReadingChange:
    """How one reading of an item's registered period changed."""

    item_id: int
    period: str
    period_start: int
    delta: float
    count: int = 1
    """1 for a new reading, 0 for a revision of an existing one, -1 for a removal."""


def bucket_start(grain: str, instant: int) -> int:
    """Start (Unix seconds) of the CST hour, day, month or year holding `instant`."""
    if grain == "hour":
        return instant - instant % 3600
    day = instant - (instant + CST_OFFSET_S) % DAY_S
    if grain == "day":
        return day
    return _calendar_start(grain, day)


@lru_cache(maxsize=4096)
def _calendar_start(grain: str, day_start: int) -> int:
    local = to_cst(day_start)
    if grain == "month":
        return cst_midnight(date(local.year, local.month, 1))
    if grain == "year":
        return cst_midnight(date(local.year, 1, 1))
    raise ValueError(f"unknown grain {grain!r}")


def apply_changes(connection: Connection, changes: Iterable[ReadingChange]) -> int:
    """Add reading changes to every rollup they feed; returns the number of rollup rows touched."""
    sums: dict[tuple[int, str, int], list[float]] = defaultdict(lambda: [0.0, 0])
    for change in changes:
        for grain in FEEDS[change.period]:
            cell = sums[(change.item_id, grain, bucket_start(grain, change.period_start))]
            cell[0] += change.delta
            cell[1] += change.count
    if not sums:
        return 0
    rows = [
        {"item_id": i, "grain": g, "period_start": s, "value": v, "count": int(c)}
        for (i, g, s), (v, c) in sums.items()
    ]
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(rollups)
    statement = statement.on_conflict_do_update(
        index_elements=[rollups.c.item_id, rollups.c.grain, rollups.c.period_start],
        set_={
            "value": rollups.c.value + statement.excluded.value,
            "count": rollups.c.count + statement.excluded.count,
        },
    )
    connection.execute(statement, rows)
    return len(rows)


def rebuild(connection: Connection, item_ids: Iterable[int] | None = None) -> int:
    """Recompute the rollups of `item_ids` (default: every item) from their readings.

    Only readings of each item's registered period count. Returns the rollup rows written.
    """
    items = select(data_items.c.id, data_items.c.period)
    if item_ids is not None:
        items = items.where(data_items.c.id.in_(list(item_ids)))
    written = 0
    for item_id, period in connection.execute(items).all():
        connection.execute(delete(rollups).where(rollups.c.item_id == item_id))
        series = connection.execute(
            select(readings.c.period_start, readings.c.value)
            .where(readings.c.item_id == item_id)
            .where(readings.c.period == period)
        )
        changes = (ReadingChange(item_id, period, start, value) for start, value in series)
        written += apply_changes(connection, changes)
    return written


def rollup_total(connection: Connection, item_id: int, grain: str, start: int, end: int) -> float:
    """Sum of an item's rollups of `grain` with start in [start, end)."""
    return connection.execute(
        select(func.coalesce(func.sum(rollups.c.value), 0.0))
        .where(rollups.c.item_id == item_id)
        .where(rollups.c.grain == grain)
        .where(rollups.c.period_start >= start)
        .where(rollups.c.period_start < end)
    ).scalar_one()
