"""Writing readings with revisions and rollups, in batches (no per-record queries).

The same value again in a slot (item, period, start) is a no-op ``duplicate``; another value
becomes a new revision: the old row is copied to ``reading_revisions`` with its
``superseded_at`` and the slot's row is updated with ``revision + 1``. The rollups receive
each change (`nenghao.store.rollups.apply_changes`) in the caller's transaction. Readings of a
period other than their item's registered period are stored but not rolled up.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from nenghao.ingest.protocol import RecordStatus
from nenghao.store.rollups import FEEDS, ReadingChange, apply_changes, bucket_start
from nenghao.store.schema import reading_revisions, readings

Slot = tuple[int, str, int]
"""(item id, period, period start [Unix s])."""


@dataclass(frozen=True, slots=True)
class SlotWrite:
    """One value for one slot; `tag` is the caller's (a record index, usually)."""

    tag: int
    item_id: int
    period: str
    period_start: int
    value: float
    quality: str = "good"
    register_value: float | None = None
    flags: str | None = None

    @property
    def slot(self) -> Slot:
        """The slot this value fills."""
        return (self.item_id, self.period, self.period_start)


@dataclass(frozen=True, slots=True)
class SlotResult:
    """What happened to one `SlotWrite`."""

    status: RecordStatus
    revision: int


_COLUMNS = (
    readings.c.item_id,
    readings.c.period,
    readings.c.period_start,
    readings.c.value,
    readings.c.register_value,
    readings.c.quality,
    readings.c.source,
    readings.c.revision,
    readings.c.received_at,
    readings.c.flags,
)


def _same(a: float, b: float) -> bool:
    return a == b or math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)


_STORED = (
    select(*_COLUMNS)
    .where(readings.c.item_id.in_(bindparam("ids", expanding=True)))
    .where(readings.c.period_start.between(bindparam("lo"), bindparam("hi")))
)


def stored_readings(conn: Connection, slots: Iterable[Slot]) -> dict[Slot, dict[str, Any]]:
    """The stored rows of `slots`, by slot (one range query over their items and starts)."""
    wanted = set(slots)
    if not wanted:
        return {}
    starts = [slot[2] for slot in wanted]
    parameters = {"ids": sorted({slot[0] for slot in wanted}), "lo": min(starts), "hi": max(starts)}
    found: dict[Slot, dict[str, Any]] = {}
    for row in conn.execute(_STORED, parameters):
        slot = (row.item_id, row.period, row.period_start)
        if slot in wanted:
            found[slot] = dict(row._mapping)
    return found


def _unchanged(old: Mapping[str, Any], new: SlotWrite) -> bool:
    return (
        _same(old["value"], new.value)
        and old["quality"] == new.quality
        and old["flags"] == new.flags
        and (
            old["register_value"] == new.register_value
            or (
                old["register_value"] is not None
                and new.register_value is not None
                and _same(old["register_value"], new.register_value)
            )
        )
    )


def write_slots(
    conn: Connection,
    writes: Sequence[SlotWrite],
    *,
    source: str,
    received_at: int,
    rolled_periods: Mapping[int, str],
) -> dict[int, SlotResult]:
    """Store `writes` (distinct slots) as new readings, revisions or duplicates.

    `rolled_periods` maps each item id to its registered period: only writes of that period
    change the rollups. Returns the result of each write by tag.
    """
    stored = stored_readings(conn, (w.slot for w in writes))
    results: dict[int, SlotResult] = {}
    new_rows: list[tuple[Any, ...]] = []
    revised: list[tuple[dict[str, Any], SlotWrite]] = []
    changes: dict[tuple[int, str, int], list[float]] = defaultdict(lambda: [0.0, 0])
    for write in writes:
        old = stored.get(write.slot)
        if old is None:
            new_rows.append(_tuple(write, source, received_at))
            results[write.tag] = SlotResult(RecordStatus.ACCEPTED, 1)
            delta, count = write.value, 1
        elif _unchanged(old, write):
            results[write.tag] = SlotResult(RecordStatus.DUPLICATE, old["revision"])
            continue
        else:
            revised.append((old, write))
            results[write.tag] = SlotResult(RecordStatus.REVISED, old["revision"] + 1)
            delta, count = write.value - old["value"], 0
        if rolled_periods.get(write.item_id) == write.period:
            cell = changes[(write.item_id, write.period, _finest_bucket(write))]
            cell[0] += delta
            cell[1] += count
    if new_rows:
        _insert_rows(conn, new_rows)
    if revised:
        _supersede(conn, [old for old, _ in revised], received_at)
        conn.execute(
            _UPDATE,
            [
                {**_row(w, source, received_at, old["revision"] + 1), **_keys(old)}
                for old, w in revised
            ],
        )
    apply_changes(
        conn,
        [ReadingChange(i, p, start, d, int(c)) for (i, p, start), (d, c) in changes.items()],
    )
    return results


