"""The ingest service: every transport (HTTPS, MQTT, files, manual filing) stores through here.

Durability, in this order:

1. the raw payload is archived and **committed** (``uplink_archive``, status ``received``;
   a whole-message error archives it as ``rejected`` and raises `MessageRejected`), with the
   request's nonce when the caller passes a `PendingNonce`;
2. one transaction validates the records against the enterprise's registered items and
   writes readings (new, revised or duplicate), register readings, quarantine entries and
   rollups, and marks the archive ``processed``;
3. only then is the acknowledgement returned.

A crash before step 2 commits leaves the archive ``received``: `recover_pending` (run at
start-up) processes it again, idempotently. A crash after it loses nothing: the ack may be
lost, and the device's resend is answered ``duplicate``.

Messages whose records are all plain interval values (`nenghao.ingest.plain`) take a lean
path with the same results: `protocol.parse_lean` instead of `parse_message`, the checks,
rows and rollup changes prepared before the write, and steps 1 and 2 in **one** transaction
(`_ingest_lean`) that concurrent messages share (`nenghao.store.group_commit`): the body is
durable exactly when its records are. Should that transaction fail, the body is archived
``received`` alone, as in step 1. Any other message, or any doubt, takes the full path.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, select, text
from sqlalchemy.dialects import postgresql, sqlite

from nenghao.accounting.units import convert
from nenghao.ingest import archive, quarantine
from nenghao.ingest.errors import MessageRejected
from nenghao.ingest.item_limits import ValidationLimits, item_bound
from nenghao.ingest.items import (
    RegisteredItem,
    RegistryRow,
    item_rows,
    registered_items,
)
from nenghao.ingest.plain import NotPlainError, PlainPlan, plan_plain
from nenghao.ingest.prepare import Prepared, PrepareLimits, PreparePool, prepare_message
from nenghao.ingest.protocol import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_RECORDS,
    RecordResult,
    UplinkAck,
    UplinkMessage,
    UplinkRecord,
    check_sender,
    lean_record_model,
    parse_message,
)
from nenghao.ingest.register_chain import RegisterOutcome, store_register_readings
from nenghao.ingest.signing import ReplayedNonce
from nenghao.ingest.validation import validate_records
from nenghao.ingest.validation_outcome import AcceptedRecord, RejectedRecord
from nenghao.ingest.writer import SlotWrite, stored_readings, write_entries, write_slots
from nenghao.standards.reason_codes import ReasonCode
from nenghao.standards.vocabulary import DEVICE_CHANNELS, ArchiveStatus, Channel, RecordStatus
from nenghao.store import audit, devices
from nenghao.store.engine import write_lock
from nenghao.store.group_commit import GroupCommitter, Ticket, serial_cpu
from nenghao.store.rollups import ReadingChange, apply_changes
from nenghao.store.schema import enterprises, uplink_nonces

logger = logging.getLogger("nenghao.uplink")
SUMMARY_REJECTIONS = 100
"""At most this many rejections are repeated in an archive's summary (all are quarantined)."""


@dataclass(frozen=True)
class Sender:
    """Who sends: the enterprise, the channel and the actor (device key id or username)."""

    enterprise_id: int
    credit_code: str
    channel: Channel
    actor: str


@dataclass(frozen=True)
class UplinkLimits:
    """Message limits and validation limits."""

    max_records: int = DEFAULT_MAX_RECORDS
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    validation: ValidationLimits = field(default_factory=ValidationLimits)


# --- device secrets ----------------------------------------------------------------------

_MASTER_KEYS: weakref.WeakKeyDictionary[Engine, Callable[[], bytes]] = weakref.WeakKeyDictionary()
_MASTER_LOCK = threading.Lock()


def bind_master_key(engine: Engine, key: bytes | Callable[[], bytes]) -> None:
    """Use `key` (or the key its loader returns, loaded once) for the secrets on `engine`."""
    cache: list[bytes] = []

    def loader() -> bytes:
        with _MASTER_LOCK:
            if not cache:
                cache.append(key() if callable(key) else key)
            return cache[0]

    _MASTER_KEYS[engine] = loader


def master_key_for(engine: Engine) -> bytes:
    """The master key bound to `engine`, else the one of the process settings."""
    loader = _MASTER_KEYS.get(engine)
    if loader is None:
        from nenghao.config import get_settings

        bind_master_key(engine, get_settings().master_key)
        loader = _MASTER_KEYS[engine]
    return loader()


