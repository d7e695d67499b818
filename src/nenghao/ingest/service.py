"""The uplink service: one object, built once at start-up, through which every transport
(HTTPS, MQTT, file import, manual filing) and the recovery of held messages store.

It holds the engine, the limits, the device credentials (master key), the nonce cache,
the rate limits per device, the group committer and the prepare pool. A message goes:

1. prepared: read on the plain path and planned against the enterprise's registry
   (`nenghao.ingest.prepare`, in a worker process when there is a pool), else parsed by
   `nenghao.ingest.parsing.parse_message`, which reports every problem;
2. written as one job of the pipeline (`nenghao.ingest.pipeline`): its nonce, its archive
   row and its records in one transaction, shared with the messages that arrive meanwhile;
3. acknowledged after the commit.

A dry run (``"dry_run": true``, never on the plain path) is validated and answered the same
way in a transaction that is rolled back (`nenghao.ingest.dry_run`).

Should the transaction fail, the body is archived ``received`` alone (best effort) and the
error raised: nothing is acknowledged, and `nenghao.ingest.held` stores it later.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from nenghao.ingest import dry_run, pipeline
from nenghao.ingest.acknowledgement import StoredAck
from nenghao.ingest.credentials import DeviceCredentials
from nenghao.ingest.errors import MessageRejected
from nenghao.ingest.heartbeat import HeartbeatAck, store_heartbeat
from nenghao.ingest.nonces import (
    DbNonceCache,
    NonceStore,
    PendingNonce,
    record_nonce,
    release_nonce,
)
from nenghao.ingest.parsing import parse_message
from nenghao.ingest.pipeline import Arrival, Job, PlainJob, RejectJob, StoreJob
from nenghao.ingest.plain import NotPlainError
from nenghao.ingest.plain_message import record_models
from nenghao.ingest.prepare import Prepared, PrepareLimits, PreparePool, prepare_message
from nenghao.ingest.protocol import UplinkAck, UplinkRecord, check_sender
from nenghao.ingest.ratelimit import RateLimit
from nenghao.ingest.redis_state import RedisNonceCache, SharedState
from nenghao.ingest.sender import Sender, UplinkLimits
from nenghao.ingest.signing import ReplayedNonce
from nenghao.standards.vocabulary import DEVICE_CHANNELS
from nenghao.store import common
from nenghao.store.engine import write_lock
from nenghao.store.group_commit import GroupCommitter, Ticket, serial_cpu

logger = logging.getLogger("nenghao.uplink")


class UplinkService:
    """Stores uplink messages on `engine` (see the module docstring).

    Parameters
    ----------
    engine : Engine
        The database.
    master_key : bytes or callable
        The master key of device secrets, or its loader (called once, when first needed).
    limits : UplinkLimits
        The message and validation limits (the settings' ``uplink_*``).
    rate : RateLimit, optional
        Messages per device and second, shared by HTTPS and MQTT (default: unlimited): a
        `TokenBucket` in process memory, or one in Redis shared by every node.
    nonces : NonceStore, optional
        Where nonces are recorded (default: the database, in the archive's transaction).
    prepare_workers : int
        Worker processes that prepare messages (0: in the calling thread). Needs a database
        file or server: an in-memory database cannot be shared.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        master_key: bytes | Callable[[], bytes],
        limits: UplinkLimits | None = None,
        rate: RateLimit | None = None,
        nonces: NonceStore | None = None,
        prepare_workers: int = 0,
    ) -> None:
        self.engine = engine
        self.limits = limits or UplinkLimits()
        self.credentials = DeviceCredentials(engine, master_key)
        self.nonces: NonceStore = nonces or DbNonceCache(engine)
        self.rate = rate
        self.committer: GroupCommitter[Job, pipeline.Group, Any] = GroupCommitter(
            engine,
            start=pipeline.start,
            write=pipeline.write,
            finish=pipeline.finish,
            refusals=pipeline.REFUSALS,
        )
        self.pool: PreparePool | None = None
        if prepare_workers > 0 and engine.url.database not in (None, "", ":memory:"):
            url = engine.url.render_as_string(hide_password=False)
            self.pool = PreparePool(url, prepare_workers)
        self._prepare_limits = PrepareLimits.of(
            self.limits.max_records, self.limits.max_body_bytes, self.limits.validation
        )

    @property
    def shared_state(self) -> SharedState | None:
        """The Redis state this node shares with the others (None: a node alone)."""
        return self.nonces.shared if isinstance(self.nonces, RedisNonceCache) else None

    def close(self) -> None:
        """Stop the prepare workers (the application's end)."""
        if self.pool is not None:
            self.pool.close()

    def announce(self) -> AbstractContextManager[Ticket]:
        """Announce a message that will be ingested within the block (its `Ticket` goes to
        `ingest`): a group commit that starts meanwhile waits for it, briefly, so that
        concurrent messages share one commit. Announce as soon as the message is known to
        come (once its body is in, say)."""
        return self.committer.expecting()

    def ingest(
        self,
        body: bytes,
        *,
        sender: Sender,
        now: datetime | None = None,
        topic_credit_code: str | None = None,
        nonce: PendingNonce | None = None,
        ticket: Ticket | None = None,
    ) -> StoredAck:
        """Archive, validate and store one uplink message body; its acknowledgement after
        the commit.

        `nonce`, the verified request's, is recorded in the transaction that archives the
        body. `ticket` is the message's announcement (`announce`), if the caller made one.

        Raises
        ------
        MessageRejected
            A whole-message error (structure, or a device/enterprise mismatch for the device
            channels; `topic_credit_code` is the MQTT topic's). The body is archived as
            ``rejected``.
        ReplayedNonce
            `nonce` is still recorded; nothing is archived.
        """
        if ticket is None:
            with self.announce() as own:
                return self.ingest(
                    body,
                    sender=sender,
                    now=now,
                    topic_credit_code=topic_credit_code,
                    nonce=nonce,
                    ticket=own,
                )
        received = _clock(now)
        at = int(received.timestamp())
        prepared = self._prepare(body, sender, at)
        if prepared is not None and not _sender_ok(prepared, sender, topic_credit_code):
            prepared = None  # parse_message gives the precise mismatch
        if prepared is not None and prepared.plan is not None:
            arrival = Arrival(body, prepared.message_id)
            job = PlainJob(arrival, prepared, prepared.plan, sender, at, self.limits, nonce)
            try:
                pairs = self._write(job, ticket, arrival, nonce)
            except NotPlainError:
                pass
            else:
                return StoredAck(prepared.message_id, prepared.device_id, received, None, pairs)
        if prepared is not None and prepared.message is not None:
            message_id, device_id = prepared.message_id, prepared.device_id
            records = record_models(prepared.message)
        else:
            try:
                message = parse_message(
                    body,
                    max_records=self.limits.max_records,
                    max_body_bytes=self.limits.max_body_bytes,
                )
                if sender.channel in DEVICE_CHANNELS:
                    check_sender(
                        message,
                        key_id=sender.actor,
                        key_credit_code=sender.credit_code,
                        topic_credit_code=topic_credit_code,
                    )
            except MessageRejected as exc:
                if not dry_run.declares_dry_run(body):
                    self.committer.submit(RejectJob(body, sender, at, exc, nonce), ticket)
                raise
            message_id, device_id, records = (
                message.message_id,
                message.device_id,
                message.records,
            )
            if message.dry_run:
                results = dry_run.try_records(
                    self.engine,
                    records,
                    sender=sender,
                    received=received,
                    limits=self.limits,
                    body=body,
                    message_id=message_id,
                    nonce=nonce,
                )
                return StoredAck(message_id, device_id, received, results, None, dry_run=True)
        arrival = Arrival(body, message_id)
        store = StoreJob(sender, received, records, self.limits, arrival=arrival, nonce=nonce)
        _archive_id, results = self._write(store, ticket, arrival, nonce)
        return StoredAck(message_id, device_id, received, results, None)

    def heartbeat(
        self,
        body: bytes,
        *,
        sender: Sender,
        nonce: PendingNonce | None = None,
        topic_credit_code: str | None = None,
    ) -> HeartbeatAck:
        """Keep a heartbeat (HTTPS or MQTT) as the key's latest; its answer. `nonce`, the
        verified envelope's, is recorded in the same transaction. Raises `MessageRejected`
        and `ReplayedNonce`."""
        with self.engine.begin() as conn:
            record_nonce(conn, nonce)
            return store_heartbeat(conn, body, sender, common.now(), topic_credit_code)

    def ingest_records(
        self,
        records: Sequence[UplinkRecord],
        *,
        sender: Sender,
        raw: bytes,
        now: datetime | None = None,
        message_id: str | None = None,
    ) -> UplinkAck:
        """Store already-parsed records (file import, manual filing) like a message.

        `raw` (the file or request as received) is archived with the records; the source of
        the readings is ``sender.channel``, and manual filings get quality ``manual`` and are
        accepted only for items registered as manual or with period ``month``.
        """
        received = _clock(now)
        arrival = Arrival(raw, message_id, pipeline.records_json(records))
        job = StoreJob(sender, received, records, self.limits, arrival=arrival)
        archive_id, results = self._write(job, None, arrival, None)
        return UplinkAck(
            message_id=message_id or f"{sender.channel}-{archive_id}",
            device_id=sender.actor,
            received_at=received,
            results=results,
        )

    def _write(
        self, job: Job, ticket: Ticket | None, arrival: Arrival, nonce: PendingNonce | None
    ) -> Any:
        """Submit `job`; should its transaction fail, hold the body (archived ``received``
        alone, best effort: the store may be what failed) and raise. A nonce claimed outside
        the transaction is given back when the body was neither stored nor held."""
        try:
            return self.committer.submit(job, ticket)
        except (NotPlainError, ReplayedNonce):
            raise  # the message goes on another way / the nonce was not this request's
        except pipeline.REFUSALS:
            release_nonce(nonce)
            raise
        except Exception:
            held = False
            with contextlib.suppress(Exception):
                self._hold(job.sender, arrival, nonce, int(_received_at(job)))
                held = True
            if not held:
                release_nonce(nonce)
            raise

    def _hold(self, sender: Sender, arrival: Arrival, nonce: PendingNonce | None, at: int) -> None:
        with write_lock(self.engine), self.engine.begin() as conn:
            record_nonce(conn, nonce)
            pipeline.archive_body(
                conn,
                arrival.body,
                sender,
                at,
                "received",
                message_id=arrival.message_id,
                records=arrival.records,
            )

    def _prepare(self, body: bytes, sender: Sender, at: int) -> Prepared | None:
        """The message read and planned on the plain path: by the pool if there is one (and
        it works), else here."""
        if self.pool is not None:
            try:
                return self.pool.prepare(
                    body,
                    enterprise_id=sender.enterprise_id,
                    channel=sender.channel,
                    at=at,
                    limits=self._prepare_limits,
                )
            except Exception as exc:
                logger.warning("uplink prepared in process: %s", exc.__class__.__name__)
        with serial_cpu(self.engine):
            return prepare_message(
                self.engine,
                body,
                enterprise_id=sender.enterprise_id,
                channel=sender.channel,
                at=at,
                limits=self._prepare_limits,
            )


def _received_at(job: Job) -> float:
    return job.received.timestamp() if isinstance(job, StoreJob) else job.at


def _clock(now: datetime | None) -> datetime:
    received = datetime.now(UTC) if now is None else now
    if received.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return received


def _sender_ok(prepared: Prepared, sender: Sender, topic_credit_code: str | None) -> bool:
    if sender.channel not in DEVICE_CHANNELS:
        return True
    return (
        prepared.device_id == sender.actor
        and prepared.credit_code == sender.credit_code
        and topic_credit_code in (None, prepared.credit_code)
    )
