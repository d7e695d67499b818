"""CST calendar periods and working-day arithmetic on Unix instants for the monitor."""

from __future__ import annotations

from datetime import date, timedelta

from nenghao.standards.workdays import WorkCalendar, work_calendar
from nenghao.store.timebase import cst_midnight, month_start, to_cst

CALENDAR_PERIODS = ("month", "year")


def next_start(period: str, start: int) -> int:
    """Start of the CST month or year after the one starting at `start`."""
    local = to_cst(start).date()
    if period == "month":
        year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
        return month_start(year, month)
    if period == "year":
        return month_start(local.year + 1, 1)
    raise ValueError(f"not a calendar period: {period!r}")


def period_start(period: str, instant: int) -> int:
    """Start of the CST month or year holding `instant`."""
    local = to_cst(instant).date()
    return month_start(local.year, local.month if period == "month" else 1)


def ending_within(period: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """(start, end) of the CST months or years whose end lies in ``(lo, hi]``."""
    out: list[tuple[int, int]] = []
    start = period_start(period, lo)
    while True:
        end = next_start(period, start)
        if end > hi:
            return out
        if end > lo:
            out.append((start, end))
        start = end


def months_within(lo: int, hi: int) -> list[tuple[int, int]]:
    """(start, end) of the CST months lying entirely inside ``[lo, hi)``."""
    return [(s, e) for s, e in ending_within("month", lo, hi) if s >= lo]


def cst_date(instant: int) -> date:
    """The CST date of an instant."""
    return to_cst(instant).date()


def workdays_elapsed(since: int, now: int, calendar: WorkCalendar | None = None) -> int:
    """Whole working days after the CST day of `since`, up to and including the CST day
    before `now`'s (days that have completely passed)."""
    cal = calendar or work_calendar()
    return cal.workdays_between(cst_date(since), cst_date(now) - timedelta(days=1))


def repair_deadline(since: int, workdays: int, calendar: WorkCalendar | None = None) -> int:
    """End (CST midnight after) of the `workdays`-th working day after the day of `since`."""
    cal = calendar or work_calendar()
    last = cal.add_workdays(cst_date(since), workdays)
    return cst_midnight(last + timedelta(days=1))
