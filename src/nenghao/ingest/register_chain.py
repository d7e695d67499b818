"""Register items: cumulative readings decoded against the stored chain of readings.

Every accepted reading of a register item is kept in ``register_readings``. The interval
between two consecutive readings is a reading of the item (``value`` = consumption,
``register_value`` = the reading at its start, ``flags`` from decoding) tagged by the earlier
reading's start. The latest reading cannot be turned into an interval yet: it is kept and
completed when the next reading arrives.

New readings are merged into the stored chain around them (the stored reading before the
earliest new one, those in between, and the first after the latest) and that window is
decoded again, so a late or revised reading re-derives the intervals on both sides. A new
reading that would make an already stored reading invalid (go backwards) is refused with
``register_backwards``: the stored chain is never rewritten into an error. Only that reading
is refused; the other readings of the batch are decoded again without it.

An interval spanning several periods (a gap) is apportioned over them by time, each part
flagged ``gap_spanned`` with quality ``estimated``, so every day and month receives its own
share. A decrease without an event is a rollover only within the item's maximum rate
(`max_rate`); otherwise the reading is refused as ``replacement_suspected``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from nenghao.ingest.items import RegisteredItem
from nenghao.ingest.register_windows import (
    ChainWindow,
    StoredReading,
    chain_windows,
    stored_spans,
)
from nenghao.ingest.registers import (
    Decoded,
    Flag,
    Interval,
    Reading,
    Replacement,
    Reset,
    apportion,
    decode_registers,
)
from nenghao.ingest.validation_outcome import AcceptedRecord, RejectedRecord
from nenghao.ingest.writer import Entry, SlotResult, remove_rows, write_entries
from nenghao.standards.calendar import to_cst
from nenghao.standards.reason_codes import ReasonCode, reason
from nenghao.standards.vocabulary import RecordStatus
from nenghao.store.rollups import ReadingChange, apply_changes
from nenghao.store.schema import readings, register_readings

_R = register_readings.c
OBSERVED_HEADROOM = 2.0
"""Without a registered `max_value`, an item's maximum rate is this multiple of the largest
plain (unflagged) interval it delivered in the `RATE_LOOKBACK_S` before the readings."""
RATE_LOOKBACK_S = 400 * 86_400
_UNDECLARED = frozenset({Flag.REPLACEMENT, Flag.RESET})


@dataclass(frozen=True, slots=True)
class _Link:
    """One reading of the chain: stored (`record` None) or new from this batch."""

    reading: Reading
    quality: str
    record: AcceptedRecord | None = None
    replaces: StoredReading | None = None


@dataclass
class RegisterOutcome:
    """The batch's register readings: results of the stored ones, rejections, notes."""

    results: dict[int, SlotResult] = field(default_factory=dict)
    rejected: list[RejectedRecord] = field(default_factory=list)
    notes: dict[int, tuple[ReasonCode, str]] = field(default_factory=dict)


def _event_json(event: Replacement | Reset | None) -> dict[str, Any] | None:
    if isinstance(event, Replacement):
        return {
            "kind": "replacement",
            "old_final": event.old_final,
            "new_initial": event.new_initial,
        }
    if isinstance(event, Reset):
        return {"kind": "reset", "old_final": event.old_final}
    return None


def _event(data: dict[str, Any] | None) -> Replacement | Reset | None:
    if not data:
        return None
    if data["kind"] == "replacement":
        return Replacement(data["old_final"], data["new_initial"])
    return Reset(data.get("old_final"))


def _stored_link(row: StoredReading) -> _Link:
    return _Link(Reading(row.period_start, row.register_value, _event(row.event)), row.quality)


def _unchanged(row: StoredReading, record: AcceptedRecord) -> bool:
    return (
        row.register_value == record.register
        and (row.event or None) == _event_json(record.event)
        and row.quality == record.quality
    )


@dataclass(frozen=True, slots=True)
class RegisterBatch:
    """One item's new readings (distinct starts) and the bound on its derived intervals."""

    item: RegisteredItem
    records: Sequence[AcceptedRecord]
    max_value: float | None
    """Upper bound on one interval per period [item unit], None without one."""


@dataclass(frozen=True, slots=True)
class _Plan:
    """What to write for one item: its kept readings and the intervals of its window."""

    item: RegisteredItem
    kept: list[AcceptedRecord]
    stored: dict[int, StoredReading]
    intervals: list[Entry]
    window: tuple[int, int]
    """[from, to) [Unix s]: the span whose intervals are derived again."""


