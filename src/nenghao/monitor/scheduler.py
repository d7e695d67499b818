"""The monitor's schedule inside the platform: a background thread started by the API app.

Every `interval_s` it evaluates yesterday (CST; idempotent, so re-runs only refresh), checks
device contact and unrepaired outages, and once per CST day evaluates and scores the
previous month (its monthly filings fall due in the first days of the month).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import timedelta

from nenghao.monitor.service import Monitor
from nenghao.standards.calendar import cst_date
from nenghao.store.common import now

logger = logging.getLogger("nenghao.monitor")


@dataclass
class Scheduler:
    """Runs `Monitor` periodically on a daemon thread until `stop`."""

    monitor: Monitor
    interval_s: float = 900.0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _month_done_on: object = None
    ticks: int = 0

    def start(self) -> Scheduler:
        """Start the thread (the first tick runs at once)."""
        self._thread = threading.Thread(target=self._loop, name="nenghao-monitor", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the thread to stop and wait for the current tick to finish."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # keep the schedule alive; the error is logged
                logger.exception("monitor tick failed")
            self._stop.wait(self.interval_s)

    def tick(self, at: int | None = None) -> None:
        """One round: yesterday, the live checks, and the previous month once a day."""
        instant = now() if at is None else at
        today = cst_date(instant)
        self.monitor.run_day(today - timedelta(days=1), as_of=instant)
        self.monitor.live(as_of=instant)
        if self._month_done_on != today:
            previous = today.replace(day=1) - timedelta(days=1)
            self.monitor.run_month(previous.year, previous.month, as_of=instant)
            self._month_done_on = today
        self.ticks += 1
