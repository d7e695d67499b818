"""When the annual energy-utilisation report (能源利用状况报告) is due: ``data/annual_report.toml``
(the day of the following year, its source and status, and whether a deadline falling on a
day off moves to the next working day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from ._reader import DataFile

__all__ = ["DeadlineRule", "deadline_rule"]

DATA_DIR = Path(__file__).with_name("data")


@dataclass(frozen=True)
class DeadlineRule:
    """The report of year Y is due on ``month``-``day`` of Y + 1 (moved to the next working
    day when that day is a day off and ``roll_to_workday``)."""

    month: int
    day: int
    roll_to_workday: bool
    source: str
    status: str
    note: str = ""

    def nominal(self, year: int) -> date:
        """The day named by the rule for the report of ``year`` (before any move)."""
        return date(year + 1, self.month, self.day)

    def with_day(self, text: str) -> DeadlineRule:
        """This rule due on ``text`` ("MM-DD", a deployment's own day) instead."""
        month, day = (int(part) for part in text.split("-"))
        date(2001, month, day)  # raises ValueError for a day no year has (29 Feb aside)
        return DeadlineRule(
            month, day, self.roll_to_workday, "本地配置（NENGHAO_ANNUAL_REPORT_DEADLINE）", "local"
        )


@cache
def deadline_rule(directory: Path = DATA_DIR) -> DeadlineRule:
    """The rule of ``annual_report.toml``; a malformed file is a CatalogError."""
    data_file = DataFile(directory, "annual_report.toml")
    data = data_file.load()
    deadline = data_file.table("deadline", data.get("deadline"))
    roll = data_file.table("roll_to_workday", data.get("roll_to_workday"))
    month, day = deadline.get("month"), deadline.get("day")
    if not isinstance(month, int) or not isinstance(day, int):
        raise data_file.error("deadline", "month and day must be integers")
    try:
        date(2001, month, day)
    except ValueError as exc:
        raise data_file.error("deadline", str(exc)) from None
    if not isinstance(roll.get("value"), bool):
        raise data_file.error("roll_to_workday", "value must be true or false")
    return DeadlineRule(
        month,
        day,
        roll["value"],
        str(deadline.get("source", "")),
        str(deadline.get("status", "unverified")),
        str(deadline.get("note", "")),
    )
