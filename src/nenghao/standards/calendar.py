"""The China Standard Time calendar over stored instants (Unix seconds, UTC).

Statistic periods (15 minutes, hour, day, month, year) are CST periods tagged by their start.
China keeps no daylight saving, so the 15-minute, hour and day periods have a fixed length;
months and years follow the CST calendar. The parsers read RFC 3339 instants and the period
texts the platform accepts (``2025``, ``2025-03``, ``2025-03-05``) and refuse anything else
with one error type, `CalendarError`, whose `code` the API answers.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Literal, get_args

CST = timezone(timedelta(hours=8), "CST")
"""China Standard Time (UTC+8, no daylight saving); statistic periods follow it."""
CST_OFFSET_S = 8 * 3600
"""The offset of CST from UTC [s]."""
HOUR_S = 3600
DAY_S = 86400

PeriodName = Literal["15min", "hour", "day", "month", "year"]
"""The names of the statistic periods (the uplink protocol's and the rollups' grains)."""
PERIODS: tuple[PeriodName, ...] = get_args(PeriodName)
FIXED_SECONDS: dict[str, int] = {"15min": 900, "hour": HOUR_S, "day": DAY_S}
"""Length of the fixed-length periods [s]."""
CALENDAR_PERIODS: tuple[PeriodName, ...] = ("month", "year")
"""The periods of varying length (they follow the CST calendar)."""

INVALID_PERIOD = "invalid_period"
"""Error code of a period text (year, month, day) that cannot be read."""
INVALID_DATETIME = "invalid_datetime"
"""Error code of a date-time that is not RFC 3339 or not an instant the calendar holds."""
NAIVE_DATETIME = "naive_datetime"
"""Error code of an RFC 3339 date-time without its UTC offset."""

FIRST_YEAR, LAST_YEAR = 2000, 2100
"""The years whose periods the platform answers (statistics, quality months)."""
YEAR_PATTERN = r"(?:20[0-9][0-9]|2100)"
"""A year from `FIRST_YEAR` to `LAST_YEAR`, four ASCII digits."""
_LEAP_YEAR = r"20(?:[02468][048]|[13579][26])"
_MONTH_DAY = (
    r"(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|02-(?:0[1-9]|1[0-9]|2[0-8])"
)
MONTH_PATTERN = rf"{YEAR_PATTERN}-(?:0[1-9]|1[0-2])"
"""A month ``YYYY-MM`` of those years."""
DAY_PATTERN = rf"(?:{YEAR_PATTERN}-(?:{_MONTH_DAY})|{_LEAP_YEAR}-02-29)"
"""A calendar day ``YYYY-MM-DD`` of those years (29 February in leap years only)."""
_YEAR, _MONTH, _DAY = (re.compile(p) for p in (YEAR_PATTERN, MONTH_PATTERN, DAY_PATTERN))
_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?"
    r"(?P<offset>Z|[+-][0-9]{2}:[0-9]{2})?\Z"
)


class CalendarError(ValueError):
    """A text that is not an instant or a period of the calendar; `code` is stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def period_error(text: str, accepted: str) -> CalendarError:
    """The refusal of a period text, saying what is `accepted` (the one wording)."""
    return CalendarError(
        INVALID_PERIOD,
        f"invalid period {text!r}: write {accepted} (years {FIRST_YEAR} to {LAST_YEAR})",
    )


# Instants and days


def to_cst(instant: int) -> datetime:
    """A Unix instant [s] as an aware CST datetime."""
    return datetime.fromtimestamp(instant, tz=UTC).astimezone(CST)


def cst_date(instant: int) -> date:
    """The CST date of a Unix instant [s]."""
    return to_cst(instant).date()


def cst_midnight(day: date) -> int:
    """Unix seconds of 00:00 CST on `day`."""
    return int(datetime(day.year, day.month, day.day, tzinfo=CST).timestamp())


