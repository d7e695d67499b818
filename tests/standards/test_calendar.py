"""The CST calendar, checked by hand: month ends, December to January, leap February, CST
midnight against UTC, 15-minute alignment, and the refusals of bad texts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from nenghao.standards.calendar import (
    CST,
    INVALID_DATETIME,
    INVALID_PERIOD,
    NAIVE_DATETIME,
    PERIODS,
    CalendarError,
    add_months,
    add_periods,
    cst_date,
    cst_midnight,
    ending_within,
    month_start,
    next_start,
    parse_day,
    parse_month,
    parse_rfc3339,
    parse_year,
    period_start,
    shift_years,
    spans_within,
    starts_between,
    to_cst,
)


def utc(*parts: int) -> int:
    """Unix seconds of a UTC wall time (written out so each expectation is checked by hand)."""
    return int(datetime(*parts, tzinfo=UTC).timestamp())  # type: ignore[misc]


def test_cst_midnight_is_sixteen_hundred_utc_the_day_before():
    assert cst_midnight(date(2025, 1, 1)) == utc(2024, 12, 31, 16) == 1735660800
    assert month_start(2025, 3) == utc(2025, 2, 28, 16)
    assert to_cst(utc(2024, 12, 31, 16)) == datetime(2025, 1, 1, tzinfo=CST)
    # 23:59:59 UTC on 31 December is already 07:59:59 on 1 January in Anshan
    assert cst_date(utc(2024, 12, 31, 23, 59, 59)) == date(2025, 1, 1)
    assert cst_date(utc(2024, 12, 31, 15, 59, 59)) == date(2024, 12, 31)


def test_period_starts_follow_cst_not_utc():
    instant = utc(2026, 2, 28, 17, 40)  # 2026-03-01 01:40 CST
    assert period_start("15min", instant) == utc(2026, 2, 28, 17, 30)
    assert period_start("hour", instant) == utc(2026, 2, 28, 17)
    assert period_start("day", instant) == utc(2026, 2, 28, 16)
    assert period_start("month", instant) == utc(2026, 2, 28, 16)
    assert period_start("year", instant) == utc(2025, 12, 31, 16)
    # one second before CST midnight still belongs to February
    assert period_start("month", utc(2026, 2, 28, 15, 59, 59)) == utc(2026, 1, 31, 16)


@pytest.mark.parametrize(
    ("minute", "start_minute"), [(0, 0), (14, 0), (15, 15), (29, 15), (44, 30), (59, 45)]
)
def test_fifteen_minute_periods_start_on_the_quarter(minute, start_minute):
    assert period_start("15min", utc(2025, 6, 1, 3, minute, 59)) == utc(2025, 6, 1, 3, start_minute)


@pytest.mark.parametrize(
    ("first", "days"),
    [
        (date(2025, 1, 1), 31),
        (date(2025, 2, 1), 28),
        (date(2024, 2, 1), 29),  # leap year
        (date(2000, 2, 1), 29),  # divisible by 400: leap
        (date(2100, 2, 1), 28),  # divisible by 100 only: common
        (date(2025, 4, 1), 30),
        (date(2025, 12, 1), 31),
    ],
)
def test_month_lengths(first, days):
    start = cst_midnight(first)
    assert next_start("month", start) - start == days * 86400
    assert cst_date(next_start("month", start)) == first + timedelta(days=days)


def test_december_rolls_into_january_of_the_next_year():
    december = month_start(2025, 12)
    assert next_start("month", december) == month_start(2026, 1) == utc(2025, 12, 31, 16)
    assert next_start("year", month_start(2025, 1)) == month_start(2026, 1)
    assert add_months(date(2025, 12, 17), 1) == date(2026, 1, 1)
    assert add_months(date(2025, 1, 31), -1) == date(2024, 12, 1)
    assert add_months(date(2025, 3, 1), -14) == date(2024, 1, 1)
    assert add_periods("month", december, -12) == month_start(2024, 12)
    assert add_periods("year", december, -1) == month_start(2024, 1)
    assert add_periods("15min", december, -1) == december - 900


def test_year_lengths_and_fixed_periods():
    assert PERIODS == ("15min", "hour", "day", "month", "year")
    assert next_start("year", month_start(2024, 1)) - month_start(2024, 1) == 366 * 86400
    assert next_start("year", month_start(2025, 1)) - month_start(2025, 1) == 365 * 86400
    assert [next_start(p, 0) for p in PERIODS[:3]] == [900, 3600, 86400]


def test_shift_years_takes_29_february_to_the_28th():
    assert shift_years(date(2024, 2, 29), -1) == date(2023, 2, 28)
    assert shift_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert shift_years(date(2025, 3, 5), -1) == date(2024, 3, 5)


def test_listing_periods_in_a_range():
    lo, hi = cst_midnight(date(2025, 1, 15)), cst_midnight(date(2025, 4, 1))
    assert starts_between("month", lo, hi) == [month_start(2025, m) for m in (1, 2, 3)]
    assert ending_within("month", lo, hi) == [
        (month_start(2025, m), month_start(2025, m + 1)) for m in (1, 2, 3)
    ]
    assert spans_within("month", lo, hi) == [
        (month_start(2025, m), month_start(2025, m + 1)) for m in (2, 3)
    ]
    assert starts_between("month", lo, lo) == []
    assert ending_within("year", lo, hi) == []


def test_rfc3339_instants_need_their_offset():
    assert parse_rfc3339("2025-03-01T00:00:00+08:00") == datetime(2025, 3, 1, tzinfo=CST)
    assert parse_rfc3339("2025-02-28T16:00:00Z").timestamp() == month_start(2025, 3)
    assert parse_rfc3339("2025-03-01T00:00:00.25+08:00").microsecond == 250000
    cases = {
        "2025-03-01T00:00:00": NAIVE_DATETIME,
        "2025-03-01 00:00:00+08:00": INVALID_DATETIME,
        "2025-03-01T00:00+08:00": INVALID_DATETIME,  # seconds are required
        "2025-02-30T00:00:00+08:00": INVALID_DATETIME,
        "2025-03-01T24:00:00+08:00": INVALID_DATETIME,
        "0001-01-01T00:00:00+01:00": INVALID_DATETIME,  # before the first representable instant
        "２０２５-03-01T00:00:00Z": INVALID_DATETIME,
    }
    for text, code in cases.items():
        with pytest.raises(CalendarError) as refused:
            parse_rfc3339(text)
        assert refused.value.code == code, text


def test_period_texts():
    assert parse_year("2025") == 2025
    assert parse_month("2025-12") == date(2025, 12, 1)
    assert parse_day("2024-02-29") == date(2024, 2, 29)
    assert parse_day("2000-02-29") == date(2000, 2, 29)
    assert parse_month("2100-12") == date(2100, 12, 1)


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (parse_month, "2025-13"),
        (parse_month, "2025-00"),
        (parse_month, "2025-3"),
        (parse_month, "1999-12"),
        (parse_month, "2101-01"),
        (parse_month, " 2025-03"),
        (parse_month, "2025-03\n"),
        (parse_month, "２０２５-０３"),
        (parse_month, "March"),
        (parse_day, "2025-02-29"),  # not a leap year
        (parse_day, "2100-02-29"),  # not a leap year either
        (parse_day, "2025-04-31"),
        (parse_year, "25"),
        (parse_year, "2025-01"),
    ],
)
def test_bad_period_texts_are_refused_with_one_code_and_wording(parse, text):
    with pytest.raises(CalendarError) as refused:
        parse(text)
    assert refused.value.code == INVALID_PERIOD
    assert str(refused.value).startswith(f"invalid period {text!r}: write ")
    assert str(refused.value).endswith("(years 2000 to 2100)")
