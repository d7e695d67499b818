"""Storing what was archived but not stored: held messages and quarantined records.

A message whose transaction failed is archived ``received`` alone (`UplinkService`);
`recover_pending` and `recover_archive` store it later (`nenghao.ingest.held` runs them in
the background), idempotently, in arrival order and as of its arrival: its readings keep the
archive's ``received_at``, and a value received in the same second or after it (a resend, a
correction) stays current (`nenghao.ingest.writer`). `reprocess_quarantined` runs a
quarantined record through the pipeline again after its cause was fixed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from nenghao.ingest.parsing import parse_message
from nenghao.ingest.pipeline import ArchiveBusyError, Arrival, StoreJob, records_json
from nenghao.ingest.protocol import RecordResult, UplinkRecord
from nenghao.ingest.sender import Sender
from nenghao.ingest.service import UplinkService
from nenghao.standards.vocabulary import RecordStatus
from nenghao.store import archive, quarantine
from nenghao.store.schema import enterprises


def process_archive(
    service: UplinkService,
    archive_id: int,
    records: Sequence[UplinkRecord],
    sender: Sender,
    received: datetime,
) -> list[RecordResult]:
    """Store the records of archive `archive_id`, left ``received``; a result per record.

    Raises `ArchiveBusyError` when another transaction is processing (or processed) it.
    """
    job = StoreJob(sender, received, records, service.limits, archive_id=archive_id)
    stored: tuple[int, list[RecordResult]] = service.committer.submit(job)
    return stored[1]


def recover_pending(service: UplinkService, *, received_before: int | None = None) -> int:
    """Process every archive left ``received``, in arrival order; returns how many.

    `received_before` [Unix s] leaves out the newer ones (still being processed by the
    request that archived them). Records are validated and stored as of their arrival
    (``received_at``). Idempotent: an archive another process finishes first is skipped. A
    failure stops the round at that archive (raised), so that none overtakes an older one.
    """
    with service.engine.connect() as conn:
        pending = archive.pending(conn, received_before=received_before)
    return sum(recover_archive(service, archive_id) for archive_id in pending)


def recover_archive(service: UplinkService, archive_id: int) -> bool:
    """Process one archive left ``received``, as of its arrival; False when it is no longer
    waiting."""
    with service.engine.connect() as conn:
        row = archive.load(conn, archive_id)
        if row is None or row["status"] != "received":
            return False
        credit_code = _credit_code(conn, row["enterprise_id"])
    sender = Sender(row["enterprise_id"], credit_code, row["channel"], row["actor"])
    received = datetime.fromtimestamp(row["received_at"], UTC)
    try:
        process_archive(service, archive_id, _archived_records(row), sender, received)
    except ArchiveBusyError:
        return False
    return True


def _credit_code(conn: Connection, enterprise_id: int) -> str:
    query = select(enterprises.c.credit_code).where(enterprises.c.id == enterprise_id)
    return str(conn.execute(query).scalar_one())


def _archived_records(row: dict[str, Any]) -> list[UplinkRecord]:
    if row["records"] is not None:
        return [UplinkRecord.model_validate(r) for r in json.loads(row["records"])]
    generous = 1 << 31
    return parse_message(row["body"], max_records=generous, max_body_bytes=generous).records


def reprocess_quarantined(
    service: UplinkService,
    entry: dict[str, Any],
    *,
    actor: str,
    remote: str | None = None,
    now: datetime | None = None,
) -> tuple[dict[str, Any], RecordResult]:
    """Run an open quarantine entry's record through the pipeline again (after a fix).

    The record is archived anew (channel of the original upload, `actor` the user). Stored:
    the entry becomes ``reprocessed``; refused again: it stays ``open`` with the new reason.
    Returns the updated entry and the record's result.
    """
    received = now or datetime.now(UTC)
    at = int(received.timestamp())
    record = UplinkRecord.model_validate(entry["record"])
    with service.engine.connect() as conn:
        original = archive.load(conn, entry["archive_id"])
        assert original is not None
        credit_code = _credit_code(conn, entry["enterprise_id"])
    sender = Sender(entry["enterprise_id"], credit_code, original["channel"], actor)
    updated: list[dict[str, Any]] = []

    def resolve(conn: Connection, archive_id: int, results: list[RecordResult]) -> None:
        result = results[0]
        outcome = {"archive_id": archive_id, **result.model_dump(mode="json", exclude_none=True)}
        refused = result.status is RecordStatus.REJECTED
        updated.append(
            quarantine.resolve(
                conn,
                entry,
                status="open" if refused else "reprocessed",
                at=at,
                actor=actor,
                resolution=outcome,
                code=result.code.value if refused and result.code else None,
                message=result.message if refused else None,
                remote=remote,
            )
        )

    raw = records_json([record])
    job = StoreJob(
        sender,
        received,
        [record],
        service.limits,
        arrival=Arrival(raw, f"quarantine-{entry['id']}", raw),
        keep_rejected=False,
        then=resolve,
    )
    _archive_id, results = service.committer.submit(job)
    return updated[0], results[0]
