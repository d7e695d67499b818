"""Working-day arithmetic on instants: how long an outage has run, when its repair is due,
when an annual report is due."""

from __future__ import annotations

from datetime import date, timedelta

from nenghao.standards.annual_report import DeadlineRule, deadline_rule
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


def annual_report_due(
    year: int, rule: DeadlineRule | None = None, calendar: WorkCalendar | None = None
) -> date:
    """The last CST day for filing the annual report of ``year``: the rule's day of the next
    year, moved to the next working day when it is a day off and the rule says so."""
    used = rule or deadline_rule()
    day = used.nominal(year)
    if used.roll_to_workday:
        cal = calendar or work_calendar()
        while not cal.is_workday(day):
            day += timedelta(days=1)
    return day


def annual_report_overdue_from(due: date) -> int:
    """The instant from which a report due on ``due`` is late (CST midnight after it)."""
    return cst_midnight(due + timedelta(days=1))


def configured_rule(day: str | None) -> DeadlineRule:
    """The annual report's deadline rule, due on ``day`` ("MM-DD") when a deployment sets one
    (``NENGHAO_ANNUAL_REPORT_DEADLINE``)."""
    rule = deadline_rule()
    return rule.with_day(day) if day else rule


def annual_deadline(year: int, rule: DeadlineRule, now: int) -> tuple[date, bool]:
    """The last day for the report of ``year`` and whether it has passed at ``now``."""
    due = annual_report_due(year, rule)
    return due, now >= annual_report_overdue_from(due)
