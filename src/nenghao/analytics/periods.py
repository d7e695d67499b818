"""Statistic periods: CST calendar ranges of whole days, named as the regulator names them.

A period is written ``2025`` (a year), ``2025-03`` (a month), ``2025-03-05`` (a day) or
``2025-01-01..2025-03-31`` / ``2025-01..2025-03`` (a range, both ends included).
Internally it is the half-open range of CST days ``[start, end)``; instants are the CST
midnights of those days.

How long a period one answer may cover is capped per grain (`SPAN_CAPS`, checked by
`check_span`): the work and the size of an answer grow with the buckets it reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from nenghao.analytics.errors import AnalyticsInputError
from nenghao.standards.calendar import (
    DAY_PATTERN,
    INVALID_PERIOD,
    MONTH_PATTERN,
    YEAR_PATTERN,
    CalendarError,
    add_months,
    cst_midnight,
    parse_day,
    parse_month,
    parse_year,
    period_error,
    shift_years,
    to_cst,
)
from nenghao.store import common

PeriodKind = Literal["year", "month", "day", "range"]
Grain = Literal["day", "month", "year"]

_ONE = rf"{YEAR_PATTERN}|{MONTH_PATTERN}|{DAY_PATTERN}"
PERIOD_PATTERN = rf"^(?:{_ONE})(?:\.\.(?:{_ONE}))?$"
"""A period as `Period.parse` reads it: a year, month or day, or a range of two of them."""
_PERIOD = re.compile(PERIOD_PATTERN)
_ACCEPTED = "2025, 2025-03, 2025-03-05 or 2025-01-01..2025-03-31"


SPAN_CAPS: dict[Grain, int] = {"day": 366, "month": 120, "year": 50}
"""The most buckets one answer covers per grain: a leap year of days, ten years of months,
fifty years. Totals (consumption, comparisons, rankings, mix, intensity, unit products) are
read year by year, so their period is capped like a year series."""
_UNITS: dict[Grain, str] = {"day": "days", "month": "months", "year": "years"}


class RangeTooLargeError(AnalyticsInputError):
    """A period longer than `SPAN_CAPS` allows for the grain it is read at."""

    code = "range_too_large"


@dataclass(frozen=True)
class Period:
    """CST days ``[start, end)`` and how the period was named."""

    kind: PeriodKind
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise CalendarError(INVALID_PERIOD, f"empty period: {self.start} .. {self.end}")

    @classmethod
    def year(cls, year: int) -> Period:
        """The CST calendar year."""
        return cls("year", date(year, 1, 1), date(year + 1, 1, 1))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The CST calendar month."""
        first = date(year, month, 1)
        return cls("month", first, add_months(first, 1))

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``<from>..<to>`` (both included).

        Raises `CalendarError` (``invalid_period``) for any other text or a reversed range.
        """
        text = text.strip()
        if not _PERIOD.fullmatch(text):
            raise period_error(text, _ACCEPTED)
        if ".." in text:
            first, last = (cls.parse(part) for part in text.split("..", 1))
            if last.end <= first.start:
                raise CalendarError(INVALID_PERIOD, f"period {text!r} ends before it starts")
            return cls("range", first.start, last.end)
        if len(text) == 4:
            return cls.year(parse_year(text))
        if len(text) == 7:
            first_day = parse_month(text)
            return cls("month", first_day, add_months(first_day, 1))
        day = parse_day(text)
        return cls("day", day, day + timedelta(days=1))

    @property
    def label(self) -> str:
        """The period as it would be written to :meth:`parse`."""
        if self.kind == "year":
            return f"{self.start.year}"
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == "day":
            return self.start.isoformat()
        return f"{self.start.isoformat()}..{self.last_day.isoformat()}"

    @property
    def last_day(self) -> date:
        """The last CST day inside the period."""
        return self.end - timedelta(days=1)

    @property
    def days(self) -> int:
        """Number of days."""
        return (self.end - self.start).days

    @property
    def start_ts(self) -> int:
        """Unix seconds of the first day's CST midnight."""
        return cst_midnight(self.start)

    @property
    def end_ts(self) -> int:
        """Unix seconds of the CST midnight after the last day."""
        return cst_midnight(self.end)

    @property
    def grain(self) -> Grain:
        """The coarsest calendar grain that tiles the period exactly."""
        if self.start.month == self.start.day == 1 and self.end.month == self.end.day == 1:
            return "year"
        if self.start.day == 1 and self.end.day == 1:
            return "month"
        return "day"

    def previous_year(self) -> Period:
        """The same days one year earlier (year-on-year, 同比): the same calendar dates
        (1 Jan - 4 Dec against 1 Jan - 4 Dec), a single day keeping its length."""
        if self.kind != "day":
            start, end = shift_years(self.start, -1), shift_years(self.end, -1)
            if end > start:
                return Period(self.kind, start, end)
        start = shift_years(self.start, -1)
        return Period(self.kind, start, start + timedelta(days=self.days))

    def previous(self) -> Period:
        """The period just before (month-on-month, 环比, for a month; last year for a year)."""
        if self.kind == "year":
            return self.previous_year()
        if self.kind == "month":
            return Period("month", add_months(self.start, -1), self.start)
        return Period(self.kind, self.start - timedelta(days=self.days), self.start)

    def years(self) -> list[Period]:
        """The period cut at CST year boundaries (each piece uses its own year's factors)."""
        pieces: list[Period] = []
        cursor = self.start
        while cursor < self.end:
            stop = min(self.end, date(cursor.year + 1, 1, 1))
            kind: PeriodKind = self.kind if stop - cursor == self.end - self.start else "range"
            pieces.append(Period(kind, cursor, stop))
            cursor = stop
        return pieces

    def bucket_count(self, grain: Grain) -> int:
        """Number of ``grain`` buckets overlapping the period (without listing them)."""
        last = self.last_day
        if grain == "day":
            return self.days
        if grain == "month":
            return (last.year - self.start.year) * 12 + last.month - self.start.month + 1
        return last.year - self.start.year + 1

    def bucket_starts(self, grain: Grain) -> list[date]:
        """First day of each ``grain`` bucket overlapping the period."""
        if grain == "day":
            return [self.start + timedelta(days=k) for k in range(self.days)]
        if grain == "month":
            first = date(self.start.year, self.start.month, 1)
            out = []
            while first < self.end:
                out.append(first)
                first = add_months(first, 1)
            return out
        return [date(y, 1, 1) for y in range(self.start.year, self.last_day.year + 1)]


