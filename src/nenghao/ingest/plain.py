"""The plain path's plan: a message of plain interval records, checked and turned into rows
and rollup changes before the write transaction.

A record is plain when `validate_records` would accept it as sent without converting or
decoding anything: a registered interval item of the record's period, in the item's own
unit, a value (no register reading), an ended period, and the item's sign and bound
respected. `plan_plain` checks every record and builds, in one pass, what the write needs:
the entries (for the general write, should a slot be stored already), the new rows by
period, the rollup changes per finest bucket and the range query of the stored-slot check.
Any record that is not plain gives None: the message then takes the full path.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, overload

from nenghao.accounting.units import convert
from nenghao.ingest.item_limits import ValidationLimits, item_bound
from nenghao.ingest.items import RegisteredItem, RegistryRow, items_from_rows
from nenghao.ingest.plain_message import PlainMessage
from nenghao.ingest.writer import Entry, NewReadings, Slot, SlotRanges, finest_bucket
from nenghao.standards.calendar import CST_OFFSET_S, DAY_S, FIXED_SECONDS
from nenghao.store.rollups import ReadingChange


class NotPlainError(Exception):
    """A record of the message needs the full treatment."""


@dataclass(frozen=True, slots=True)
class PlainPlan:
    """What storing a message of plain records takes, prepared against `item_rows`."""

    item_rows: list[RegistryRow]
    entries: Sequence[Entry] | None
    """The records as entries (lazy), or None for a plan made in another process: a message
    with a stored slot then takes the full path."""
    rolled: dict[int, str]
    new: NewReadings

    def detached(self) -> PlainPlan:
        """This plan without its entries, which hold the parsed message (to send it to
        another process)."""
        return PlainPlan(self.item_rows, None, self.rolled, self.new)


@dataclass(frozen=True, slots=True)
class _PlainItem:
    """What the checks need of one item, the list its new rows go to and its rollup cells."""

    item_id: int
    period: str
    unit: str
    bound: float | None
    negative_ok: bool
    seconds: int
    rows: list[tuple[Any, ...]]
    span: int
    """The finest rollup bucket is ``start - (start + offset) % span`` (0: by the calendar)."""
    offset: int
    cells: dict[int, list[float]]
    """Rollup change per finest bucket: [sum of values, count]."""


def plan_plain(
    message: PlainMessage,
    rows: list[RegistryRow],
    *,
    channel: str,
    at: int,
    limits: ValidationLimits,
) -> PlainPlan | None:
    """The plan of `message` against the enterprise's `item_rows`, or None if a record is not
    plain (or the channel is manual filing, whose records are marked as such)."""
    if channel == "manual":
        return None
    items = items_from_rows(rows)
    latest = at + limits.clock_tolerance_s
    known: dict[str, _PlainItem] = {}
    by_period: dict[str, list[tuple[Any, ...]]] = {}
    for record, start in zip(message.records, message.starts, strict=True):
        code = record["item"]
        item = known.get(code)
        if item is None:
            item = _plain_item(items.get(code), limits, by_period)
            if item is None:
                return None
            known[code] = item
        value = record.get("value")
        if (
            value is None
            or record["period"] != item.period
            or record["unit"] != item.unit
            or record.get("register") is not None
            or start + item.seconds > latest
            or (value < 0 and not item.negative_ok)
            or (item.bound is not None and abs(value) > item.bound)
        ):
            return None
        item.rows.append((item.item_id, start, value, record.get("quality") or "good"))
        if item.span:  # the finest bucket by arithmetic (hours, CST days)
            bucket = start - (start + item.offset) % item.span
        else:
            bucket = finest_bucket(item.period, start)
        cell = item.cells.get(bucket)
        if cell is None:
            item.cells[bucket] = [value, 1]
        else:
            cell[0] += value
            cell[1] += 1
    entries = _Entries(message, known)
    new = NewReadings(
        source=channel,
        received_at=at,
        rows=by_period,
        changes=[
            ReadingChange(item.item_id, item.period, bucket, total, int(count))
            for item in known.values()
            for bucket, (total, count) in item.cells.items()
        ],
        slots=_ranges(known, by_period),
    )
    rolled = {item.item_id: item.period for item in known.values()}
    return PlainPlan(rows, entries, rolled, new)


class _Entries(Sequence[Entry]):
    """The plan's entries, in record order, built only if asked for (when a slot of the
    message is stored already; new data never needs them)."""

    def __init__(self, message: PlainMessage, known: dict[str, _PlainItem]) -> None:
        self._message, self._known = message, known
        self._built: list[Entry] | None = None

    def _entries(self) -> list[Entry]:
        if self._built is None:
            built: list[Entry] = []
            pairs = zip(self._message.records, self._message.starts, strict=True)
            for index, (record, start) in enumerate(pairs):
                item, value = self._known[record["item"]], record.get("value")
                assert value is not None  # every record was checked by `plan_plain`
                quality = record.get("quality") or "good"
                built.append((index, item.item_id, item.period, start, value, quality, None, None))
            self._built = built
        return self._built

    def __len__(self) -> int:
        return len(self._message.records)

    @overload
    def __getitem__(self, index: int) -> Entry: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Entry]: ...
    def __getitem__(self, index: int | slice) -> Entry | Sequence[Entry]:
        return self._entries()[index]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries())


def _plain_item(
    item: RegisteredItem | None,
    limits: ValidationLimits,
    by_period: dict[str, list[tuple[Any, ...]]],
) -> _PlainItem | None:
    if item is None or item.spec.value_kind != "interval" or not item.spec.approved:
        return None
    spec = item.spec
    if spec.accepted_units is not None and spec.unit not in spec.accepted_units:
        return None
    seconds = FIXED_SECONDS.get(spec.period)
    if seconds is None:
        return None
    span, offset = _ARITHMETIC_BUCKETS.get(spec.period, (0, 0))
    return _PlainItem(
        item.item_id,
        spec.period,
        spec.unit,
        item_bound(spec, convert, limits),
        spec.allow_negative,
        seconds,
        by_period.setdefault(spec.period, []),
        span,
        offset,
        {},
    )


_ARITHMETIC_BUCKETS = {"15min": (3600, 0), "hour": (DAY_S, CST_OFFSET_S)}
"""(span, offset) of the finest rollup bucket by period, where it is plain arithmetic: the
hour of a 15-minute reading, the CST day of an hourly one (`finest_bucket` says the same)."""


def _ranges(
    known: dict[str, _PlainItem], by_period: dict[str, list[tuple[Any, ...]]]
) -> SlotRanges:
    """The stored-slot query of the plan: per period, its items and range of starts."""
    ranges = []
    for period, rows in by_period.items():
        ids = sorted({item.item_id for item in known.values() if item.period == period})
        starts = [row[1] for row in rows]
        ranges.append((period, ids, min(starts), max(starts)))

    return SlotRanges(tuple(ranges), partial(_slots_of, by_period))


def _slots_of(by_period: dict[str, list[tuple[Any, ...]]]) -> frozenset[Slot]:
    """The slots of the new rows (a module function: a plan travels between processes)."""
    return frozenset((row[0], period, row[1]) for period, rows in by_period.items() for row in rows)