def month_start(year: int, month: int) -> int:
    """Unix seconds of the 1st of the month, 00:00 CST."""
    return cst_midnight(date(year, month, 1))


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after the month of `day` (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def shift_years(day: date, years: int) -> date:
    """The same day `years` later (earlier when negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# Periods on instants


def period_start(period: str, instant: int) -> int:
    """Start [Unix s] of the CST `period` (a `PeriodName`) holding `instant`."""
    step = FIXED_SECONDS.get(period)
    if step is not None:
        return instant - (instant + CST_OFFSET_S) % step
    return _calendar_start(period, instant - (instant + CST_OFFSET_S) % DAY_S)


@lru_cache(maxsize=4096)
def _calendar_start(period: str, day: int) -> int:
    local = to_cst(day)
    if period == "month":
        return month_start(local.year, local.month)
    if period == "year":
        return month_start(local.year, 1)
    raise ValueError(f"not a statistic period: {period!r}")


def add_periods(period: str, start: int, count: int) -> int:
    """The start of the period `count` periods after the one starting at `start` [Unix s]."""
    step = FIXED_SECONDS.get(period)
    if step is not None:
        return start + count * step
    first = cst_date(start).replace(day=1)
    if period == "month":
        return cst_midnight(add_months(first, count))
    if period == "year":
        return month_start(first.year + count, 1)
    raise ValueError(f"not a statistic period: {period!r}")


def next_start(period: str, start: int) -> int:
    """The start of the period after the one starting at `start`: its exclusive end [Unix s]."""
    step = FIXED_SECONDS.get(period)
    return start + step if step is not None else add_periods(period, start, 1)


def periods_between(period: str, earlier: int, later: int) -> int:
    """How many whole periods lie from the period start `earlier` to the period start `later`.

    ``periods_between(p, s, next_start(p, s)) == 1``; ``earlier <= later`` is required.
    """
    if later < earlier:
        raise ValueError("later must not precede earlier")
    step = FIXED_SECONDS.get(period)
    if step is not None:
        count, rest = divmod(later - earlier, step)
        if rest:
            raise ValueError("instants are not aligned to the same period grid")
        return count
    a, b = cst_date(earlier), cst_date(later)
    months = (b.year - a.year) * 12 + (b.month - a.month)
    return months if period == "month" else months // 12


def starts_between(period: str, lo: int, hi: int) -> list[int]:
    """Starts of the periods overlapping ``[lo, hi)``, the first holding `lo`."""
    out: list[int] = []
    start = period_start(period, lo)
    while start < hi and lo < hi:
        out.append(start)
        start = next_start(period, start)
    return out


def ending_within(period: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """(start, end) of the periods whose end lies in ``(lo, hi]``."""
    spans = ((s, next_start(period, s)) for s in starts_between(period, lo, hi))
    return [(s, e) for s, e in spans if e <= hi]


def spans_within(period: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """(start, end) of the periods lying entirely inside ``[lo, hi)``."""
    return [(s, e) for s, e in ending_within(period, lo, hi) if s >= lo]


def is_aligned(period: str, start: datetime) -> bool:
    """Whether the aware `start` is the start of a CST `period`.

    15min: minute 0/15/30/45; hour: minute 0; day: 00:00; month: the 1st 00:00; year:
    1 January 00:00 — always with zero seconds and microseconds.
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("start must be timezone-aware")
    local = start.astimezone(CST)
    if local.second or local.microsecond:
        return False
    if period == "15min":
        return local.minute % 15 == 0
    if local.minute:
        return False
    if period == "hour":
        return True
    if local.hour:
        return False
    if period == "day":
        return True
    if local.day != 1:
        return False
    return period == "month" or local.month == 1


# Parsers


def parse_rfc3339(text: str) -> datetime:
    """An RFC 3339 date-time with seconds and its offset (``Z`` or ``±HH:MM``), aware.

    Raises `CalendarError`: ``naive_datetime`` without the offset, ``invalid_datetime`` when
    it is not of that form, not a date or not representable as an instant.
    """
    match = _RFC3339.match(text)
    if match is None:
        raise CalendarError(
            INVALID_DATETIME, f"{text!r} is not YYYY-MM-DDTHH:MM:SS[.ffffff](Z|+HH:MM)"
        )
    if match.group("offset") is None:
        raise CalendarError(
            NAIVE_DATETIME, f"{text!r} has no UTC offset; write it as e.g. {text}+08:00"
        )
    try:
        parsed = datetime.fromisoformat(text)
        parsed.astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        raise CalendarError(INVALID_DATETIME, f"{text!r}: {exc}") from None
    return parsed


def parse_year(text: str) -> int:
    """A year ``YYYY`` from `FIRST_YEAR` to `LAST_YEAR`."""
    if _YEAR.fullmatch(text) is None:
        raise period_error(text, "a year, e.g. 2025")
    return int(text)


def parse_month(text: str) -> date:
    """The first day of a month written ``YYYY-MM``."""
    if _MONTH.fullmatch(text) is None:
        raise period_error(text, "a month as YYYY-MM, e.g. 2025-03")
    return date(int(text[:4]), int(text[5:7]), 1)


def parse_day(text: str) -> date:
    """A day written ``YYYY-MM-DD``."""
    if _DAY.fullmatch(text) is None:
        raise period_error(text, "a day as YYYY-MM-DD, e.g. 2025-03-05")
    return date(int(text[:4]), int(text[5:7]), int(text[8:10]))
