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
from dataclasses import dataclass

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


class MaintenanceLoop(threading.Thread):
    """Runs `run_round` at once and then every `interval_s` [s] until `stop`; with `lock`,
    only while this node holds the job's lock (once across nodes)."""

    def __init__(
        self, engine: Engine, policy: Policy, interval_s: float, lock: JobLock | None = None
    ) -> None:
        super().__init__(name="nenghao-maintenance", daemon=True)
        self.engine, self.policy, self.interval_s, self.lock = engine, policy, interval_s, lock
        self.rounds = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        """The thread's body (started by `start`)."""
        wait = 0.0
        while not self.stopping.wait(wait):
            wait = self.interval_s
            if self.lock is not None and not self.lock.held():
                continue
            try:
                done = run_round(self.engine, self.policy)
            except Exception:  # keep the job alive; the error is logged
                logger.exception("maintenance round failed")
                continue
            self.rounds += 1
            if done.created or (done.compressed and done.compressed.bodies):
                logger.info("maintenance: created %s; %s", done.created, done.compressed)
        if self.lock is not None:
            self.lock.release()  # another node takes the job at its next round

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the thread to stop and wait for the current round to finish."""
        self.stopping.set()
        if self.is_alive():
            self.join(timeout)