def device_secret(engine: Engine, key_id: str) -> bytes | None:
    """The derived secret of an active credential (``signing.verify``'s ``secret_of``)."""
    with engine.connect() as conn:
        secret = devices.secret_of(conn, key_id, master_key_for(engine))
    return None if secret is None else secret.encode("utf-8")


def device_access(engine: Engine, key_id: str, channel: str) -> tuple[bytes, Sender] | None:
    """The secret and `Sender` of an active device credential (one query), or None.

    `device_secret` and `sender_for_device` in one look-up, for the request path.
    """
    if channel not in DEVICE_CHANNELS:
        raise ValueError(f"devices send over http or mqtt, not {channel!r}")
    with engine.connect() as conn:
        row = devices.active_credential(conn, key_id)
    if row is None:
        return None
    secret = devices.checked_secret(row, master_key_for(engine))
    if secret is None:
        return None
    sender = Sender(row["enterprise_id"], row["credit_code"], channel, key_id)
    return secret.encode("utf-8"), sender


def sender_for_device(engine: Engine, key_id: str, channel: str) -> Sender | None:
    """The `Sender` of an active device credential, or None."""
    if channel not in DEVICE_CHANNELS:
        raise ValueError(f"devices send over http or mqtt, not {channel!r}")
    with engine.connect() as conn:
        row = devices.active_credential(conn, key_id)
    if row is None:
        return None
    return Sender(row["enterprise_id"], row["credit_code"], channel, key_id)


class DbNonceCache:
    """`signing.NonceCache` on the ``uplink_nonces`` table (shared by every server process).

    Expired rows are purged at most once a minute per cache.
    """

    PURGE_EVERY_S = 60

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._purged_at = 0
        self._lock = threading.Lock()

    def remember(self, key_id: str, nonce: str, *, now: int, expires_at: int) -> bool:
        """Record (key_id, nonce) until `expires_at`; False when it is still recorded."""
        with write_lock(self.engine), self.engine.begin() as conn:
            return self.remember_in(conn, key_id, nonce, now=now, expires_at=expires_at)

    def remember_in(
        self, conn: Connection, key_id: str, nonce: str, *, now: int, expires_at: int
    ) -> bool:
        """`remember` inside the caller's transaction (recorded when it commits)."""
        statement = _REMEMBER[self.engine.dialect.name == "postgresql"]
        self._purge(conn, now)
        parameters = {"key_id": key_id, "nonce": nonce, "expires_at": expires_at, "now": now}
        return conn.execute(statement, parameters).first() is not None

    def _purge(self, conn: Connection, now: int) -> None:
        with self._lock:
            if now - self._purged_at < self.PURGE_EVERY_S:
                return
            self._purged_at = now
        conn.execute(delete(uplink_nonces).where(uplink_nonces.c.expires_at < now))


def _remember_statement(dialect: Any) -> Any:
    """Record a nonce unless it is recorded and unexpired (`bindparam` ``now``); returns a
    row when it was recorded."""
    statement = dialect.insert(uplink_nonces).values(
        key_id=bindparam("key_id"), nonce=bindparam("nonce"), expires_at=bindparam("expires_at")
    )
    return statement.on_conflict_do_update(
        index_elements=[uplink_nonces.c.key_id, uplink_nonces.c.nonce],
        set_={"expires_at": statement.excluded.expires_at},
        where=uplink_nonces.c.expires_at < bindparam("now"),
    ).returning(uplink_nonces.c.key_id)


_REMEMBER = {False: _remember_statement(sqlite), True: _remember_statement(postgresql)}
"""The statement by dialect (PostgreSQL or not), built once."""


class PendingNonce:
    """A `signing.NonceCache` for one request that records its nonce later, in the
    transaction that archives the message (one durable commit instead of two).

    `signing.verify` calls `remember` after the signature checks out; the service then calls
    `record` in its archive transaction, which raises `ReplayedNonce` (rolling the archive
    back) if the nonce is still recorded.
    """

    def __init__(self, cache: DbNonceCache) -> None:
        self.cache = cache
        self.pending: tuple[str, str, int, int] | None = None

    def remember(self, key_id: str, nonce: str, *, now: int, expires_at: int) -> bool:
        """Keep the nonce for `record`; always True (the replay check happens there)."""
        self.pending = (key_id, nonce, now, expires_at)
        return True

    def record(self, conn: Connection) -> None:
        """Record the pending nonce in `conn`'s transaction; `ReplayedNonce` on a replay."""
        if self.pending is None:
            raise RuntimeError("no verified nonce to record")
        key_id, nonce, now, expires_at = self.pending
        if not self.cache.remember_in(conn, key_id, nonce, now=now, expires_at=expires_at):
            raise ReplayedNonce(f"nonce {nonce!r} was already used with key {key_id!r}")


