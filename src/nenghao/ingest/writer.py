"""Writing readings with revisions and rollups, in batches (no per-record queries).

The same value again in a slot (item, period, start) is a no-op ``duplicate``; another value
becomes a new revision: the old row is copied to ``reading_revisions`` with its
``superseded_at`` and the slot's row is updated with ``revision + 1``. The rollups receive
each change (`nenghao.store.rollups.apply_changes`) in the caller's transaction. Readings of a
period other than their item's registered period are stored but not rolled up.

Arrival order: a slot's current value is the one received last. Given `newer_from`, a write
whose slot holds a value received at or after that instant (a message processed late, after
one received later) does not replace it: its value goes to ``reading_revisions`` as
revision 0 (never current, ``superseded_at`` = its own ``received_at``), the rollups are
unchanged, and it is answered ``duplicate`` with the code ``older_than_stored``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Connection, bindparam, delete, insert, select, update
from sqlalchemy.dialects.postgresql.base import PGDialect

from nenghao.standards.calendar import period_start
from nenghao.standards.reason_codes import ReasonCode
from nenghao.standards.vocabulary import CHANNELS, RecordStatus
from nenghao.store.bulk import execute_arrays
from nenghao.store.outbox import forwarding, readings_written
from nenghao.store.rollups import FEEDS, ReadingChange, apply_changes
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
    """What happened to one `SlotWrite`; `code` says why a ``duplicate`` changed nothing
    although its value differs (``older_than_stored``)."""

    status: RecordStatus
    revision: int
    code: ReasonCode | None = None


_FIELDS = tuple(column.name for column in readings.columns)
"""The readings columns in table order: the order of every row tuple written here."""
_KEY = tuple(column.name for column in readings.primary_key.columns)
_COLUMN_LIST = ", ".join(_FIELDS)


def _same(a: float, b: float) -> bool:
    return a == b or math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)


_STORED = (
    select(readings)
    .where(readings.c.item_id.in_(bindparam("ids", expanding=True)))
    .where(readings.c.period == bindparam("period"))
    .where(readings.c.period_start.between(bindparam("lo"), bindparam("hi")))
)
"""The stored rows of some items in one period and a range of starts: with the period bound,
the primary key (item, period, start) serves the range; without it the whole history of each
item would be scanned."""


class SlotRanges:
    """The slots to look up and the range query per period that covers them.

    `wanted` (the exact slots, to drop other rows the ranges return) is built only when the
    query finds rows: new data, the common case, never needs it.
    """

    __slots__ = ("_slots", "_wanted", "ranges")

    def __init__(
        self,
        ranges: tuple[tuple[str, list[int], int, int], ...],
        slots: Callable[[], frozenset[Slot]],
    ) -> None:
        self.ranges = ranges
        """(period, item ids, lowest start, highest start) per statistic period."""
        self._slots = slots
        self._wanted: frozenset[Slot] | None = None

    @property
    def wanted(self) -> frozenset[Slot]:
        """The slots looked up."""
        if self._wanted is None:
            self._wanted = self._slots()
        return self._wanted


def slot_ranges(slots: Iterable[Slot]) -> SlotRanges:
    """The `SlotRanges` of `slots` (computed apart from the query, e.g. before a lock)."""
    wanted = frozenset(slots)
    by_period: dict[str, tuple[set[int], list[int]]] = {}
    for item_id, period, start in wanted:
        group = by_period.get(period)
        if group is None:
            group = by_period[period] = (set(), [])
        group[0].add(item_id)
        group[1].append(start)
    ranges = tuple(
        (period, sorted(ids), min(starts), max(starts))
        for period, (ids, starts) in by_period.items()
    )
    return SlotRanges(ranges, lambda: wanted)


def stored_readings(
    conn: Connection, slots: Iterable[Slot] | SlotRanges
) -> dict[Slot, dict[str, Any]]:
    """The stored rows of `slots`, by slot (one range query per statistic period)."""
    lookup = slots if isinstance(slots, SlotRanges) else slot_ranges(slots)
    found: dict[Slot, dict[str, Any]] = {}
    for period, ids, lo, hi in lookup.ranges:
        parameters = {"ids": ids, "period": period, "lo": lo, "hi": hi}
        for row in conn.execute(_STORED, parameters):
            slot = (row.item_id, row.period, row.period_start)
            if slot in lookup.wanted:
                found[slot] = dict(row._mapping)
    return found


def _unchanged(old: Mapping[str, Any], new: Entry) -> bool:
    value, quality, register_value, flags = new[4:]
    return (
        _same(old["value"], value)
        and old["quality"] == quality
        and old["flags"] == flags
        and (
            old["register_value"] == register_value
            or (
                old["register_value"] is not None
                and register_value is not None
                and _same(old["register_value"], register_value)
            )
        )
    )


Entry = tuple[int, int, str, int, float, str, float | None, str | None]
"""A `SlotWrite` as a plain tuple: (tag, item id, period, start, value, quality, register
value, flags) — what the hot path builds per record."""

Outcome = tuple[RecordStatus, int, ReasonCode | None]
"""What happened to one entry: (status, revision, code); the code only with a ``duplicate``
whose value differs from the newer one stored (``older_than_stored``)."""


def write_slots(
    conn: Connection,
    writes: Sequence[SlotWrite],
    *,
    source: str,
    received_at: int,
    rolled_periods: Mapping[int, str],
    newer_from: int | None = None,
) -> dict[int, SlotResult]:
    """Store `writes` (distinct slots) as new readings, revisions or duplicates.

    `rolled_periods` maps each item id to its registered period: only writes of that period
    change the rollups. `newer_from` [Unix s]: a stored value received at or after it is
    newer than `writes` and stays current (the module docstring); None (derived readings,
    which follow their source) replaces it regardless. Returns the result of each write by
    tag.
    """
    entries: list[Entry] = [
        (
            w.tag,
            w.item_id,
            w.period,
            w.period_start,
            w.value,
            w.quality,
            w.register_value,
            w.flags,
        )
        for w in writes
    ]
    outcome = write_entries(
        conn,
        entries,
        source=source,
        received_at=received_at,
        rolled_periods=rolled_periods,
        newer_from=newer_from,
    )
    return {
        entry[0]: SlotResult(status, revision, code)
        for entry, (status, revision, code) in zip(entries, outcome, strict=True)
    }


@dataclass(frozen=True, slots=True)
class NewReadings:
    """New readings without register values or flags, and their rollup changes, should none
    of their slots be stored yet: prepared outside the write transaction
    (`nenghao.ingest.plain`), used by `write_entries` when the stored-slot query finds
    nothing."""

    source: str
    received_at: int
    rows: dict[str, list[tuple[Any, ...]]]
    """By statistic period: (item id, start, value, quality)."""
    changes: list[ReadingChange]
    slots: SlotRanges

    def full_rows(self) -> list[tuple[Any, ...]]:
        """The rows with every column, in `_FIELDS` order."""
        source, received_at = self.source, self.received_at
        return [
            (item_id, period, start, value, None, quality, source, 1, received_at, None)
            for period, rows in self.rows.items()
            for item_id, start, value, quality in rows
        ]


def _insert_new(conn: Connection, new: NewReadings) -> None:
    """Insert `new`'s rows. On SQLite the columns every row shares are constants of the
    statement (a known period and source), which halves the cost of binding."""
    if conn.dialect.name != "sqlite" or new.source not in _SOURCES:
        _insert_rows(conn, new.full_rows())
        return
    for period, rows in new.rows.items():
        if period not in FEEDS:  # a statistic period: a known word, safe as an SQL constant
            raise ValueError(f"unknown statistic period {period!r}")
        shared = {
            "period": f"'{period}'",
            "register_value": "NULL",
            "source": f"'{new.source}'",
            "revision": "1",
            "received_at": str(int(new.received_at)),
            "flags": "NULL",
        }
        values = ", ".join(shared.get(name, "?") for name in _FIELDS)
        conn.exec_driver_sql(f"INSERT INTO readings ({_COLUMN_LIST}) VALUES ({values})", rows)


_SOURCES = frozenset(CHANNELS)
"""The reading sources (ingest channels): known words, safe as SQL constants."""


def write_entries(
    conn: Connection,
    entries: Sequence[Entry],
    *,
    source: str,
    received_at: int,
    rolled_periods: Mapping[int, str],
    new: NewReadings | None = None,
    rollups: list[ReadingChange] | None = None,
    stored: dict[Slot, dict[str, Any]] | None = None,
    newer_from: int | None = None,
) -> list[Outcome]:
    """`write_slots` on plain tuples; the `Outcome` of each entry, in order.

    One range query for the stored slots, one executemany for the new readings, one for
    the revisions, and the rollup changes summed per item and finest bucket. `new`, the
    planned rows of the same entries (`nenghao.ingest.plain`), is written as is when no
    slot is stored yet. The rollup changes are applied, or added to `rollups` for the
    caller to apply (`apply_changes`) later in the same transaction. `stored`, the caller's
    `stored_readings` of the same slots in this transaction, saves the query. `newer_from`:
    as in `write_slots`.
    """
    apply = apply_changes if rollups is None else _collect(rollups)
    if stored is None:
        stored = stored_readings(conn, new.slots if new else ((e[1], e[2], e[3]) for e in entries))
    if not stored and new is not None:
        if new.rows:
            _insert_new(conn, new)
            if forwarding(conn):
                readings_written(conn, new.full_rows())
        if new.changes:
            apply(conn, new.changes)
        return [_ACCEPTED] * sum(map(len, new.rows.values()))
    outcome: list[Outcome] = []
    append = outcome.append
    new_rows: list[tuple[Any, ...]] = []
    revised: list[tuple[dict[str, Any], Entry]] = []
    late: list[Entry] = []
    changes: dict[tuple[int, str, int], list[float]] = {}
    buckets: dict[tuple[str, int], int] = {}
    for entry in entries:
        _, item_id, period, start, value = entry[:5]
        old = stored.get((item_id, period, start)) if stored else None
        if old is None:
            new_rows.append(_reading_row(entry, source, received_at, 1))
            append(_ACCEPTED)
            delta, count = value, 1
        elif _unchanged(old, entry):
            append((RecordStatus.DUPLICATE, old["revision"], None))
            continue
        elif newer_from is not None and old["received_at"] >= newer_from:
            late.append(entry)
            append((RecordStatus.DUPLICATE, old["revision"], ReasonCode.OLDER_THAN_STORED))
            continue
        else:
            revised.append((old, entry))
            append((RecordStatus.REVISED, old["revision"] + 1, None))
            delta, count = value - old["value"], 0
        if rolled_periods.get(item_id) == period:
            bucket = buckets.get((period, start))
            if bucket is None:
                bucket = buckets[(period, start)] = finest_bucket(period, start)
            cell = changes.get((item_id, period, bucket))
            if cell is None:
                changes[(item_id, period, bucket)] = [delta, count]
            else:
                cell[0] += delta
                cell[1] += count
    if new_rows:
        _insert_rows(conn, new_rows)
    if revised:
        _supersede(conn, [old for old, _ in revised], received_at)
        conn.execute(
            _UPDATE,
            [_updated(old, e, source, received_at) for old, e in revised],
        )
    if (new_rows or revised) and forwarding(conn):
        revisions = [
            _reading_row(e, source, received_at, old["revision"] + 1) for old, e in revised
        ]
        readings_written(conn, new_rows + revisions)
    if late:
        conn.execute(
            insert(reading_revisions),
            [_never_current(entry, source, received_at) for entry in late],
        )
    if changes:
        apply(
            conn,
            [ReadingChange(i, p, start, d, int(c)) for (i, p, start), (d, c) in changes.items()],
        )
    return outcome


def _collect(sink: list[ReadingChange]) -> Callable[[Connection, list[ReadingChange]], object]:
    def collect(_conn: Connection, changes: list[ReadingChange]) -> None:
        sink.extend(changes)

    return collect


_ACCEPTED: Outcome = (RecordStatus.ACCEPTED, 1, None)


def finest_bucket(period: str, start: int) -> int:
    """The start of the finest rollup bucket a reading feeds (changes are summed per bucket:
    every coarser bucket nests in it, so `apply_changes` gets the same totals)."""
    grains = FEEDS[period]
    return period_start(grains[0], start) if grains else start


def remove_rows(
    conn: Connection,
    stored: Sequence[Mapping[str, Any]],
    *,
    at: int,
    rolled_periods: Mapping[int, str],
    rollups: list[ReadingChange] | None = None,
) -> None:
    """Remove stored readings (rows as `stored_readings` gives them; their last revision is
    kept in the history). Their rollup changes are applied, or added to `rollups`."""
    if not stored:
        return
    _supersede(conn, stored, at)
    conn.execute(
        delete(readings).where(
            readings.c.item_id == bindparam("k_item"),
            readings.c.period == bindparam("k_period"),
            readings.c.period_start == bindparam("k_start"),
        ),
        [_keys(old) for old in stored],
    )
    if forwarding(conn):
        slots = [(old["item_id"], old["period"], old["period_start"]) for old in stored]
        readings_written(conn, [], removed=slots)
    changes = [
        ReadingChange(old["item_id"], old["period"], old["period_start"], -old["value"], -1)
        for old in stored
        if rolled_periods.get(old["item_id"]) == old["period"]
    ]
    if rollups is None:
        apply_changes(conn, changes)
    else:
        rollups.extend(changes)


_PG_DIALECT = PGDialect()  # type: ignore[no-untyped-call]


def _array_type(column: Column[Any]) -> str:
    """The PostgreSQL array type of a column's values; without a length, as an explicit cast
    to ``varchar(n)`` would cut longer text instead of refusing it."""
    return re.sub(r"\([0-9]+\)$", "", column.type.compile(dialect=_PG_DIALECT)) + "[]"


_SQLITE_INSERT = f"INSERT INTO readings ({_COLUMN_LIST}) VALUES ({', '.join('?' for _ in _FIELDS)})"
_PG_INSERT = (
    f"INSERT INTO readings ({_COLUMN_LIST}) SELECT * FROM unnest("
    + ", ".join(f"%b::{_array_type(column)}" for column in readings.columns)
    + ")"
)


def _insert_rows(conn: Connection, rows: list[tuple[Any, ...]]) -> None:
    """Insert new readings in one statement (the hot path).

    SQLite: the driver's executemany (a prepared statement stepped per row, in C).
    PostgreSQL: one ``INSERT ... SELECT FROM unnest(arrays)`` with a column array per field;
    the driver's executemany would pipeline one statement per row, with a Python round of
    its own for each.
    """
    if conn.dialect.name == "postgresql":
        execute_arrays(conn, _PG_INSERT, rows)
        return
    conn.exec_driver_sql(_SQLITE_INSERT, rows)


def _reading_row(entry: Entry, source: str, received_at: int, revision: int) -> tuple[Any, ...]:
    """The readings row of `entry`, in `_FIELDS` order."""
    _, item_id, period, start, value, quality, register_value, flags = entry
    return (
        item_id,
        period,
        start,
        value,
        register_value,
        quality,
        source,
        revision,
        received_at,
        flags,
    )


def _updated(old: Mapping[str, Any], entry: Entry, source: str, received_at: int) -> dict[str, Any]:
    """The `_UPDATE` parameters that make `entry` the next revision of `old`."""
    row = _reading_row(entry, source, received_at, old["revision"] + 1)
    return {**dict(zip(_FIELDS, row, strict=True)), **_keys(old)}


def _keys(old: Mapping[str, Any]) -> dict[str, Any]:
    return {"k_item": old["item_id"], "k_period": old["period"], "k_start": old["period_start"]}


_UPDATE = (
    update(readings)
    .where(
        readings.c.item_id == bindparam("k_item"),
        readings.c.period == bindparam("k_period"),
        readings.c.period_start == bindparam("k_start"),
    )
    .values({name: bindparam(name) for name in _FIELDS if name not in _KEY})
)


def _supersede(conn: Connection, olds: Sequence[Mapping[str, Any]], at: int) -> None:
    conn.execute(
        insert(reading_revisions),
        [{**{k: old[k] for k in _HISTORY}, "superseded_at": at} for old in olds],
    )


_HISTORY = tuple(name for name in _FIELDS if name in reading_revisions.c)
"""The columns of a reading its history row keeps."""


def _never_current(entry: Entry, source: str, received_at: int) -> dict[str, Any]:
    """The history row of a value received before the slot's current one: revision 0,
    superseded on arrival."""
    row = dict(zip(_FIELDS, _reading_row(entry, source, received_at, 0), strict=True))
    return {**{k: row[k] for k in _HISTORY}, "superseded_at": received_at}
