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
from nenghao.ingest.writer import SlotResult, SlotWrite, remove_slots, write_slots
from nenghao.standards.calendar import to_cst
from nenghao.standards.reason_codes import ReasonCode, reason
from nenghao.standards.vocabulary import RecordStatus
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
    replaces: dict[str, Any] | None = None


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


def _stored_link(row: Any) -> _Link:
    return _Link(Reading(row.period_start, row.register_value, _event(row.event)), row.quality)


def _window(conn: Connection, item_id: int, lo: int, hi: int) -> tuple[Any, list[Any], Any]:
    base = select(
        _R.period_start, _R.register_value, _R.event, _R.quality, _R.revision, _R.received_at
    ).where(_R.item_id == item_id)
    before = conn.execute(
        base.where(_R.period_start < lo).order_by(_R.period_start.desc()).limit(1)
    ).first()
    inside = list(conn.execute(base.where(_R.period_start.between(lo, hi))).all())
    after = conn.execute(
        base.where(_R.period_start > hi).order_by(_R.period_start).limit(1)
    ).first()
    return before, inside, after


def _unchanged(row: Any, record: AcceptedRecord) -> bool:
    return (
        row.register_value == record.register
        and (row.event or None) == _event_json(record.event)
        and row.quality == record.quality
    )


def store_register_readings(
    conn: Connection,
    item: RegisteredItem,
    records: Sequence[AcceptedRecord],
    *,
    source: str,
    received_at: int,
    archive_id: int,
    max_value: float | None,
    newer_from: int | None = None,
) -> RegisterOutcome:
    """Merge `records` (readings of `item`, distinct starts) into its chain and re-derive.

    Writes the register readings, the derived interval readings (with rollups) and removes
    intervals that no longer exist; returns what happened to each record. A stored reading
    received at or after `newer_from` [Unix s] stays: another reading at its start is
    answered ``duplicate`` (``older_than_stored``) and changes nothing.
    """
    spec = item.spec
    outcome = RegisterOutcome()
    ordered = sorted(records, key=lambda r: r.period_start)
    before, inside, after = _window(
        conn, item.item_id, ordered[0].period_start, ordered[-1].period_start
    )
    stored = {row.period_start: row for row in inside}
    links: dict[int, _Link] = {row.period_start: _stored_link(row) for row in inside}
    if after is not None:
        links[after.period_start] = _stored_link(after)
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
    previous = None if before is None else _stored_link(before)
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
            max_value=max_value,
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
        return outcome
    _save_readings(conn, item.item_id, kept, stored, source, received_at, archive_id, outcome)
    for span in decoded.unresolved:
        link = chain[starts[span.to_position]]
        if link.record is not None:
            outcome.notes[link.record.index] = (span.code, span.message)
    writes = _intervals(item, chain, starts, previous, decoded.intervals)
    window = (starts[0] if previous is None else previous.reading.start, starts[-1])
    _replace_intervals(conn, item, writes, window, source, received_at)
    return outcome


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
    item_id: int,
    records: Sequence[AcceptedRecord],
    stored: dict[int, Any],
    source: str,
    received_at: int,
    archive_id: int,
    outcome: RegisterOutcome,
) -> None:
    rows, updates = [], []
    for record in records:
        old = stored.get(record.period_start)
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
        conn.execute(
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
            ),
            updates,
        )


def _intervals(
    item: RegisteredItem,
    chain: dict[int, _Link],
    starts: list[int],
    previous: _Link | None,
    intervals: Sequence[Interval],
) -> list[SlotWrite]:
    writes: list[SlotWrite] = []
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
                SlotWrite(
                    len(writes),
                    item.item_id,
                    item.spec.period,
                    start,
                    value,
                    quality,
                    register,
                    flags,
                )
            )
    return writes


def _replace_intervals(
    conn: Connection,
    item: RegisteredItem,
    writes: list[SlotWrite],
    window: tuple[int, int],
    source: str,
    received_at: int,
) -> None:
    """Write the window's intervals; remove stored ones in it that no longer exist."""
    period = item.spec.period
    rolled = {item.item_id: period}
    existing = conn.execute(
        select(readings.c.period_start).where(
            readings.c.item_id == item.item_id,
            readings.c.period == period,
            readings.c.period_start >= window[0],
            readings.c.period_start < window[1],
        )
    ).scalars()
    derived = {w.period_start for w in writes}
    stale = [(item.item_id, period, start) for start in existing if start not in derived]
    write_slots(conn, writes, source=source, received_at=received_at, rolled_periods=rolled)
    if stale:
        remove_slots(conn, stale, at=received_at, rolled_periods=rolled)