@dataclass(frozen=True)
class Compared:
    """The spans a comparison reads: the elapsed part of the period asked and its bases.

    A period still in progress is cut at the end of the last complete CST day; its bases are
    the same days one year earlier and the same number of days from the start of the
    period before (1-4 December against 1-4 November), so every figure compares like for
    like.
    """

    asked: Period
    current: Period
    year_before: Period
    period_before: Period

    @property
    def partial(self) -> bool:
        """True when the period asked is still in progress (cut at ``current.end``)."""
        return self.current.end < self.asked.end


def compared_spans(period: Period, today: date) -> Compared | None:
    """The spans comparing ``period`` as of CST day ``today`` (whose data is not complete);
    None when no day of the period is complete yet."""
    stop = min(period.end, today)
    if stop <= period.start:
        return None
    if stop == period.end:
        return Compared(period, period, period.previous_year(), period.previous())
    current = Period("range", period.start, stop)
    before = period.previous()
    elapsed = before.start + timedelta(days=current.days)
    return Compared(
        period,
        current,
        current.previous_year(),
        Period("range", before.start, min(before.end, elapsed)),
    )


def through_label(day: date) -> str:
    """How a partial period is labelled in the dashboard and the documents: 截至 12月4日."""
    return f"截至 {day.month}月{day.day}日"


def check_span(period: Period, grain: Grain) -> None:
    """Raise `RangeTooLargeError` when `period` covers more ``grain`` buckets than
    `SPAN_CAPS` allows, saying the cap and what to ask instead."""
    cap, count, unit = SPAN_CAPS[grain], period.bucket_count(grain), _UNITS[grain]
    if count <= cap:
        return
    coarser = {"day": " or a coarser grain (month)", "month": " or a coarser grain (year)"}
    raise RangeTooLargeError(
        f"period {period.label} spans {count} {unit}; statistics by {grain} cover at most"
        f" {cap} {unit}: ask for a shorter period{coarser.get(grain, '')}, or several in turn",
        details={"grain": grain, "cap": cap, "unit": unit, "asked": count},
    )


def today_cst() -> date:
    """Today in China Standard Time (from the store's clock)."""
    return to_cst(common.now()).date()


def yesterday_cst() -> date:
    """The last complete CST day."""
    return today_cst() - timedelta(days=1)
