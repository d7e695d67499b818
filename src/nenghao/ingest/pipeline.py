"""The one pipeline: each message is archived and stored in one transaction, and that
transaction is shared with the messages that arrive meanwhile (`nenghao.store.group_commit`).

A message becomes one job; the jobs differ only in how their records were planned:

- `PlainJob`: plain interval records, checked and turned into rows before the transaction
  (`nenghao.ingest.plain`); the transaction confirms the registry is unchanged and writes.
- `StoreJob`: any other records, validated and stored in the transaction
  (`nenghao.ingest.storing`): a new body, or one archived ``received`` earlier (recovery).
- `RejectJob`: a whole-message error; the body is archived ``rejected``.

Each job records the request's nonce first (a replay is refused before anything is written),
then writes the archive row and the records together: the body is durable exactly when its
records are, and nothing is acknowledged before the commit.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from nenghao.ingest.errors import MessageRejected
from nenghao.ingest.items import RegistryRow, item_rows
from nenghao.ingest.nonces import PendingNonce, record_nonce
from nenghao.ingest.plain import NotPlainError, PlainPlan, plan_plain
from nenghao.ingest.prepare import Prepared
from nenghao.ingest.protocol import RecordResult, UplinkRecord
from nenghao.ingest.sender import Sender, UplinkLimits
from nenghao.ingest.signing import ReplayedNonce
from nenghao.ingest.storing import store_records
from nenghao.ingest.writer import Outcome, stored_readings, write_entries
from nenghao.standards.vocabulary import ArchiveStatus, RecordStatus
from nenghao.store import archive, audit
from nenghao.store.rollups import ReadingChange, apply_changes

SUMMARY_REJECTIONS = 100
"""At most this many rejections are repeated in an archive's summary (all are quarantined)."""

AfterStore = Callable[[Connection, int, list[RecordResult]], None]
"""Runs after a `StoreJob`'s records are stored (with the archive id and the results), in the
same transaction."""


class ArchiveBusyError(RuntimeError):
    """The archive is being (or was) processed by another transaction; resend to learn more."""


REFUSALS = (NotPlainError, ReplayedNonce, ArchiveBusyError)
"""What a job raises before it has written anything: it alone fails, its group goes on."""


@dataclass(slots=True)
class Group:
    """A shared transaction's state: item rows read once per enterprise, the plain jobs'
    rollup changes (applied once, by `finish`)."""

    item_rows: dict[int, list[RegistryRow]] = field(default_factory=dict)
    rollups: list[ReadingChange] = field(default_factory=list)


def start(_conn: Connection) -> Group:
    """A group's state, at the start of its transaction."""
    return Group()


def write(conn: Connection, group: Group, job: Job) -> Any:
    """Write one job of a group (its result goes to its sender)."""
    return job.write(conn, group)


def finish(conn: Connection, group: Group) -> None:
    """Apply the group's rollup changes, last before the commit."""
    if group.rollups:
        apply_changes(conn, group.rollups)


