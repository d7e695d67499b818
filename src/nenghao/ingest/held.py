"""Held messages: archived raw but not stored, retried in the background in arrival order.

A message whose raw copy was committed but whose processing failed (a dropped database
connection, a lock held too long, a full disk) stays ``received`` in the archive. Its sender
was told it is not acknowledged; `HeldRetrier` stores it anyway as soon as the database
allows, oldest first, without waiting for a restart.

- A held message is stored as of its arrival: a value of its slots received in the same second
  or after it (the device's resend, a correction) stays current (`nenghao.ingest.recovery`).
- Each round takes the archives received more than `min_age_s` ago (younger ones may still be
  in the hands of the request that archived them; the archive's claim keeps two processors
  from storing one message twice).
- A database fault ends the round at that message, so that no newer message of the round
  overtakes it; the next round starts again from the oldest.
- A message that fails for another reason (a defect, not the database) is set aside after
  `MAX_FAILURES` tries until the process restarts, with the error logged, so that it cannot
  hold back the others.
- With several API nodes on PostgreSQL only the holder of the ``held`` job lock
  (`nenghao.store.job_lock`) runs the rounds, and its first round too leaves the messages
  younger than `min_age_s` (the other nodes' requests may be in flight): the second round
  follows `min_age_s` later, not a whole interval.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter

from nenghao.ingest.recovery import recover_archive
from nenghao.ingest.service import UplinkService
from nenghao.store import archive
from nenghao.store.engine import DATABASE_FAULTS
from nenghao.store.job_lock import JobLock

logger = logging.getLogger("nenghao.uplink")
MAX_FAILURES = 3


class HeldRetrier:
    """Retries held messages every `interval_s` on a daemon thread until `stop`."""

    def __init__(
        self,
        uplink: UplinkService,
        *,
        interval_s: float,
        min_age_s: float,
        lock: JobLock | None = None,
    ) -> None:
        self.uplink = uplink
        self.lock = lock
        self.interval_s, self.min_age_s = interval_s, min_age_s
        self.failures: Counter[int] = Counter()
        self.stored = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> HeldRetrier:
        """Start the thread; its first round, at once, takes every held message."""
        self._thread = threading.Thread(target=self._loop, name="nenghao-held", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the thread to stop and wait for the current message to finish."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        alone = self.lock is None or self.lock.single_node
        min_age = 0.0 if alone else self.min_age_s  # at start-up nothing of ours is in flight
        # a first round that had to leave the youngest alone comes back once they are old
        # enough (ages are whole seconds: one more), not a whole interval later
        wait = self.interval_s if alone else min(self.interval_s, self.min_age_s + 1.0)
        while not self._stop.is_set():
            if self.lock is None or self.lock.held():
                self.retry(min_age)
                min_age = self.min_age_s
            self._stop.wait(wait)
            wait = self.interval_s
        if self.lock is not None:
            self.lock.release()  # another node takes the job at its next round

    def retry(self, min_age_s: float) -> int:
        """One round over the messages held longer than `min_age_s`; how many were stored."""
        before = int(time.time() - min_age_s) if min_age_s > 0 else None
        try:
            with self.uplink.engine.connect() as conn:
                pending = archive.pending(conn, received_before=before)
        except DATABASE_FAULTS as exc:
            logger.warning("held messages: database unavailable (%s)", exc.__class__.__name__)
            return 0
        stored = 0
        for archive_id in pending:
            if self._stop.is_set():
                break
            if self.failures[archive_id] >= MAX_FAILURES:
                continue
            try:
                stored += recover_archive(self.uplink, archive_id)
            except DATABASE_FAULTS as exc:
                logger.warning(
                    "held message %d not stored yet, database unavailable (%s)",
                    archive_id,
                    exc.__class__.__name__,
                )
                break
            except Exception:
                self._failed(archive_id)
        if stored:
            logger.info("held messages: stored %d", stored)
        self.stored += stored
        return stored

    def _failed(self, archive_id: int) -> None:
        self.failures[archive_id] += 1
        logger.exception(
            "held message %d failed (%d of %d tries)",
            archive_id,
            self.failures[archive_id],
            MAX_FAILURES,
        )