def _record_nonce(conn: Connection, nonce: PendingNonce | None) -> None:
    if nonce is not None:
        nonce.record(conn)


# --- ingest ------------------------------------------------------------------------------


def _clock(now: datetime | None) -> datetime:
    received = datetime.now(UTC) if now is None else now
    if received.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return received


def ingest_payload(
    engine: Engine,
    body: bytes,
    *,
    sender: Sender,
    now: datetime | None = None,
    limits: UplinkLimits | None = None,
    topic_credit_code: str | None = None,
    nonce: PendingNonce | None = None,
    ticket: Ticket | None = None,
) -> UplinkAck:
    """Archive, validate and store one uplink message body; the ack after the commit.

    `nonce`, the verified request's, is recorded in the transaction that archives the body.
    `ticket` is the message's announcement (`announce`), if the caller made one.

    Raises
    ------
    MessageRejected
        A whole-message error (structure, or a device/enterprise mismatch for the device
        channels; `topic_credit_code` is the MQTT topic's). The body is archived as
        ``rejected`` first.
    ReplayedNonce
        `nonce` is still recorded; nothing is archived.
    """
    return _ingest(engine, body, sender, now, limits, topic_credit_code, nonce, ticket).ack()


def ingest_payload_json(
    engine: Engine,
    body: bytes,
    *,
    sender: Sender,
    now: datetime | None = None,
    limits: UplinkLimits | None = None,
    topic_credit_code: str | None = None,
    nonce: PendingNonce | None = None,
    ticket: Ticket | None = None,
) -> bytes:
    """`ingest_payload`, answering the ack as its JSON (``exclude_none``) without building
    one `RecordResult` per record."""
    return _ingest(engine, body, sender, now, limits, topic_credit_code, nonce, ticket).json()


@dataclass(frozen=True, slots=True)
class _Stored:
    """A stored message's acknowledgement, results either as models or as compact pairs."""

    message_id: str
    device_id: str
    received: datetime
    results: list[RecordResult] | None
    compact: list[tuple[RecordStatus, int]] | None

    def ack(self) -> UplinkAck:
        results = self.results
        if results is None:
            assert self.compact is not None
            results = [
                RecordResult(index=i, status=status, revision=revision)
                for i, (status, revision) in enumerate(self.compact)
            ]
        return UplinkAck(
            message_id=self.message_id,
            device_id=self.device_id,
            received_at=self.received,
            results=results,
        )

    def json(self) -> bytes:
        head = UplinkAck(
            message_id=self.message_id,
            device_id=self.device_id,
            received_at=self.received,
            results=[],
        ).model_dump_json(exclude_none=True)
        assert head.endswith('"results":[]}')
        if self.compact is not None:
            if self.compact.count(_ACCEPTED_NEW) == len(self.compact):
                results = _all_accepted(len(self.compact))
            else:
                results = ",".join(
                    f'{{"index":{i},{_result_tail(result)}' for i, result in enumerate(self.compact)
                )
        else:
            assert self.results is not None
            results = ",".join(r.model_dump_json(exclude_none=True) for r in self.results)
        return (head[:-2] + results + "]}").encode("utf-8")


_ACCEPTED_NEW = (RecordStatus.ACCEPTED, 1)


@lru_cache(maxsize=64)
def _result_tail(result: tuple[RecordStatus, int]) -> str:
    status, revision = result
    return f'"status":"{status.value}","revision":{revision}}}'


@lru_cache(maxsize=8)
def _all_accepted(count: int) -> str:
    """The results of `count` records all accepted as new (the usual answer, built once)."""
    tail = _result_tail(_ACCEPTED_NEW)
    return ",".join(f'{{"index":{i},{tail}' for i in range(count))


