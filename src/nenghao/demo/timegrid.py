"""The demo's time grid: hourly instants (UTC seconds) with their China Standard Time calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

from nenghao.standards.calendar import (
    CST,
    CST_OFFSET_S,
    DAY_S,
    HOUR_S,
    cst_midnight,
    ending_within,
    next_start,
    period_start,
)

HOUR, DAY = HOUR_S, DAY_S
"""The grid's step and a day [s]."""

SPRING_FESTIVAL: dict[int, date] = {
    2019: date(2019, 2, 5),
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
    2031: date(2031, 1, 23),
    2032: date(2032, 2, 11),
    2033: date(2033, 1, 31),
    2034: date(2034, 2, 19),
    2035: date(2035, 2, 8),
}
"""Chinese New Year's Day (春节, first day of the first lunar month); outside this table the
demo falls back to 5 February."""


def spring_festival(year: int) -> date:
    """The date of the Spring Festival in `year` (5 February outside the table)."""
    return SPRING_FESTIVAL.get(year, date(year, 2, 5))


def to_utc(ts: int) -> datetime:
    """The UTC datetime of Unix seconds `ts`."""
    return datetime.fromtimestamp(ts, tz=UTC)


def default_end() -> date:
    """Yesterday in China Standard Time (so the data runs up to today 00:00 CST)."""
    return datetime.now(tz=CST).date() - timedelta(days=1)


@dataclass(frozen=True)
class TimeGrid:
    """Hourly grid from the CST month start containing `start` up to `end` (exclusive).

    Rows are written from ``offset`` on (the instant `start`); the hours before it exist only
    so that the monthly filings of the first month see a whole month of activity.
    """

    start: int
    end: int
    grid_start: int
    hours: np.ndarray  # int64 Unix seconds of each hour's start
    hour_of_day: np.ndarray  # CST 0..23
    weekday: np.ndarray  # CST, Monday = 0
    day_index: np.ndarray  # CST days since grid_start
    day_of_year: np.ndarray  # CST 0-based
    month: np.ndarray  # CST 1..12
    months: tuple[int, ...]  # CST month starts overlapping [start, end) that end by `end`

    @property
    def offset(self) -> int:
        """Index of the first written hour."""
        return (self.start - self.grid_start) // HOUR

    @property
    def n_written(self) -> int:
        """Hours written per hourly item (when nothing is missing)."""
        return (self.end - self.start) // HOUR

    def month_end(self, month_start: int) -> int:
        """Unix seconds of the start of the month after `month_start`."""
        return next_start("month", month_start)


def make_grid(end_day: date, days: int) -> TimeGrid:
    """The grid for `days` days of data ending at the end of `end_day` (CST)."""
    end = cst_midnight(end_day + timedelta(days=1))
    start = end - days * DAY
    grid_start = period_start("month", start)
    hours = np.arange(grid_start, end, HOUR, dtype=np.int64)
    local = hours + CST_OFFSET_S
    days_since_epoch = local // DAY
    stamps = local.astype("datetime64[s]")
    day_stamps = stamps.astype("datetime64[D]")
    year_start = stamps.astype("datetime64[Y]").astype("datetime64[D]")
    month = stamps.astype("datetime64[M]").astype(np.int64) % 12 + 1
    months = tuple(m for m, _end in ending_within("month", start, end))
    return TimeGrid(
        start=start,
        end=end,
        grid_start=grid_start,
        hours=hours,
        hour_of_day=(local // HOUR) % 24,
        weekday=(days_since_epoch + 3) % 7,
        day_index=(hours - grid_start) // DAY,
        day_of_year=(day_stamps - year_start).astype(np.int64),
        month=month,
        months=months,
    )
