"""The forwarding job: delivers the outbox to the upstream, at least once and in order.

Each round (every `interval_s`, on the node holding the ``federation`` job lock) queues the
months that closed, then sends batches in id order — at most `batch_entries` entries and
`batch_records` readings each — through the upstream's adapter. An acknowledged batch is
deleted from the outbox with the delivery counters in one transaction; anything else leaves
it there, and the next attempt waits an exponential backoff with jitter, or the upstream's
``Retry-After`` when longer. The wait is stored (``next_attempt_at``), so a restarted node, or
the node that takes the lock over, honours it. A crash at any point loses nothing: what was
not deleted is sent again, and the upstream applies each entry once.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import Engine

from nenghao.federation.adapter import AdapterFactory, DeliveryError, OutboxEntry, UpstreamAdapter
from nenghao.federation.months import last_closed, queue_closed_months
from nenghao.federation.nenghao_protocol import NenghaoProtocol
from nenghao.store import federation, outbox
from nenghao.store.engine import write_lock
from nenghao.store.job_lock import JobLock

logger = logging.getLogger("nenghao.federation")

ADAPTERS: dict[str, AdapterFactory] = {"nenghao": NenghaoProtocol}
"""Upstream adapters by name (``set-upstream --adapter``); add a provincial format here."""


@dataclass(frozen=True, slots=True)
class Backoff:
    """Waits after failures in a row: ``base_s · 2^(failures − 1)``, at most `cap_s`, drawn
    uniformly from its upper half (jitter); never shorter than the upstream's Retry-After."""

    base_s: float = 2.0
    cap_s: float = 300.0

    def delay(self, failures: int, retry_after_s: float | None, rng: random.Random) -> float:
        """The wait [s] before the next attempt."""
        ceiling = min(self.cap_s, self.base_s * 2 ** max(failures - 1, 0))
        wait = rng.uniform(ceiling / 2, ceiling)
        return max(wait, retry_after_s or 0.0)


@dataclass(frozen=True, slots=True)
class BatchLimits:
    """The size of one batch."""

    entries: int = 200
    records: int = 20_000


class Forwarder:
    """Forwards this platform's outbox (see the module docstring).

    Parameters
    ----------
    engine : Engine
        The platform's database.
    master_key : callable
        Returns the master key (unseals the upstream's secret).
    lock : JobLock, optional
        The ``federation`` job lock (one node forwards); None: this process always does.
    """

    def __init__(
        self,
        engine: Engine,
        master_key: Callable[[], bytes],
        *,
        lock: JobLock | None = None,
        interval_s: float = 2.0,
        limits: BatchLimits | None = None,
        backoff: Backoff | None = None,
        adapters: Mapping[str, AdapterFactory] | None = None,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        self.engine = engine
        self.master_key = master_key
        self.lock = lock
        self.interval_s = interval_s
        self.limits = limits or BatchLimits()
        self.backoff = backoff or Backoff()
        self.adapters = ADAPTERS if adapters is None else adapters
        self.clock = clock
        self.rng = rng or random.Random()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_round(self, max_batches: int = 1000) -> int:
        """One round: the entries delivered (0 when not configured, waiting or not leader)."""
        if self.lock is not None and not self.lock.held():
            return 0
        now = int(self.clock())
        with self.engine.connect() as conn:
            state = federation.upstream_state(conn)
        if state is None:  # not forwarding: one read per round, no write
            return 0
        if state["closed_month"] is None or state["closed_month"] < last_closed(now):
            with write_lock(self.engine), self.engine.begin() as conn:
                queue_closed_months(conn, now)
        if state["next_attempt_at"] is not None and state["next_attempt_at"] > now:
            return 0
        with self.engine.connect() as conn:
            target = federation.upstream(conn, self.master_key())
        if target is None:
            return 0
        adapter = self.adapters[target.adapter](target)
        delivered = 0
        try:
            for _ in range(max_batches):
                sent = self._one_batch(adapter)
                if sent == 0:
                    break
                delivered += sent
        except DeliveryError as exc:
            self._failed(exc)
        finally:
            adapter.close()
        return delivered

    def _one_batch(self, adapter: UpstreamAdapter) -> int:
        with self.engine.connect() as conn:
            rows = outbox.pending(conn, self.limits.entries)
        batch: list[OutboxEntry] = []
        records = 0
        for row in rows:
            if batch and records + row["records"] > self.limits.records:
                break
            batch.append(OutboxEntry(row["id"], row["kind"], row["payload"], row["records"]))
            records += row["records"]
        if not batch:
            return 0
        adapter.deliver(batch)
        with write_lock(self.engine), self.engine.begin() as conn:
            outbox.acknowledge(conn, [e.id for e in batch])
            federation.record_delivery(conn, len(batch), records, int(self.clock()))
        return len(batch)

    def _failed(self, exc: DeliveryError) -> None:
        now = int(self.clock())
        with write_lock(self.engine), self.engine.begin() as conn:
            state = federation.upstream_state(conn)
            failures = (state["failures"] if state else 0) + 1
            wait = self.backoff.delay(failures, exc.retry_after_s, self.rng)
            federation.record_failure(conn, exc.message, now, now + max(1, round(wait)))
        logger.warning("forwarding failed (%d in a row): %s", failures, exc.message)

    def start(self) -> Forwarder:
        """Run rounds in a background thread until `stop`."""
        self._thread = threading.Thread(target=self._loop, name="federation", daemon=True)
        self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_round()
            except Exception:  # a database fault: try again at the next round
                logger.exception("forwarding round failed")
            self._stop.wait(self.interval_s)

    def stop(self) -> None:
        """Stop the thread (after its current round) and give the job lock up."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        if self.lock is not None:
            self.lock.release()
