"""Year-end projection of a year-to-date figure, and the warning level of a target.

Method (explained in every answer):

1. **Seasonal profile** - when last year is complete (a nonzero figure in each of its twelve
   months) and its same-period share ``s = last year's figure to the same day / last year's
   total`` is at least :data:`MIN_SHARE`, ``projection = year-to-date / s``. This carries last
   year's seasonality (winter heating, the April blast-furnace overhaul, the Spring Festival
   stop) into the rest of this year, scaled to this year's level.
2. **Linear run-rate** - otherwise ``projection = year-to-date x days in year / days elapsed``.
3. **Actual** - when the year is over, the projection is the year's figure itself.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal, TypedDict

Method = Literal["actual", "seasonal_profile", "linear_run_rate", "none"]
Reason = Literal["last_year_incomplete", "share_too_small"]
"""Why the linear run-rate was used instead of last year's profile."""
Level = Literal["green", "yellow", "red"]

MIN_SHARE = 0.05
"""Smallest same-period share of last year the seasonal method accepts [1]."""


@dataclass(frozen=True)
class Projection:
    """A year-end projection and how it was made."""

    value: float
    method: Method
    year_to_date: float
    days_elapsed: int
    days_in_year: int
    last_year_same_period: float | None
    last_year_total: float | None
    share: float | None
    explanation: str
    reason: Reason | None = None
    """With ``linear_run_rate``: why last year's profile was not used."""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)


class _Common(TypedDict):
    year_to_date: float
    days_elapsed: int
    days_in_year: int
    last_year_same_period: float | None
    last_year_total: float | None


def project_year_end(
    year_to_date: float,
    days_elapsed: int,
    days_in_year: int,
    last_year_same_period: float | None = None,
    last_year_total: float | None = None,
    last_year_complete: bool = False,
) -> Projection:
    """Project a year-to-date figure to the end of the year.

    Parameters
    ----------
    year_to_date : float [unit of the figure]
        Figure from 1 January up to and including the as-of day.
    days_elapsed : int [day]
        Days from 1 January up to and including the as-of day.
    days_in_year : int [day]
        365 or 366.
    last_year_same_period : float, optional [unit of the figure]
        Last year's figure over the same days.
    last_year_total : float, optional [unit of the figure]
        Last year's full-year figure.
    last_year_complete : bool
        Whether last year has data in every month.

    Returns
    -------
    Projection
        The value [unit of the figure], the method used and an explanation with the numbers.

    References
    ----------
    Platform method, documented in docs/analytics.md ("Year-end projection").
    """
    common: _Common = {
        "year_to_date": year_to_date,
        "days_elapsed": days_elapsed,
        "days_in_year": days_in_year,
        "last_year_same_period": last_year_same_period,
        "last_year_total": last_year_total,
    }
    if days_elapsed >= days_in_year:
        return Projection(
            value=year_to_date,
            method="actual",
            share=1.0,
            explanation="the year is over: the projection is the year's actual figure",
            **common,
        )
    share = None
    if last_year_total and last_year_same_period is not None and last_year_total > 0:
        share = last_year_same_period / last_year_total
    if last_year_complete and share is not None and share >= MIN_SHARE:
        value = year_to_date / share
        return Projection(
            value=value,
            method="seasonal_profile",
            share=share,
            explanation=(
                f"last year's seasonal profile: by this day last year {share:.2%} of its "
                f"total ({last_year_same_period:.6g} of {last_year_total:.6g}) had been "
                f"reached, so {year_to_date:.6g} / {share:.4f} = {value:.6g}"
            ),
            **common,
        )
    if days_elapsed <= 0:
        return Projection(
            value=0.0,
            method="none",
            share=share,
            explanation="no day of the year has passed yet: nothing to project",
            **common,
        )
    value = year_to_date * days_in_year / days_elapsed
    reason: Reason = "share_too_small" if last_year_complete else "last_year_incomplete"
    why = (
        "last year is incomplete"
        if not last_year_complete
        else "last year's same-period share is too small or zero"
    )
    return Projection(
        value=value,
        method="linear_run_rate",
        share=share,
        reason=reason,
        explanation=(
            f"linear run-rate ({why}): {year_to_date:.6g} x {days_in_year} / "
            f"{days_elapsed} days = {value:.6g}"
        ),
        **common,
    )


def warning_level(projected: float, target: float, yellow: float, red: float) -> Level:
    """Warning level of a projection against a target (an upper limit).

    Parameters
    ----------
    projected : float [unit of the target]
        Projected year-end figure.
    target : float [unit of the target]
        The target; must be > 0.
    yellow : float [1]
        Ratio ``projected / target`` above which the level is yellow (e.g. 0.95).
    red : float [1]
        Ratio above which the level is red (e.g. 1.0: the projection exceeds the target).

    Returns
    -------
    {"green", "yellow", "red"}

    References
    ----------
    Platform thresholds, documented in docs/analytics.md ("Warning levels").
    """
    if target <= 0:
        return "red" if projected > 0 else "green"
    ratio = projected / target
    if ratio > red:
        return "red"
    if ratio > yellow:
        return "yellow"
    return "green"


WORST: dict[Level, int] = {"green": 0, "yellow": 1, "red": 2}