def _finest_bucket(write: SlotWrite) -> int:
    """The start of the finest rollup bucket the write feeds (changes are summed per bucket:
    every coarser bucket nests in it, so `apply_changes` gets the same totals)."""
    grains = FEEDS[write.period]
    return bucket_start(grains[0], write.period_start) if grains else write.period_start


def remove_slots(
    conn: Connection, slots: Iterable[Slot], *, at: int, rolled_periods: Mapping[int, str]
) -> int:
    """Remove stored readings (their last revision is kept in the history); returns the count."""
    stored = list(stored_readings(conn, slots).values())
    if not stored:
        return 0
    _supersede(conn, stored, at)
    conn.execute(
        delete(readings).where(
            readings.c.item_id == bindparam("k_item"),
            readings.c.period == bindparam("k_period"),
            readings.c.period_start == bindparam("k_start"),
        ),
        [_keys(old) for old in stored],
    )
    apply_changes(
        conn,
        [
            ReadingChange(old["item_id"], old["period"], old["period_start"], -old["value"], -1)
            for old in stored
            if rolled_periods.get(old["item_id"]) == old["period"]
        ],
    )
    return len(stored)


_INSERT_COLUMNS = (
    "item_id, period, period_start, value, register_value, quality, source, revision,"
    " received_at, flags"
)


def _tuple(write: SlotWrite, source: str, received_at: int) -> tuple[Any, ...]:
    return (
        write.item_id,
        write.period,
        write.period_start,
        write.value,
        write.register_value,
        write.quality,
        source,
        1,
        received_at,
        write.flags,
    )


def _insert_rows(conn: Connection, rows: list[tuple[Any, ...]]) -> None:
    """Insert new readings with one driver-level executemany (the hot path)."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    marks = ", ".join([mark] * 10)
    conn.exec_driver_sql(f"INSERT INTO readings ({_INSERT_COLUMNS}) VALUES ({marks})", rows)


def _row(write: SlotWrite, source: str, received_at: int, revision: int) -> dict[str, Any]:
    return {
        "item_id": write.item_id,
        "period": write.period,
        "period_start": write.period_start,
        "value": write.value,
        "register_value": write.register_value,
        "quality": write.quality,
        "source": source,
        "revision": revision,
        "received_at": received_at,
        "flags": write.flags,
    }


def _keys(old: Mapping[str, Any]) -> dict[str, Any]:
    return {"k_item": old["item_id"], "k_period": old["period"], "k_start": old["period_start"]}


_UPDATE = (
    update(readings)
    .where(
        readings.c.item_id == bindparam("k_item"),
        readings.c.period == bindparam("k_period"),
        readings.c.period_start == bindparam("k_start"),
    )
    .values(
        value=bindparam("value"),
        register_value=bindparam("register_value"),
        quality=bindparam("quality"),
        source=bindparam("source"),
        revision=bindparam("revision"),
        received_at=bindparam("received_at"),
        flags=bindparam("flags"),
    )
)


def _supersede(conn: Connection, olds: Sequence[Mapping[str, Any]], at: int) -> None:
    conn.execute(
        insert(reading_revisions),
        [{**{k: old[k] for k in _HISTORY}, "superseded_at": at} for old in olds],
    )


_HISTORY = (
    "item_id",
    "period",
    "period_start",
    "revision",
    "value",
    "register_value",
    "quality",
    "source",
    "received_at",
    "flags",
)
