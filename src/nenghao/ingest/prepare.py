"""Preparing plain messages: parsing and planning, here or in a worker process.

Parsing a 1,000-record message and planning its rows take about 2 ms of Python, which holds
the GIL: in one server process they cannot run beside the writes and the HTTP work. A
`PreparePool` does them in a worker process on another core and sends back the plan (the
rows, the rollup changes, the registry it was made against), which costs the server a
fraction of a millisecond. Without a pool, `prepare_message` runs in the caller.

Either way the result is the same `Prepared`: the message's header and its plan, or no plan
(the message is valid but not plain) or nothing at all (it needs `parse_message`, which
gives the precise reasons); the service then takes the full path.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Self

from sqlalchemy import Engine

from nenghao.ingest.item_limits import ValidationLimits
from nenghao.ingest.items import item_rows
from nenghao.ingest.plain import PlainPlan, plan_plain
from nenghao.ingest.plain_message import PlainMessage, parse_plain
from nenghao.store.engine import make_engine

logger = logging.getLogger("nenghao.uplink")


@dataclass(frozen=True, slots=True)
class Prepared:
    """A structurally valid message's header and, if every record is plain, its plan."""

    credit_code: str
    device_id: str
    message_id: str
    plan: PlainPlan | None
    message: PlainMessage | None = None
    """The parsed message, when prepared in this process."""


@dataclass(frozen=True, slots=True)
class PrepareLimits:
    """The limits a message is prepared under (`UplinkLimits` in plain values, which
    travel to a worker process)."""

    max_records: int
    max_body_bytes: int
    clock_tolerance_s: int
    bounds: tuple[tuple[str, float], ...]

    @classmethod
    def of(cls, max_records: int, max_body_bytes: int, validation: ValidationLimits) -> Self:
        """The limits of a message and of its records."""
        bounds = tuple(validation.bounds.items())
        return cls(max_records, max_body_bytes, validation.clock_tolerance_s, bounds)

    @property
    def validation(self) -> ValidationLimits:
        """The record validation limits."""
        return ValidationLimits(self.clock_tolerance_s, dict(self.bounds))


def prepare_message(
    engine: Engine,
    body: bytes,
    *,
    enterprise_id: int,
    channel: str,
    at: int,
    limits: PrepareLimits,
) -> Prepared | None:
    """Parse `body` on the plain path and plan it against the enterprise's registry."""
    message = parse_plain(
        body, max_records=limits.max_records, max_body_bytes=limits.max_body_bytes
    )
    if message is None:
        return None
    with engine.connect() as conn:
        rows = item_rows(conn, enterprise_id)
    plan = plan_plain(message, rows, channel=channel, at=at, limits=limits.validation)
    return Prepared(message.credit_code, message.device_id, message.message_id, plan, message)


class PreparePool:
    """`prepare_message` in worker processes (spawned on first use), for one database.

    A failed or stuck worker is reported once and the pool is started afresh on the next
    message; meanwhile `prepare` raises and the caller prepares the message itself.
    """

    TIMEOUT_S = 30.0
    """A message not prepared by then is prepared by the caller (and the workers restarted)."""

    def __init__(self, database_url: str, workers: int = 1) -> None:
        self.database_url = database_url
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def prepare(
        self, body: bytes, *, enterprise_id: int, channel: str, at: int, limits: PrepareLimits
    ) -> Prepared | None:
        """`prepare_message` in a worker; the plan comes back without its entries."""
        executor = self._running()
        future = executor.submit(
            _prepare_in_worker, self.database_url, body, enterprise_id, channel, at, limits
        )
        try:
            return future.result(timeout=self.TIMEOUT_S)
        except Exception:
            self._restart(executor)
            raise

    def _running(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_watch_server,
                    initargs=(os.getpid(),),
                )
            return self._executor

    def _restart(self, failed: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._executor is failed:
                logger.warning("uplink prepare worker failed; starting a new one")
                self._executor = None
                failed.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


def _watch_server(server: int) -> None:
    """In a worker: exit once the server process is gone (killed, it stops no worker)."""

    def watch() -> None:
        while os.getppid() == server:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="nenghao-server-watch", daemon=True).start()


_WORKER_ENGINES: dict[str, Engine] = {}


def _prepare_in_worker(
    database_url: str, body: bytes, enterprise_id: int, channel: str, at: int, limits: PrepareLimits
) -> Prepared | None:
    engine = _WORKER_ENGINES.get(database_url)
    if engine is None:
        engine = _WORKER_ENGINES[database_url] = make_engine(database_url)
    prepared = prepare_message(
        engine, body, enterprise_id=enterprise_id, channel=channel, at=at, limits=limits
    )
    if prepared is None or prepared.plan is None:
        return prepared
    return Prepared(
        prepared.credit_code, prepared.device_id, prepared.message_id, prepared.plan.detached()
    )
