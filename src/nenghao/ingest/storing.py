"""Storing validated records: readings, register chains and quarantine, in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection

from nenghao.accounting.units import convert
from nenghao.ingest.item_limits import item_bound
from nenghao.ingest.items import RegisteredItem, registered_items
from nenghao.ingest.protocol import RecordResult, UplinkMessage, UplinkRecord
from nenghao.ingest.register_chain import RegisterBatch, RegisterOutcome, store_register_items
from nenghao.ingest.sender import Sender, UplinkLimits
from nenghao.ingest.validation import validate_records
from nenghao.ingest.validation_outcome import AcceptedRecord, RejectedRecord
from nenghao.ingest.writer import SlotWrite, write_slots
from nenghao.standards.reason_codes import ReasonCode, reason
from nenghao.standards.vocabulary import RecordStatus
from nenghao.store import quarantine


def store_records(
    conn: Connection,
    archive_id: int,
    records: Sequence[UplinkRecord],
    sender: Sender,
    received: datetime,
    limits: UplinkLimits,
    keep_rejected: bool,
    late: bool = False,
) -> list[RecordResult]:
    """Validate `records` against the enterprise's registered items and store them in
    `conn`'s transaction: interval readings (revisioned, with rollups), register readings,
    and (`keep_rejected`) the rejected records in the quarantine; a result per record.

    Values received after `received` stay current (`nenghao.ingest.writer`); `late` (a held
    message stored after others): also those received in the same second."""
    items = registered_items(conn, sender.enterprise_id)
    outcome = validate_records(
        UplinkMessage.model_construct(records=list(records)),
        {code: item.spec for code, item in items.items()},
        received,
        convert=convert,
        limits=limits.validation,
        decode=False,
    )
    at = int(received.timestamp())
    newer_from = at if late else at + 1
    rejected = list(outcome.rejected)
    accepted = list(outcome.accepted)
    if sender.channel == "manual":
        accepted, refused = _manual_only(accepted, items)
        rejected += refused
    results: dict[int, RecordResult] = {}
    interval_writes: list[SlotWrite] = []
    register_groups: dict[str, list[AcceptedRecord]] = {}
    for record in accepted:
        item = items[record.item]
        quality = "manual" if sender.channel == "manual" else record.quality
        if item.spec.value_kind == "register":
            register_groups.setdefault(record.item, []).append(record)
            continue
        assert record.value is not None
        interval_writes.append(
            SlotWrite(
                record.index,
                item.item_id,
                record.period,
                record.period_start,
                record.value,
                quality,
                record.register,
            )
        )
    rolled = {item.item_id: item.spec.period for item in items.values()}
    written = write_slots(
        conn,
        interval_writes,
        source=sender.channel,
        received_at=at,
        rolled_periods=rolled,
        newer_from=newer_from,
    )
    for index, slot in written.items():
        results[index] = RecordResult(
            index=index,
            status=slot.status,
            revision=slot.revision,
            code=slot.code,
            message=reason(slot.code).en if slot.code else None,
        )
    registers = store_register_items(
        conn,
        [
            RegisterBatch(
                items[code], group, item_bound(items[code].spec, convert, limits.validation)
            )
            for code, group in register_groups.items()
        ],
        source=sender.channel,
        received_at=at,
        archive_id=archive_id,
        newer_from=newer_from,
    )
    results.update(_register_results(registers))
    rejected += registers.rejected
    if keep_rejected:
        quarantine.put(
            conn,
            archive_id,
            sender.enterprise_id,
            [_entry(r, records) for r in rejected],
            at,
        )
    for r in rejected:
        results[r.index] = RecordResult(
            index=r.index, status=RecordStatus.REJECTED, code=r.code, message=r.message
        )
    return [results[i] for i in range(len(records))]


def _manual_only(
    accepted: list[AcceptedRecord], items: dict[str, RegisteredItem]
) -> tuple[list[AcceptedRecord], list[RejectedRecord]]:
    kept, refused = [], []
    for record in accepted:
        item = items[record.item]
        if item.manual or item.spec.period == "month":
            kept.append(record)
        else:
            refused.append(
                RejectedRecord(
                    record.index,
                    record.item,
                    ReasonCode.NOT_MANUAL_ITEM,
                    f"records[{record.index}].item",
                    f"item {record.item!r} is collected online ({item.spec.period});"
                    " only items registered as manual or monthly are filed by hand",
                )
            )
    return kept, refused


def _register_results(outcome: RegisterOutcome) -> dict[int, RecordResult]:
    results = {}
    for index, slot in outcome.results.items():
        code, message = outcome.notes.get(index, (None, None))
        results[index] = RecordResult(
            index=index, status=slot.status, revision=slot.revision, code=code, message=message
        )
    return results


def _entry(rejected: RejectedRecord, records: Sequence[UplinkRecord]) -> quarantine.Entry:
    record = records[rejected.index].model_dump(mode="json", exclude_none=True)
    return quarantine.Entry(
        rejected.index, rejected.item, record, rejected.code.value, rejected.message
    )