def store_register_items(
    conn: Connection,
    batches: Sequence[RegisterBatch],
    *,
    source: str,
    received_at: int,
    archive_id: int,
    newer_from: int | None = None,
) -> RegisterOutcome:
    """Merge each batch's records into its item's chain and re-derive the intervals.

    Writes the register readings, the derived interval readings (with rollups) and removes
    intervals that no longer exist; returns what happened to each record. A stored reading
    received at or after `newer_from` [Unix s] stays: another reading at its start is
    answered ``duplicate`` (``older_than_stored``) and changes nothing. The stored chains
    and intervals are read, and everything written, in a few statements for all the items
    (`nenghao.ingest.register_windows`), not per item.
    """
    outcome = RegisterOutcome()
    batches = [b for b in batches if b.records]
    if not batches:
        return outcome
    windows = chain_windows(
        conn,
        {
            b.item.item_id: (
                min(r.period_start for r in b.records),
                max(r.period_start for r in b.records),
            )
            for b in batches
        },
    )
    plans = [
        plan
        for b in batches
        if (plan := _plan(conn, b, windows[b.item.item_id], newer_from, outcome)) is not None
    ]
    if plans:
        _save_readings(conn, plans, source, received_at, archive_id, outcome)
        _replace_intervals(conn, plans, source, received_at)
    return outcome


def _plan(
    conn: Connection,
    batch: RegisterBatch,
    window: ChainWindow,
    newer_from: int | None,
    outcome: RegisterOutcome,
) -> _Plan | None:
    """Decode one item's new readings into its stored chain; its `_Plan`, or None when no
    reading is to be written (answers, refusals and notes go to `outcome`)."""
    item, spec = batch.item, batch.item.spec
    ordered = sorted(batch.records, key=lambda r: r.period_start)
    stored = window.inside
    links: dict[int, _Link] = {start: _stored_link(row) for start, row in stored.items()}
    if window.after is not None:
        links[window.after.period_start] = _stored_link(window.after)
    changed: list[AcceptedRecord] = []
    for record in ordered:
        row = stored.get(record.period_start)
        if row is not None and _unchanged(row, record):
            outcome.results[record.index] = SlotResult(RecordStatus.DUPLICATE, row.revision)
            continue
        if row is not None and newer_from is not None and row.received_at >= newer_from:
            older = ReasonCode.OLDER_THAN_STORED
            outcome.results[record.index] = SlotResult(RecordStatus.DUPLICATE, row.revision, older)
            outcome.notes[record.index] = (older, reason(older).en)
            continue
        changed.append(record)
    previous = None if window.before is None else _stored_link(window.before)
    refused: dict[int, tuple[ReasonCode, str]] = {}
    rate: tuple[float | None] | None = None
    while True:
        chain = dict(links)
        for record in changed:
            if record.index not in refused:
                chain[record.period_start] = _Link(
                    Reading(record.period_start, record.register or 0.0, record.event),
                    record.quality,
                    record,
                    stored.get(record.period_start),
                )
        starts = sorted(chain)
        decoded = decode_registers(
            [chain[s].reading for s in starts],
            spec.period,
            previous=None if previous is None else previous.reading,
            register_max=spec.register_max,
            resolution=spec.register_resolution,
            allow_negative=spec.allow_negative,
            max_value=batch.max_value,
            max_rate=None if rate is None else rate[0],
        )
        if rate is None and _rollover(decoded):
            rate = (_max_rate(conn, item, starts[0], decoded),)
            continue
        refusals = [(chain[starts[r.position]], r) for r in decoded.rejected]
        conflict = next((r for link, r in refusals if link.record is None), None)
        if conflict is not None:
            message = (
                f"the reading would invalidate the stored reading at"
                f" {to_cst(starts[conflict.position]).isoformat()} ({conflict.message});"
                " send the replacement or reset event, or correct the readings"
            )
            culprit = _base_of(chain, starts, conflict.position, decoded)
            if culprit is None:
                for record in changed:
                    refused.setdefault(record.index, (ReasonCode.REGISTER_BACKWARDS, message))
                break
            refused[culprit.index] = (ReasonCode.REGISTER_BACKWARDS, message)
            continue
        for link, rejection in refusals:
            assert link.record is not None
            refused[link.record.index] = (rejection.code, rejection.message)
        # A refused revision must not hide the stored reading it would replace: decode again.
        if not any(link.replaces is not None for link, _ in refusals):
            break
    for record in changed:
        if record.index in refused:
            code, message = refused[record.index]
            outcome.rejected.append(
                RejectedRecord(
                    record.index, record.item, code, f"records[{record.index}].register", message
                )
            )
    kept = [r for r in changed if r.index not in refused]
    if not kept:
        return None
    for span in decoded.unresolved:
        link = chain[starts[span.to_position]]
        if link.record is not None:
            outcome.notes[link.record.index] = (span.code, span.message)
    intervals = _intervals(item, chain, starts, previous, decoded.intervals)
    window_span = (starts[0] if previous is None else previous.reading.start, starts[-1])
    return _Plan(item, kept, stored, intervals, window_span)


def _rollover(decoded: Decoded) -> bool:
    """Whether an interval wrapped without a declared replacement or reset."""
    return any(Flag.ROLLOVER in i.flags and not i.flags & _UNDECLARED for i in decoded.intervals)


