"""The database's maintenance job: month partitions ahead, archive bodies compressed.

Every round (``maintenance_interval_s``, default hourly) creates the partitions of this CST
month and of the ``partition_months_ahead`` months after it, moves rows waiting in the default
partitions into their months (`nenghao.store.partitions`, PostgreSQL only), and compresses
the archive bodies older than ``archive_compress_after_months`` (`nenghao.store.archive_retention`,
both backends). With several API nodes only the holder of the ``maintenance`` job lock
(`nenghao.store.job_lock`) runs it; ``nenghao db partitions create`` and ``nenghao db
archive-compress`` do the same by hand.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import Engine

from nenghao.store import partitions
from nenghao.store.archive_retention import Compressed, compress_bodies, cutoff
from nenghao.store.job_lock import JobLock

logger = logging.getLogger("nenghao.maintenance")


@dataclass(frozen=True)
class Policy:
    """How far ahead partitions are created and when archive bodies are compressed."""

    months_ahead: int = 3
    compress_after_months: int = 12  # 0: never


@dataclass(frozen=True)
class Round:
    """What one round did."""

    created: list[str]
    compressed: Compressed | None


def run_round(engine: Engine, policy: Policy, at: int | None = None) -> Round:
    """One maintenance round as of `at` [Unix s] (default: now)."""
    instant = int(time.time()) if at is None else at
    with engine.begin() as conn:
        created = partitions.ensure(conn, instant, policy.months_ahead)
    compressed = None
    if policy.compress_after_months > 0:
        compressed = compress_bodies(engine, cutoff(instant, policy.compress_after_months))
    return Round(created, compressed)


@dataclass
class MaintenanceLoop:
    """Runs `run_round` every `interval_s` on a daemon thread until `stop` (once across nodes
    with `lock`)."""

    engine: Engine
    policy: Policy
    interval_s: float = 3600.0
    lock: JobLock | None = None
    rounds: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> MaintenanceLoop:
        """Start the thread (the first round at once)."""
        self._thread = threading.Thread(target=self._loop, name="nenghao-maintenance", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the thread to stop and wait for the current round to finish."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                if self.lock is None or self.lock.held():
                    done = run_round(self.engine, self.policy)
                    self.rounds += 1
                    if done.created or (done.compressed and done.compressed.bodies):
                        logger.info("maintenance: created %s; %s", done.created, done.compressed)
            except Exception:  # keep the job alive; the error is logged
                logger.exception("maintenance round failed")
            self._stop.wait(self.interval_s)
        if self.lock is not None:
            self.lock.release()
