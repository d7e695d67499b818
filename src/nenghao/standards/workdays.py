"""Chinese working-day calendar: weekends, public holidays and make-up working days (调休).

The official arrangements of each year (the State Council General Office's notice on
holiday arrangements, 国务院办公厅关于部分节假日安排的通知) are kept in
``data/workdays.toml`` with their source and status. `WorkCalendar` answers whether a CST
date is a working day and counts working days; callers may add or override years (for a
year not yet shipped) with `WorkCalendar.with_year`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ._reader import DataFile
from .digits import is_digits

__all__ = [
    "HolidayBlock",
    "WorkCalendar",
    "YearArrangement",
    "load_workdays",
    "with_file",
    "work_calendar",
]

WORKDAYS_FILE = "workdays.toml"
DATA_DIR = Path(__file__).with_name("data")


class HolidayBlock(BaseModel):
    """Consecutive days off of one holiday (both ends included)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    name: str
    first: date = Field(alias="from")
    last: date = Field(alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> HolidayBlock:
        if self.last < self.first:
            raise ValueError(f"holiday {self.name!r} ends before it starts")
        return self

    def days(self) -> list[date]:
        """Every day of the block."""
        return [self.first + timedelta(days=k) for k in range((self.last - self.first).days + 1)]


class YearArrangement(BaseModel):
    """One year's holidays and make-up working days, with their source and status."""

    model_config = ConfigDict(frozen=True)

    year: int
    source: str
    url: str | None = None
    status: Literal["confirmed", "unverified"]
    note: str | None = None
    holidays: tuple[HolidayBlock, ...] = ()
    workdays: tuple[date, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> YearArrangement:
        off = {day for block in self.holidays for day in block.days()}
        for day in (*off, *self.workdays):
            if day.year != self.year:
                raise ValueError(f"{day.isoformat()} is not in {self.year}")
        for day in self.workdays:
            if day in off:
                raise ValueError(f"{day.isoformat()} is listed as both a holiday and a workday")
            if day.weekday() < 5:
                raise ValueError(f"make-up workday {day.isoformat()} is not a weekend day")
        return self


@dataclass(frozen=True)
class WorkCalendar:
    """Working days of China: Monday-Friday, minus holidays, plus make-up working days."""

    years: Mapping[int, YearArrangement] = field(default_factory=dict)

    def with_year(self, arrangement: YearArrangement) -> WorkCalendar:
        """A calendar with `arrangement` added (replacing the same year)."""
        return WorkCalendar({**self.years, arrangement.year: arrangement})

    def is_workday(self, day: date) -> bool:
        """Whether `day` (a CST date) is a working day."""
        off, extra = _sets(self, day.year)
        if day in extra:
            return True
        if day in off:
            return False
        return day.weekday() < 5

    def add_workdays(self, day: date, count: int) -> date:
        """The date `count` working days after `day` (``count`` >= 0).

        ``add_workdays(d, 0)`` is `d` itself; ``add_workdays(d, 1)`` is the next working
        day after `d`, whatever `d` is.
        """
        if count < 0:
            raise ValueError(f"count must be >= 0, got {count}")
        current = day
        while count:
            current += timedelta(days=1)
            if self.is_workday(current):
                count -= 1
        return current

    def workdays_between(self, first: date, last: date) -> int:
        """Working days in ``(first, last]``: after `first`, up to and including `last`."""
        if last <= first:
            return 0
        return sum(
            self.is_workday(first + timedelta(days=k)) for k in range(1, (last - first).days + 1)
        )

    def known(self, year: int) -> YearArrangement | None:
        """The arrangement of `year`, or None (plain weekends) when none is configured."""
        return self.years.get(year)


def _sets(calendar: WorkCalendar, year: int) -> tuple[frozenset[date], frozenset[date]]:
    arrangement = calendar.years.get(year)
    if arrangement is None:
        return frozenset(), frozenset()
    return _arrangement_sets(arrangement)


@cache
def _arrangement_sets(arrangement: YearArrangement) -> tuple[frozenset[date], frozenset[date]]:
    off = frozenset(day for block in arrangement.holidays for day in block.days())
    return off, frozenset(arrangement.workdays)


def parse_years(data_file: DataFile, raw: Mapping[str, Any]) -> list[YearArrangement]:
    """The year tables of a parsed workdays file."""
    years = data_file.table("years", raw.get("years", {}))
    out = []
    for key, value in years.items():
        if not is_digits(str(key)):
            raise data_file.error(f"years.{key}", "the year key must be a number")
        entry = data_file.table(f"years.{key}", value)
        out.append(data_file.build(YearArrangement, f"years.{key}", {**entry, "year": int(key)}))
    return out


def load_workdays(directory: Path | None = None, name: str = WORKDAYS_FILE) -> WorkCalendar:
    """Read a workdays file (default: the packaged ``workdays.toml``)."""
    data_file = DataFile(directory or DATA_DIR, name)
    return WorkCalendar({a.year: a for a in parse_years(data_file, data_file.load())})


def with_file(path: Path) -> WorkCalendar:
    """The packaged calendar with the years of the file at `path` added (replacing the same
    years)."""
    calendar = work_calendar()
    for arrangement in load_workdays(path.parent, path.name).years.values():
        calendar = calendar.with_year(arrangement)
    return calendar


@cache
def work_calendar() -> WorkCalendar:
    """The packaged calendar (read once)."""
    return load_workdays()
