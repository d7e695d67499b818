"""Working-day arithmetic around the official holidays and make-up working days."""

from __future__ import annotations

from datetime import date

import pytest

from nenghao.monitor.deadlines import repair_deadline, workdays_elapsed
from nenghao.standards.calendar import cst_midnight
from nenghao.standards.errors import CatalogError
from nenghao.standards.workdays import WorkCalendar, load_workdays, work_calendar

CAL = work_calendar()


def test_packaged_years_have_source_and_status():
    for year in (2025, 2026):
        arrangement = CAL.known(year)
        assert arrangement is not None
        assert "国务院办公厅" in arrangement.source
        assert arrangement.status in ("confirmed", "unverified")


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 1), False),  # New Year's Day, a Wednesday
        (date(2025, 1, 26), True),  # Sunday, make-up day before the Spring Festival
        (date(2025, 2, 3), False),  # Monday inside the Spring Festival holiday
        (date(2025, 2, 8), True),  # Saturday, make-up day
        (date(2025, 4, 27), True),  # Sunday, make-up day before Labour Day
        (date(2025, 10, 8), False),  # Wednesday, last day of National Day + Mid-Autumn
        (date(2025, 10, 11), True),  # Saturday, make-up day
        (date(2025, 10, 12), False),  # an ordinary Sunday
        (date(2026, 1, 4), True),  # Sunday, make-up day after New Year
        (date(2026, 2, 23), False),  # Monday, last day of the 2026 Spring Festival holiday
        (date(2026, 9, 20), True),  # Sunday, make-up day before National Day
        (date(2026, 10, 7), False),
        (date(2027, 10, 1), True),  # Friday of a year without arrangement: plain week
    ],
)
def test_is_workday(day, working):
    assert CAL.is_workday(day) is working


def test_three_working_days_across_national_day():
    # a gap on Tuesday 30 September 2025: Oct 1-8 are off, Thu 9, Fri 10, Sat 11 (make-up)
    assert CAL.add_workdays(date(2025, 9, 30), 3) == date(2025, 10, 11)
    assert CAL.workdays_between(date(2025, 9, 30), date(2025, 10, 10)) == 2
    deadline = repair_deadline(cst_midnight(date(2025, 9, 30)) + 3600, 3)
    assert deadline == cst_midnight(date(2025, 10, 12))


def test_three_working_days_over_an_ordinary_weekend():
    assert CAL.add_workdays(date(2025, 11, 14), 3) == date(2025, 11, 19)  # Fri -> Wed
    assert CAL.add_workdays(date(2025, 11, 15), 0) == date(2025, 11, 15)
    since = cst_midnight(date(2025, 11, 14)) + 10 * 3600
    assert workdays_elapsed(since, cst_midnight(date(2025, 11, 19))) == 2  # Mon, Tue passed


def test_spring_festival_2026_with_both_make_up_saturdays():
    assert CAL.add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)  # Sat make-up
    assert CAL.add_workdays(date(2026, 2, 14), 1) == date(2026, 2, 24)  # after the holiday
    # (13 Feb, 28 Feb]: Sat 14, Tue 24 - Fri 27, Sat 28 (the second make-up day)
    assert CAL.workdays_between(date(2026, 2, 13), date(2026, 2, 28)) == 6


def test_configured_year_replaces_the_packaged_one(tmp_path):
    (tmp_path / "extra.toml").write_text(
        '[years.2027]\nsource = "test"\nstatus = "unverified"\n'
        'holidays = [{ name = "国庆节", from = 2027-10-01, to = 2027-10-07 }]\n'
        "workdays = [2027-09-26]\n",
        encoding="utf-8",
    )
    extra = load_workdays(tmp_path, "extra.toml")
    calendar: WorkCalendar = CAL.with_year(extra.years[2027])
    assert not calendar.is_workday(date(2027, 10, 1))
    assert calendar.is_workday(date(2027, 9, 26))
    assert calendar.is_workday(date(2025, 10, 11))  # packaged years kept


def test_a_broken_file_names_the_entry(tmp_path):
    (tmp_path / "workdays.toml").write_text(
        '[years.2027]\nsource = "x"\nstatus = "confirmed"\nworkdays = [2027-10-04]\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogError, match=r"years\.2027.*not a weekend day"):
        load_workdays(tmp_path)
