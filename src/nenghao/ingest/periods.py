"""Statistic periods in China Standard Time, tagged by their start (Unix seconds, UTC).

The 15-minute, hour and day periods have a fixed length (China has no daylight saving);
months and years follow the CST calendar.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

from nenghao.store.timebase import CST, month_start, to_cst

Period = Literal["15min", "hour", "day", "month", "year"]
"""The statistic periods of the uplink protocol (the same as ``store.schema.PERIODS``)."""
PERIODS: tuple[Period, ...] = get_args(Period)

FIXED_SECONDS: dict[str, int] = {"15min": 900, "hour": 3600, "day": 86400}
"""Length of the fixed-length periods [s]."""


def is_aligned(period: Period, start: datetime) -> bool:
    """Whether the aware `start` is the start of a `period` in CST.

    15min: minute 0/15/30/45; hour: minute 0; day: 00:00; month: the 1st 00:00; year:
    January 1st 00:00 — always with zero seconds and microseconds.
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
    if period == "month":
        return True
    return local.month == 1


def next_start(period: Period, start: int) -> int:
    """The start of the period following the one starting at `start` [Unix s]."""
    if period in FIXED_SECONDS:
        return start + FIXED_SECONDS[period]
    local = to_cst(start)
    if period == "month":
        year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
        return month_start(year, month)
    return month_start(local.year + 1, 1)


def period_end(period: Period, start: int) -> int:
    """The (exclusive) end of the period starting at `start` [Unix s]; same as `next_start`."""
    return next_start(period, start)


def periods_between(period: Period, earlier: int, later: int) -> int:
    """How many whole periods lie from the aligned start `earlier` to the aligned `later`.

    ``periods_between(p, s, next_start(p, s)) == 1``. Both arguments must be period starts
    and ``earlier <= later``.
    """
    if later < earlier:
        raise ValueError("later must not precede earlier")
    if period in FIXED_SECONDS:
        span, rest = divmod(later - earlier, FIXED_SECONDS[period])
        if rest:
            raise ValueError("instants are not aligned to the same period grid")
        return span
    a, b = to_cst(earlier), to_cst(later)
    months = (b.year - a.year) * 12 + (b.month - a.month)
    return months if period == "month" else months // 12
