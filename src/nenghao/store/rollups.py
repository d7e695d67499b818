"""Rollups: sums of each item's current readings per CST hour, day, month and year.

Writers call `apply_changes` in the same transaction as the readings they write, passing the
change of each reading (a new reading adds its value and one to the count; a revision adds
the difference and nothing to the count), so rollups always equal the sums of the readings.
`rebuild` recomputes them from the readings in SQL (after bulk loads, or to repair).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Subquery,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    union_all,
)

from nenghao.standards.calendar import (
    CST_OFFSET_S,
    DAY_S,
    HOUR_S,
    next_start,
    period_start,
    starts_between,
)
from nenghao.store import status_counts
from nenghao.store.bulk import execute_arrays
from nenghao.store.schema import data_items, readings, rollups

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


def apply_changes(connection: Connection, changes: Iterable[ReadingChange]) -> int:
    """Add reading changes to every rollup they feed; returns the number of rollup rows touched.

    Changes are first summed per item, period and CST day (one pass, integer arithmetic),
    then each day cell is carried to its month and year, so the calendar is consulted once
    per day and not once per reading.
    """
    sums: dict[tuple[int, str, int], list[float]] = defaultdict(lambda: [0.0, 0])
    days: dict[tuple[int, str, int], list[float]] = defaultdict(lambda: [0.0, 0])
    for change in changes:
        start = change.period_start
        if change.period == "15min":
            cell = sums[(change.item_id, "hour", start - start % HOUR_S)]
            cell[0] += change.delta
            cell[1] += change.count
        cell = days[(change.item_id, change.period, start - (start + CST_OFFSET_S) % DAY_S)]
        cell[0] += change.delta
        cell[1] += change.count
    for (item_id, period, day), (delta, count) in days.items():
        for grain in FEEDS[period]:
            if grain == "hour":
                continue
            bucket = day if grain == "day" else period_start(grain, day)
            cell = sums[(item_id, grain, bucket)]
            cell[0] += delta
            cell[1] += count
    status_counts.add_records(connection, {key: int(cell[1]) for key, cell in days.items()})
    if not sums:
        return 0
    rows = [(i, g, s, v, int(c)) for (i, g, s), (v, c) in sorted(sums.items())]
    if connection.dialect.name == "postgresql":
        # One statement over column arrays; keys are unique, so no row is updated twice.
        execute_arrays(connection, _PG_UPSERT, rows)
    else:
        connection.exec_driver_sql(_UPSERT.format(*(["?"] * 5)), rows)
    return len(rows)


_UPSERT = (
    "INSERT INTO rollups (item_id, grain, period_start, value, count) "
    "VALUES ({}, {}, {}, {}, {}) "
    "ON CONFLICT (item_id, grain, period_start) DO UPDATE SET "
    "value = rollups.value + excluded.value, count = rollups.count + excluded.count"
)
"""The upsert, sent straight to the driver (SQLite and PostgreSQL share the syntax): rows
are plain tuples, so a batch costs no per-row statement compilation."""

_PG_UPSERT = (
    "INSERT INTO rollups (item_id, grain, period_start, value, count) "
    "SELECT * FROM unnest(%b::integer[], %b::varchar[], %b::bigint[],"
    " %b::double precision[], %b::integer[]) "
    "ON CONFLICT (item_id, grain, period_start) DO UPDATE SET "
    "value = rollups.value + excluded.value, count = rollups.count + excluded.count"
)
"""The upsert on PostgreSQL: one statement over column arrays instead of a statement per
row (the driver's executemany pays a Python round per row)."""


def rebuild(connection: Connection, item_ids: Iterable[int] | None = None) -> int:
    """Recompute the rollups of `item_ids` (default: every item) from their readings, in SQL.

    Hours and days are ``GROUP BY`` over the readings of each item's registered period;
    months are built from the day rollups (plus readings of daily items), years from the
    month rollups (plus readings of monthly items), so the raw readings are scanned once per
    fine grain. Returns the rollup rows written.
    """
    ids = None if item_ids is None else sorted(set(item_ids))
    if ids is not None and not ids:
        return 0
    wipe = delete(rollups)
    if ids is not None:
        wipe = wipe.where(rollups.c.item_id.in_(ids))
    connection.execute(wipe)
    written = 0
    for grain, periods in (("hour", ("15min",)), ("day", ("15min", "hour"))):
        written += _insert(connection, grain, _fine_source(grain, periods, ids))
    for grain, finer, own in (("month", "day", "day"), ("year", "month", "month")):
        source = _coarse_source(finer, own, ids)
        written += _insert(connection, grain, source, _calendar_case(connection, grain, source))
    status_counts.rebuild(connection, ids)
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("ANALYZE rollups")  # fresh statistics for the planner
    return written


def _registered(ids: list[int] | None, periods: tuple[str, ...]) -> Select[Any]:
    """(item id, start, value, 1) of readings of the items' own registered period."""
    query = (
        select(
            readings.c.item_id,
            readings.c.period_start,
            readings.c.value,
            literal(1).label("count"),
        )
        .join(
            data_items,
            (data_items.c.id == readings.c.item_id) & (data_items.c.period == readings.c.period),
        )
        .where(readings.c.period.in_(periods))
    )
    return query if ids is None else query.where(readings.c.item_id.in_(ids))


def _fine_source(grain: str, periods: tuple[str, ...], ids: list[int] | None) -> Subquery:
    base = _registered(ids, periods).subquery()
    start = base.c.period_start
    bucket = start - start % HOUR_S if grain == "hour" else start - (start + CST_OFFSET_S) % DAY_S
    return select(
        base.c.item_id, bucket.label("period_start"), base.c.value, base.c.count
    ).subquery()


def _coarse_source(finer: str, own: str, ids: list[int] | None) -> Subquery:
    rolled = select(
        rollups.c.item_id, rollups.c.period_start, rollups.c.value, rollups.c.count
    ).where(rollups.c.grain == finer)
    if ids is not None:
        rolled = rolled.where(rollups.c.item_id.in_(ids))
    return union_all(rolled, _registered(ids, (own,))).subquery()


def _calendar_case(connection: Connection, grain: str, source: Subquery) -> ColumnElement[Any]:
    """A CASE mapping a day (or month) start to its CST month (or year) start."""
    low, high = connection.execute(
        select(func.min(source.c.period_start), func.max(source.c.period_start))
    ).one()
    if low is None:
        return source.c.period_start
    starts = starts_between(grain, low, high + 1)
    starts.append(next_start(grain, starts[-1]))
    whens = [(source.c.period_start < nxt, literal(cur)) for cur, nxt in itertools.pairwise(starts)]
    return case(*whens, else_=literal(starts[-1]))


def _insert(
    connection: Connection,
    grain: str,
    source: Subquery,
    bucket: ColumnElement[Any] | None = None,
) -> int:
    column = source.c.period_start if bucket is None else bucket
    grouped = select(
        source.c.item_id,
        literal(grain).label("grain"),
        column.label("bucket"),
        func.sum(source.c.value),
        func.sum(source.c.count),
    ).group_by(source.c.item_id, column)
    statement = insert(rollups).from_select(
        ["item_id", "grain", "period_start", "value", "count"], grouped
    )
    count = connection.execute(statement).rowcount
    if count is None or count < 0:  # a driver that does not report INSERT ... SELECT counts
        count = connection.execute(
            select(func.count()).select_from(rollups).where(rollups.c.grain == grain)
        ).scalar_one()
    return int(count)


def rollup_total(connection: Connection, item_id: int, grain: str, start: int, end: int) -> float:
    """Sum of an item's rollups of `grain` with start in [start, end)."""
    total: float = connection.execute(
        select(func.coalesce(func.sum(rollups.c.value), 0.0))
        .where(rollups.c.item_id == item_id)
        .where(rollups.c.grain == grain)
        .where(rollups.c.period_start >= start)
        .where(rollups.c.period_start < end)
    ).scalar_one()
    return total
