"""China Standard Time calendar over the stored UTC instants (Unix seconds)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

CST = timezone(timedelta(hours=8), "CST")
"""China Standard Time (UTC+8, no daylight saving); statistic periods follow it."""
CST_OFFSET_S = 8 * 3600
DAY_S = 86400


def cst_midnight(day: date) -> int:
    """Unix seconds of 00:00 CST on `day`."""
    return int(datetime(day.year, day.month, day.day, tzinfo=CST).timestamp())


def month_start(year: int, month: int) -> int:
    """Unix seconds of the 1st of the month, 00:00 CST."""
    return cst_midnight(date(year, month, 1))


def month_starts(year: int) -> list[int]:
    """The 13 boundaries of a CST calendar year's months (Jan 1 ... next Jan 1)."""
    return [month_start(year, m) for m in range(1, 13)] + [month_start(year + 1, 1)]


def cst_day_number(instant: int) -> int:
    """Whole CST days since 1970-01-01 CST for a Unix instant (the day bucket used in SQL)."""
    return (instant + CST_OFFSET_S) // DAY_S


def to_cst(instant: int) -> datetime:
    """A Unix instant as an aware CST datetime."""
    return datetime.fromtimestamp(instant, tz=UTC).astimezone(CST)
