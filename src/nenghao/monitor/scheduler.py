"""The monitor's schedule inside the platform: a background thread started by the API app.

Every `interval_s` it checks device contact and unrepaired outages. Once per CST day, at the
first tick after 01:00 CST (the previous day is then over and its daily figures due), it
evaluates the current month to date (yesterday and every earlier day of the month, so data
filled in late is judged again; scored as the month so far) and, during the first
`MONTH_RUN_DAYS` days of a month, the previous month, scored after its monthly filings fall
due (month + 5 days). The same schedule scores a platform's history on demand (`run_history`,
used by the demo build).

With several API nodes on PostgreSQL each runs a scheduler, and only the holder of the
``monitor`` job lock (`nenghao.store.job_lock`) ticks: the schedule runs once across nodes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from nenghao.monitor.runner import month_window
from nenghao.monitor.service import Monitor
from nenghao.standards.calendar import HOUR_S, cst_date, cst_midnight
from nenghao.store.common import now
from nenghao.store.job_lock import JobLock

logger = logging.getLogger("nenghao.monitor")

DAILY_AFTER_S = HOUR_S
"""The daily run starts at the first tick after 01:00 CST [s after midnight]."""
MONTH_RUN_DAYS = 10
"""Days of a month during which the previous month is evaluated and scored again."""


@dataclass
class Scheduler:
    """Runs `Monitor` periodically on a daemon thread until `stop`."""

    monitor: Monitor
    interval_s: float = 900.0
    lock: JobLock | None = None
    """The job lock across nodes (None: this process always ticks)."""
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _daily_done_on: date | None = None
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
                if self.lock is None or self.lock.held():
                    self.tick()
            except Exception:  # keep the schedule alive; the error is logged
                logger.exception("monitor tick failed")
            self._stop.wait(self.interval_s)
        if self.lock is not None:
            self.lock.release()  # another node takes the schedule at its next round

    def tick(self, at: int | None = None) -> None:
        """One round: the live checks; the daily run once per CST day after 01:00."""
        instant = now() if at is None else at
        today = cst_date(instant)
        self.monitor.live(as_of=instant)
        if self._daily_done_on != today and instant - cst_midnight(today) >= DAILY_AFTER_S:
            daily(self.monitor, today, instant)
            self._daily_done_on = today
        self.ticks += 1


def daily(monitor: Monitor, today: date, as_of: int) -> None:
    """The daily run of `today` (CST): the previous month during its first days, then the
    current month to date."""
    if today.day <= MONTH_RUN_DAYS:
        previous = today.replace(day=1) - timedelta(days=1)
        monitor.run_month(previous.year, previous.month, as_of=as_of)
    if today.day > 1:
        monitor.run_window(month_window(today.year, today.month, as_of), "range")


Progress = Callable[[str, int, int], None]


def run_history(
    monitor: Monitor, first: date, last: date, as_of: int, progress: Progress | None = None
) -> int:
    """Evaluate and score every CST month from `first` to `last` as known at `as_of` (the
    month of `as_of` to date) and raise their alerts, then run the live checks as of the end
    of `last`; returns the number of months run."""
    months = []
    month = first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=31)).replace(day=1)
    for done, start in enumerate(months, start=1):
        monitor.run_month(start.year, start.month, as_of=as_of)
        if progress:
            progress("monitor", done, len(months))
    # device contact as the history ends (a built history has no gateway talking after it)
    monitor.live(as_of=min(as_of, cst_midnight(last + timedelta(days=1))))
    return len(months)