def lock_enterprise(conn: Connection, enterprise_id: int) -> None:
    """Serialise the writers of one enterprise (PostgreSQL; SQLite has one writer anyway)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(7301, :e)"), {"e": enterprise_id})


def archive_body(
    conn: Connection,
    body: bytes,
    sender: Sender,
    at: int,
    status: ArchiveStatus,
    **details: Any,
) -> int:
    """Archive `body` from `sender` in `conn`'s transaction (`details`: `archive.add`'s)."""
    return archive.add(
        conn,
        body=body,
        channel=sender.channel,
        enterprise_id=sender.enterprise_id,
        actor=sender.actor,
        received_at=at,
        status=status,
        **details,
    )


def records_json(records: Sequence[UplinkRecord]) -> bytes:
    """The records as a JSON array (what the archive keeps for file and manual uploads)."""
    return json.dumps(
        [r.model_dump(mode="json", exclude_none=True) for r in records],
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


def summarise(results: Sequence[RecordResult], records: Sequence[UplinkRecord]) -> dict[str, Any]:
    """Counts by status and the first rejections (what ``GET .../uploads`` shows)."""
    counts = {status.value: 0 for status in RecordStatus}
    rejections: list[dict[str, Any]] = []
    for result in results:
        counts[result.status.value] += 1
        if result.status is RecordStatus.REJECTED and len(rejections) < SUMMARY_REJECTIONS:
            rejections.append(
                {
                    "index": result.index,
                    "item": records[result.index].item,
                    "code": result.code.value if result.code else None,
                    "message": result.message,
                }
            )
    return {"records": len(results), **counts, "rejections": rejections}


@dataclass(frozen=True, slots=True)
class Arrival:
    """A body as received, to archive: its message id and, for files and forms, the records
    parsed from it (as JSON)."""

    body: bytes
    message_id: str | None
    records: bytes | None = None


@dataclass(frozen=True, slots=True)
class PlainJob:
    """A message of plain records, planned before its transaction."""

    arrival: Arrival
    prepared: Prepared
    plan: PlainPlan
    sender: Sender
    at: int
    limits: UplinkLimits
    nonce: PendingNonce | None

    def write(self, conn: Connection, group: Group) -> list[Outcome]:
        """Write the message; its `Outcome` per record. `NotPlainError` (raised before
        anything is written) when the registry changed so that it is not plain."""
        sender = self.sender
        lock_enterprise(conn, sender.enterprise_id)
        rows = group.item_rows.get(sender.enterprise_id)
        if rows is None:
            rows = group.item_rows[sender.enterprise_id] = item_rows(conn, sender.enterprise_id)
        plan = self.plan
        if rows != plan.item_rows:  # the registry changed since the plan: plan again
            message = self.prepared.message
            fresh = None
            if message is not None:
                fresh = plan_plain(
                    message, rows, channel=sender.channel, at=self.at, limits=self.limits.validation
                )
            if fresh is None:
                raise NotPlainError
            plan = fresh
        stored = stored_readings(conn, plan.new.slots)
        if stored and plan.entries is None:  # planned in a worker: resends take the full way
            raise NotPlainError
        record_nonce(conn, self.nonce)
        pairs = write_entries(
            conn,
            plan.entries or (),
            source=sender.channel,
            received_at=self.at,
            rolled_periods=plan.rolled,
            new=plan.new,
            rollups=group.rollups,
            stored=stored,
            newer_from=self.at + 1,  # a value received later stays current
        )
        # The archive row is written whole, once (updating a row rewrites its whole body).
        tally = Counter(outcome[0] for outcome in pairs)
        summary: dict[str, Any] = {"records": len(pairs)}
        summary.update({s.value: tally[s] for s in RecordStatus}, rejections=[])
        archive_body(
            conn,
            self.arrival.body,
            sender,
            self.at,
            "processed",
            message_id=self.arrival.message_id,
            summary=summary,
        )
        return pairs


@dataclass(frozen=True, slots=True)
class StoreJob:
    """Records to validate and store in the transaction: of a new `arrival`, or of the
    archive `archive_id` left ``received`` (then claimed first, and stored late: a value
    received in the same second or after stays current)."""

    sender: Sender
    received: datetime
    records: Sequence[UplinkRecord]
    limits: UplinkLimits
    arrival: Arrival | None = None
    archive_id: int | None = None
    nonce: PendingNonce | None = None
    keep_rejected: bool = True
    """False leaves rejected records out of the quarantine (re-processing a quarantined one)."""
    then: AfterStore | None = None

    def write(self, conn: Connection, _group: Group) -> tuple[int, list[RecordResult]]:
        """Store the records; the archive id and a result per record."""
        at = int(self.received.timestamp())
        record_nonce(conn, self.nonce)
        lock_enterprise(conn, self.sender.enterprise_id)
        if self.arrival is not None:
            archive_id = archive_body(
                conn,
                self.arrival.body,
                self.sender,
                at,
                "received",
                message_id=self.arrival.message_id,
                records=self.arrival.records,
            )
        else:
            assert self.archive_id is not None
            archive_id = self.archive_id
            if not archive.claim(conn, archive_id, at):
                raise ArchiveBusyError(f"archive {archive_id} is not awaiting processing")
        results = store_records(
            conn,
            archive_id,
            self.records,
            self.sender,
            self.received,
            self.limits,
            self.keep_rejected,
            late=self.archive_id is not None,
        )
        summary = summarise(results, self.records)
        archive.finish(conn, archive_id, at=at, summary=summary)
        if self.sender.channel == "manual":
            audit.record(
                conn, self.sender.actor, "file", "manual_filing", archive_id, None, summary
            )
        if self.then is not None:
            self.then(conn, archive_id, results)
        return archive_id, results


@dataclass(frozen=True, slots=True)
class RejectJob:
    """A message refused whole: its body is archived ``rejected`` with the problems."""

    body: bytes
    sender: Sender
    at: int
    error: MessageRejected
    nonce: PendingNonce | None

    def write(self, conn: Connection, _group: Group) -> int:
        """Archive the body; the archive id."""
        record_nonce(conn, self.nonce)
        problems = [p.as_dict() for p in self.error.problems[:SUMMARY_REJECTIONS]]
        return archive_body(
            conn,
            self.body,
            self.sender,
            self.at,
            "rejected",
            error_code=self.error.code.value,
            summary={"problems": problems},
        )


Job = PlainJob | StoreJob | RejectJob