def _max_rate(
    conn: Connection, item: RegisteredItem, before: int, decoded: Decoded
) -> float | None:
    """The most `item` can consume per period [item unit]: its registered `max_value`, else
    `OBSERVED_HEADROOM` times its largest plain interval (stored before `before`, or in
    `decoded`); None when there is neither."""
    if item.spec.max_value is not None:
        return item.spec.max_value
    stored = conn.execute(
        select(func.max(func.abs(readings.c.value))).where(
            readings.c.item_id == item.item_id,
            readings.c.period == item.spec.period,
            readings.c.period_start >= before - RATE_LOOKBACK_S,
            readings.c.period_start < before,
            readings.c.flags.is_(None),
        )
    ).scalar()
    plain = [abs(i.value) for i in decoded.intervals if not i.flags]
    peaks = [v for v in (stored, *plain) if v is not None]
    return OBSERVED_HEADROOM * max(peaks) if peaks else None


def _base_of(
    chain: dict[int, _Link], starts: list[int], position: int, decoded: Decoded
) -> AcceptedRecord | None:
    """The new record the reading at `position` was decoded against, if it is new."""
    rejected = {r.position for r in decoded.rejected}
    for earlier in range(position - 1, -1, -1):
        if earlier not in rejected:
            return chain[starts[earlier]].record
    return None


def _save_readings(
    conn: Connection,
    plans: Sequence[_Plan],
    source: str,
    received_at: int,
    archive_id: int,
    outcome: RegisterOutcome,
) -> None:
    """Insert the plans' new register readings and update their revised ones (one
    statement each for all the items)."""
    rows, updates = [], []
    for plan in plans:
        item_id = plan.item.item_id
        for record in plan.kept:
            old = plan.stored.get(record.period_start)
            revision = 1 if old is None else old.revision + 1
            row = {
                "item_id": item_id,
                "period_start": record.period_start,
                "register_value": record.register,
                "event": _event_json(record.event),
                "quality": record.quality,
                "source": source,
                "revision": revision,
                "received_at": received_at,
                "archive_id": archive_id,
            }
            status = RecordStatus.ACCEPTED if old is None else RecordStatus.REVISED
            outcome.results[record.index] = SlotResult(status, revision)
            if old is None:
                rows.append(row)
            else:
                updates.append({**row, "k_item": item_id, "k_start": record.period_start})
    if rows:
        conn.execute(insert(register_readings), rows)
    if updates:
        conn.execute(_UPDATE, updates)


_UPDATE = (
    update(register_readings)
    .where(_R.item_id == bindparam("k_item"), _R.period_start == bindparam("k_start"))
    .values(
        {
            name: bindparam(name)
            for name in (
                "register_value",
                "event",
                "quality",
                "source",
                "revision",
                "received_at",
                "archive_id",
            )
        }
    )
)


def _intervals(
    item: RegisteredItem,
    chain: dict[int, _Link],
    starts: list[int],
    previous: _Link | None,
    intervals: Sequence[Interval],
) -> list[Entry]:
    """The readings of the derived intervals (a gap's apportioned over its periods)."""
    writes: list[Entry] = []
    for interval in intervals:
        later = chain[starts[interval.to_position]]
        earlier = (
            previous if interval.from_position is None else chain[starts[interval.from_position]]
        )
        assert earlier is not None
        quality = later.quality if later.quality != "good" else earlier.quality
        flags = ",".join(sorted(interval.flags)) or None
        parts = apportion(interval, item.spec.period)
        if len(parts) > 1:
            quality = "estimated" if quality == "good" else quality
        for k, (start, value) in enumerate(parts):
            register = earlier.reading.register if k == 0 else None
            writes.append(
                (k, item.item_id, item.spec.period, start, value, quality, register, flags)
            )
    return writes


def _replace_intervals(
    conn: Connection, plans: Sequence[_Plan], source: str, received_at: int
) -> None:
    """Write the plans' intervals; remove the stored ones in their windows that no longer
    exist. One query reads every window, the rollup changes are applied once."""
    rolled = {plan.item.item_id: plan.item.spec.period for plan in plans}
    existing = stored_spans(
        conn,
        [(plan.item.item_id, plan.item.spec.period, *plan.window) for plan in plans],
    )
    entries = [entry for plan in plans for entry in plan.intervals]
    derived = {(e[1], e[2], e[3]) for e in entries}
    stale = [row for slot, row in existing.items() if slot not in derived]
    changes: list[ReadingChange] = []
    write_entries(
        conn,
        entries,
        source=source,
        received_at=received_at,
        rolled_periods=rolled,
        rollups=changes,
        stored=existing,
    )
    remove_rows(conn, stale, at=received_at, rolled_periods=rolled, rollups=changes)
    if changes:
        apply_changes(conn, changes)
