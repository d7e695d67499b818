"""Who reviews a project and within what time: the reviewing level of its tier (two-high:
never a district), the expert opinions an approval needs and the statutory deadline, from
``review.toml`` (`nenghao.standards` catalogue ``review``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from nenghao.standards.calendar import cst_date, cst_midnight
from nenghao.standards.catalog import get_catalog
from nenghao.standards.workdays import WorkCalendar, work_calendar

Level = Literal["province", "city", "district"]


def reviewing_level(level: str, two_high: bool) -> Level:
    """The level that acts on a project whose tier is reviewed at `level`: a two-high project
    goes to the city instead of a district (the stricter chain)."""
    if two_high and level == "district":
        return "city"
    return level  # type: ignore[return-value]


@dataclass(frozen=True)
class Authority:
    """The workflow's part of the review configuration.

    Attributes
    ----------
    period_workdays : int [working days]
        The statutory review period, counted from acceptance (受理).
    min_opinions : int
        Expert opinions an approval needs.
    min_opinions_two_high : int
        Expert opinions the approval of a two-high project needs.
    """

    period_workdays: int
    min_opinions: int
    min_opinions_two_high: int

    def opinions_needed(self, two_high: bool) -> int:
        """Expert opinions an approval needs."""
        return self.min_opinions_two_high if two_high else self.min_opinions


def authority() -> Authority:
    """The packaged configuration (review.toml: review_period, min_expert_opinions*)."""
    review = get_catalog().review
    return Authority(
        period_workdays=int(review.review_period.value),
        min_opinions=int(review.min_expert_opinions.value),
        min_opinions_two_high=int(review.min_expert_opinions_two_high.value),
    )


def due_at(accepted_at: int, rules: Authority, calendar: WorkCalendar | None = None) -> int:
    """The statutory deadline [Unix s]: the end (CST midnight after) of the
    `rules.period_workdays`-th working day after the CST day of acceptance."""
    cal = calendar or work_calendar()
    last = cal.add_workdays(cst_date(accepted_at), rules.period_workdays)
    return cst_midnight(last + timedelta(days=1))
