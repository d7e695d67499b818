"""When an annual report is due: 31 March of the next year, moved past days off (民法典
第二百零三条), or the deployment's own day; worked out here from the calendar by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from nenghao.config import Settings
from nenghao.monitor.deadlines import annual_report_due, annual_report_overdue_from
from nenghao.standards.annual_report import deadline_rule


def test_the_catalogue_rule_is_31_march_and_says_it_is_unverified():
    rule = deadline_rule()
    assert (rule.month, rule.day, rule.roll_to_workday) == (3, 31, True)
    assert rule.status == "unverified"
    assert "3月31日" in rule.source
    assert rule.note  # the caveat says what to verify


@pytest.mark.parametrize(
    ("year", "due"),
    [
        (2024, date(2025, 3, 31)),  # a Monday
        (2023, date(2024, 4, 1)),  # 31 March 2024 is a Sunday
        (2028, date(2029, 4, 2)),  # 31 March 2029 is a Saturday
    ],
)
def test_due_on_31_march_or_the_next_working_day(year, due):
    assert annual_report_due(year) == due


def test_a_local_day_in_a_holiday_moves_past_it():
    # 2025 National Day holiday: 1-8 October (the State Council arrangement), work on the 9th
    rule = deadline_rule().with_day("10-01")
    assert annual_report_due(2024, rule) == date(2025, 10, 9)
    assert rule.status == "local"


def test_without_moving_the_day_stays():
    rule = replace(deadline_rule(), roll_to_workday=False)
    assert annual_report_due(2028, rule) == date(2029, 3, 31)


def test_late_from_the_cst_midnight_after_the_last_day():
    late = annual_report_overdue_from(date(2025, 3, 31))
    assert late == int(datetime(2025, 3, 31, 16, 0, tzinfo=UTC).timestamp())


def test_a_configured_day_is_checked():
    with pytest.raises(ValueError, match="day is out of range"):
        deadline_rule().with_day("02-30")
    with pytest.raises(ValidationError):
        Settings(annual_report_deadline="3-31")
    assert Settings(annual_report_deadline="04-15").annual_report_deadline == "04-15"
