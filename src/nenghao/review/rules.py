"""The review's configured rules as the workflow uses them: the statutory period, which level
reviews each tier, how many expert opinions an approval needs (from ``review.toml``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

from nenghao.standards.calendar import cst_date, cst_midnight
from nenghao.standards.workdays import WorkCalendar, work_calendar

Level = Literal["province", "city", "district"]


@dataclass(frozen=True)
class ReviewRules:
    """What the workflow needs of the review configuration.

    Attributes
    ----------
    period_workdays : int [working days]
        The statutory review period, counted from acceptance (受理).
    levels : mapping of tier to {"province", "city", "district"}
        The administrative level that reviews (or, for the exempt tier, files) each tier.
    min_opinions : int
        Expert opinions an approval needs.
    min_opinions_two_high : int
        Expert opinions the approval of a two-high project needs.
    """

    period_workdays: int
    levels: Mapping[str, Level]
    min_opinions: int
    min_opinions_two_high: int
    sources: Mapping[str, str] = field(default_factory=dict)

    def level_of(self, tier: str | None, two_high: bool) -> Level:
        """Who reviews a project of `tier`: never a district for a two-high project."""
        level = self.levels.get(tier or "local", "city")
        return "city" if two_high and level == "district" else level

    def opinions_needed(self, two_high: bool) -> int:
        """Expert opinions an approval needs."""
        return self.min_opinions_two_high if two_high else self.min_opinions


def due_at(accepted_at: int, rules: ReviewRules, calendar: WorkCalendar | None = None) -> int:
    """The statutory deadline [Unix s]: the end (CST midnight after) of the
    `rules.period_workdays`-th working day after the CST day of acceptance."""
    cal = calendar or work_calendar()
    last = cal.add_workdays(cst_date(accepted_at), rules.period_workdays)
    return cst_midnight(last + timedelta(days=1))


def review_rules() -> ReviewRules:
    """The rules of the packaged review configuration."""
    return ReviewRules(
        period_workdays=20,
        levels={"provincial": "province", "local": "city", "exempt": "district"},
        min_opinions=1,
        min_opinions_two_high=3,
    )
