"""Working-day arithmetic on instants: how long an outage has run, when its repair is due."""

from __future__ import annotations

from datetime import timedelta

from nenghao.standards.calendar import cst_date, cst_midnight
from nenghao.standards.workdays import WorkCalendar, work_calendar


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