def _ingest(
    engine: Engine,
    body: bytes,
    sender: Sender,
    now: datetime | None,
    limits: UplinkLimits | None,
    topic_credit_code: str | None,
    nonce: PendingNonce | None = None,
    ticket: Ticket | None = None,
) -> _Stored:
    if ticket is None:
        with announce(engine) as own:
            return _ingest(engine, body, sender, now, limits, topic_credit_code, nonce, own)
    limits = UplinkLimits() if limits is None else limits
    received = _clock(now)
    at = int(received.timestamp())
    prepared = _prepare(engine, body, sender, at, limits)
    if prepared is not None and not _lean_sender_ok(prepared, sender, topic_credit_code):
        prepared = None  # the full path below raises the precise mismatch
    if prepared is not None and prepared.plan is not None:
        compact = _ingest_lean(engine, body, prepared, sender, received, limits, nonce, ticket)
        if compact is not None:
            return _Stored(prepared.message_id, prepared.device_id, received, None, compact)
    if prepared is not None and prepared.lean is not None:
        message_id, device_id = prepared.message_id, prepared.device_id
        records: list[UplinkRecord] = [lean_record_model(r) for r in prepared.lean.records]
    else:
        message = _parse_or_archive_rejected(
            engine, body, sender, at, limits, topic_credit_code, nonce
        )
        message_id, device_id, records = message.message_id, message.device_id, message.records
    archive_id = _archive_received(engine, body, sender, at, message_id, nonce)
    results = process_archive(engine, archive_id, records, sender, received, limits)
    return _Stored(message_id, device_id, received, results, None)


def _prepare(
    engine: Engine, body: bytes, sender: Sender, at: int, limits: UplinkLimits
) -> Prepared | None:
    """The message parsed and planned on the lean path: by the engine's `PreparePool` if it
    has one (and it works), else here."""
    prepare_limits = PrepareLimits.of(limits.max_records, limits.max_body_bytes, limits.validation)
    pool = _PREPARE_POOLS.get(engine)
    if pool is not None:
        try:
            return pool.prepare(
                body,
                enterprise_id=sender.enterprise_id,
                channel=sender.channel,
                at=at,
                limits=prepare_limits,
            )
        except Exception as exc:
            logger.warning("uplink prepared in process: %s", exc.__class__.__name__)
    with serial_cpu(engine):
        return prepare_message(
            engine,
            body,
            enterprise_id=sender.enterprise_id,
            channel=sender.channel,
            at=at,
            limits=prepare_limits,
        )


_PREPARE_POOLS: weakref.WeakKeyDictionary[Engine, PreparePool] = weakref.WeakKeyDictionary()


def bind_prepare_pool(engine: Engine, pool: PreparePool | None) -> None:
    """Prepare the messages stored on `engine` in `pool`'s worker processes (None: here)."""
    if pool is None:
        _PREPARE_POOLS.pop(engine, None)
    else:
        _PREPARE_POOLS[engine] = pool


def _lean_sender_ok(prepared: Prepared, sender: Sender, topic_credit_code: str | None) -> bool:
    if sender.channel not in DEVICE_CHANNELS:
        return True
    return (
        prepared.device_id == sender.actor
        and prepared.credit_code == sender.credit_code
        and topic_credit_code in (None, prepared.credit_code)
    )


def _parse_or_archive_rejected(
    engine: Engine,
    body: bytes,
    sender: Sender,
    at: int,
    limits: UplinkLimits,
    topic_credit_code: str | None,
    nonce: PendingNonce | None,
) -> UplinkMessage:
    try:
        message = parse_message(
            body, max_records=limits.max_records, max_body_bytes=limits.max_body_bytes
        )
        if sender.channel in DEVICE_CHANNELS:
            check_sender(
                message,
                key_id=sender.actor,
                key_credit_code=sender.credit_code,
                topic_credit_code=topic_credit_code,
            )
    except MessageRejected as exc:
        with write_lock(engine), engine.begin() as conn:
            _record_nonce(conn, nonce)
            _archive(
                conn,
                body,
                sender,
                at,
                "rejected",
                error_code=exc.code.value,
                summary={"problems": [p.as_dict() for p in exc.problems[:SUMMARY_REJECTIONS]]},
            )
        raise
    return message


def _archive_received(
    engine: Engine,
    body: bytes,
    sender: Sender,
    at: int,
    message_id: str,
    nonce: PendingNonce | None,
) -> int:
    """Archive the raw body as ``received`` and commit (before any processing)."""
    with write_lock(engine), engine.begin() as conn:
        _record_nonce(conn, nonce)
        return _archive(conn, body, sender, at, "received", message_id=message_id)


def _archive(
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


def _ingest_lean(
    engine: Engine,
    body: bytes,
    prepared: Prepared,
    sender: Sender,
    received: datetime,
    limits: UplinkLimits,
    nonce: PendingNonce | None,
    ticket: Ticket,
) -> list[tuple[RecordStatus, int]] | None:
    """Archive and store a prepared message of plain records in one durable commit; None
    (nothing written) when a record needs the full treatment.

    The work that needs no lock (parsing, checking the records against the item registry,
    building the rows and the rollup changes: `nenghao.ingest.prepare`) is done before the
    write transaction, which is shared with the messages that arrive meanwhile
    (`_LEAN_WRITERS`, a group commit): per message it confirms the registry is unchanged,
    records the nonce, archives the body and writes the readings; the rollups of the whole
    group follow, then the one commit. The body is durable exactly when its records are, and
    nothing is acknowledged before.
    """
    assert prepared.plan is not None
    at = int(received.timestamp())
    job = _LeanJob(body, prepared, prepared.plan, sender, at, limits, nonce)
    try:
        return _lean_writer(engine).submit(job, ticket)
    except NotPlainError:
        return None
    except ReplayedNonce:
        raise
    except Exception:
        # Nothing was written and nothing is acknowledged; keep the body for `recover_pending`
        # as the full path would have (best effort: the store may be what failed).
        with contextlib.suppress(Exception):
            _archive_received(engine, body, sender, at, prepared.message_id, nonce)
        raise


@dataclass(frozen=True, slots=True)
class _LeanJob:
    """One message of plain records, planned, waiting for its group's transaction."""

    body: bytes
    prepared: Prepared
    plan: PlainPlan
    sender: Sender
    at: int
    limits: UplinkLimits
    nonce: PendingNonce | None


@dataclass(slots=True)
class _LeanGroup:
    """A group transaction's state: item rows read once per enterprise, rollup changes."""

    item_rows: dict[int, list[RegistryRow]] = field(default_factory=dict)
    rollups: list[ReadingChange] = field(default_factory=list)


def _write_lean_job(
    conn: Connection, group: _LeanGroup, job: _LeanJob
) -> list[tuple[RecordStatus, int]]:
    """Write one message of a group. Refusals (`NotPlainError`, `ReplayedNonce`) are raised
    before it writes anything."""
    sender = job.sender
    _lock(conn, sender.enterprise_id)
    rows = group.item_rows.get(sender.enterprise_id)
    if rows is None:
        rows = group.item_rows[sender.enterprise_id] = item_rows(conn, sender.enterprise_id)
    plan = job.plan
    if rows != plan.item_rows:  # the registry changed since the plan: plan again
        lean = job.prepared.lean
        fresh = None
        if lean is not None:
            fresh = plan_plain(
                lean, rows, channel=sender.channel, at=job.at, limits=job.limits.validation
            )
        if fresh is None:
            raise NotPlainError
        plan = fresh
    stored = stored_readings(conn, plan.new.slots)
    if stored and plan.entries is None:  # planned elsewhere: resends take the full path
        raise NotPlainError
    _record_nonce(conn, job.nonce)
    compact = write_entries(
        conn,
        plan.entries or (),
        source=sender.channel,
        received_at=job.at,
        rolled_periods=plan.rolled,
        new=plan.new,
        rollups=group.rollups,
        stored=stored,
    )
    # The archive row is written whole, once: in the same transaction as the records, so the
    # body is durable exactly when they are (updating a row rewrites its whole body).
    tally = Counter(status for status, _ in compact)
    summary: dict[str, Any] = {"records": len(compact)}
    summary.update({s.value: tally[s] for s in RecordStatus}, rejections=[])
    _archive(
        conn,
        job.body,
        sender,
        job.at,
        "processed",
        message_id=job.prepared.message_id,
        summary=summary,
    )
    return compact


def _finish_lean_group(conn: Connection, group: _LeanGroup) -> None:
    if group.rollups:
        apply_changes(conn, group.rollups)


_LEAN_WRITERS: weakref.WeakKeyDictionary[
    Engine, GroupCommitter[_LeanJob, _LeanGroup, list[tuple[RecordStatus, int]]]
] = weakref.WeakKeyDictionary()
_LEAN_WRITERS_LOCK = threading.Lock()


def announce(engine: Engine) -> AbstractContextManager[Ticket]:
    """Announce a message that will be ingested within the block (its `Ticket` goes to
    `ingest_payload`): a group commit that starts meanwhile waits for it, briefly, so that
    concurrent messages share one commit. Announce as early as the message is known to come
    (before reading its body, say)."""
    return _lean_writer(engine).expecting()


def _lean_writer(
    engine: Engine,
) -> GroupCommitter[_LeanJob, _LeanGroup, list[tuple[RecordStatus, int]]]:
    with _LEAN_WRITERS_LOCK:
        writer = _LEAN_WRITERS.get(engine)
        if writer is None:
            writer = _LEAN_WRITERS[engine] = GroupCommitter(
                engine,
                start=lambda _conn: _LeanGroup(),
                write=lambda conn, group, job: _write_lean_job(conn, group, job),
                finish=_finish_lean_group,
                refusals=(NotPlainError, ReplayedNonce),
            )
    return writer


def ingest_records(
    engine: Engine,
    records: Sequence[UplinkRecord],
    *,
    sender: Sender,
    raw: bytes,
    now: datetime | None = None,
    limits: UplinkLimits | None = None,
    message_id: str | None = None,
) -> UplinkAck:
    """Store already-parsed records (file import, manual filing) like a message.

    `raw` (the file or request as received) is archived with the records; the source of the
    readings is ``sender.channel``, and manual filings get quality ``manual`` and are
    accepted only for items registered as manual or with period ``month``.
    """
    limits = UplinkLimits() if limits is None else limits
    received = _clock(now)
    with write_lock(engine), engine.begin() as conn:
        archive_id = _archive(
            conn,
            raw,
            sender,
            int(received.timestamp()),
            "received",
            message_id=message_id,
            records=records_json(records),
        )
    results = process_archive(engine, archive_id, records, sender, received, limits)
    return UplinkAck(
        message_id=message_id or f"{sender.channel}-{archive_id}",
        device_id=sender.actor,
        received_at=received,
        results=results,
    )


def records_json(records: Sequence[UplinkRecord]) -> bytes:
    """The records as a JSON array (what the archive keeps for file and manual uploads)."""
    return json.dumps(
        [r.model_dump(mode="json", exclude_none=True) for r in records],
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


AfterStore = Callable[[Connection, list[RecordResult]], None]
"""Runs after the records are stored, in the same transaction."""


class ArchiveBusyError(RuntimeError):
    """The archive is being (or was) processed by another transaction; resend to learn more."""


def process_archive(
    engine: Engine,
    archive_id: int,
    records: Sequence[UplinkRecord],
    sender: Sender,
    received: datetime,
    limits: UplinkLimits,
    *,
    keep_rejected: bool = True,
    then: AfterStore | None = None,
) -> list[RecordResult]:
    """Process a ``received`` archive in one transaction; the per-record results.

    `keep_rejected` False leaves rejected records out of the quarantine (re-processing a
    quarantined one); `then` runs last in the same transaction (audit, quarantine update).
    """
    at = int(received.timestamp())
    with write_lock(engine), engine.begin() as conn:
        _lock(conn, sender.enterprise_id)
        if not archive.claim(conn, archive_id, at):
            raise ArchiveBusyError(f"archive {archive_id} is not awaiting processing")
        results = _store(conn, archive_id, records, sender, received, limits, keep_rejected)
        summary = summarise(results, records)
        archive.finish(conn, archive_id, at=at, summary=summary)
        if sender.channel == "manual":
            audit.record(conn, sender.actor, "file", "manual_filing", archive_id, None, summary)
        if then is not None:
            then(conn, results)
    return results


def _lock(conn: Connection, enterprise_id: int) -> None:
    """Serialise the writers of one enterprise (PostgreSQL; SQLite has one writer anyway)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(7301, :e)"), {"e": enterprise_id})


def _store(
    conn: Connection,
    archive_id: int,
    records: Sequence[UplinkRecord],
    sender: Sender,
    received: datetime,
    limits: UplinkLimits,
    keep_rejected: bool,
) -> list[RecordResult]:
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
        conn, interval_writes, source=sender.channel, received_at=at, rolled_periods=rolled
    )
    for index, slot in written.items():
        results[index] = RecordResult(index=index, status=slot.status, revision=slot.revision)
    for code, group in register_groups.items():
        item = items[code]
        registers = store_register_readings(
            conn,
            item,
            group,
            source=sender.channel,
            received_at=at,
            archive_id=archive_id,
            max_value=item_bound(item.spec, convert, limits.validation),
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


# --- recovery ----------------------------------------------------------------------------


def recover_pending(
    engine: Engine,
    *,
    now: datetime | None = None,
    limits: UplinkLimits | None = None,
    received_before: int | None = None,
) -> int:
    """Process every archive left ``received`` (a crash or a failed commit after its raw
    copy was archived), oldest first; returns how many.

    `received_before` [Unix s] leaves out the newer ones (still being processed by the
    request that archived them). Records are validated as of their arrival
    (``received_at``) unless `now` is given. Idempotent: an archive another process finishes
    first is skipped. A failure stops the round at that archive (raised), so that none
    overtakes an older one.
    """
    with engine.connect() as conn:
        pending = archive.pending(conn, received_before=received_before)
    return sum(
        recover_archive(engine, archive_id, now=now, limits=limits) for archive_id in pending
    )


def recover_archive(
    engine: Engine,
    archive_id: int,
    *,
    now: datetime | None = None,
    limits: UplinkLimits | None = None,
) -> bool:
    """Process one archive left ``received``; False when it is no longer waiting."""
    limits = UplinkLimits() if limits is None else limits
    with engine.connect() as conn:
        row = archive.load(conn, archive_id)
        if row is None or row["status"] != "received":
            return False
        credit_code = conn.execute(
            select(enterprises.c.credit_code).where(enterprises.c.id == row["enterprise_id"])
        ).scalar_one()
    sender = Sender(row["enterprise_id"], credit_code, row["channel"], row["actor"])
    received = _clock(now) if now else datetime.fromtimestamp(row["received_at"], UTC)
    try:
        process_archive(engine, archive_id, _archived_records(row), sender, received, limits)
    except ArchiveBusyError:
        return False
    return True


def _archived_records(row: dict[str, Any]) -> list[UplinkRecord]:
    if row["records"] is not None:
        return [UplinkRecord.model_validate(r) for r in json.loads(row["records"])]
    generous = 1 << 31
    return parse_message(row["body"], max_records=generous, max_body_bytes=generous).records


# --- quarantine --------------------------------------------------------------------------


def reprocess_quarantined(
    engine: Engine,
    entry: dict[str, Any],
    *,
    actor: str,
    remote: str | None = None,
    now: datetime | None = None,
    limits: UplinkLimits | None = None,
) -> tuple[dict[str, Any], RecordResult]:
    """Run an open quarantine entry's record through the pipeline again (after a fix).

    The record is archived anew (channel of the original upload, `actor` the user). Stored:
    the entry becomes ``reprocessed``; refused again: it stays ``open`` with the new reason.
    Returns the updated entry and the record's result.
    """
    limits = UplinkLimits() if limits is None else limits
    received = _clock(now)
    record = UplinkRecord.model_validate(entry["record"])
    with write_lock(engine), engine.begin() as conn:
        original = archive.load(conn, entry["archive_id"])
        assert original is not None
        credit_code = conn.execute(
            select(enterprises.c.credit_code).where(enterprises.c.id == entry["enterprise_id"])
        ).scalar_one()
        raw = records_json([record])
        archive_id = archive.add(
            conn,
            body=raw,
            channel=original["channel"],
            enterprise_id=entry["enterprise_id"],
            actor=actor,
            received_at=int(received.timestamp()),
            status="received",
            message_id=f"quarantine-{entry['id']}",
            records=raw,
        )
    sender = Sender(entry["enterprise_id"], credit_code, original["channel"], actor)
    updated: list[dict[str, Any]] = []

    def resolve(conn: Connection, results: list[RecordResult]) -> None:
        result = results[0]
        outcome = {"archive_id": archive_id, **result.model_dump(mode="json", exclude_none=True)}
        refused = result.status is RecordStatus.REJECTED
        updated.append(
            quarantine.resolve(
                conn,
                entry,
                status="open" if refused else "reprocessed",
                at=int(received.timestamp()),
                actor=actor,
                resolution=outcome,
                code=result.code.value if refused and result.code else None,
                message=result.message if refused else None,
                remote=remote,
            )
        )

    results = process_archive(
        engine, archive_id, [record], sender, received, limits, keep_rejected=False, then=resolve
    )
    return updated[0], results[0]
