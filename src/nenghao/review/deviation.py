"""Actual against approved consumption of an operating project: annualisation, deviation,
certainty. Pure: no database, no clock (the months are read by `nenghao.review.operation`).

Annualised like for like: once there are 12 complete CST months, the trailing 12; before
that, the months so far scaled by ``days of the year ending with the last month / days of
the months`` ("按 N 个月折算", partial). Deviation of each figure: ``actual / approved - 1``;
it is *over* when it reaches the threshold (``review.toml`` ``deviation_threshold``, 10 %:
"超过节能审查批复水平 10% 及以上"). The finding is *certain* (an alert may be critical) only
when at least `MIN_CERTAIN_MONTHS` months are used and every linked item has data on every
day of them; otherwise it is a warning.

References
----------
.. [1] 固定资产投资项目节能审查办法 (NDRC Order No. 44 of 2016), 第十条 (10 % and more over
   the approved level), kept in provincial implementing rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nenghao.standards.calendar import add_months

MIN_CERTAIN_MONTHS = 3
"""Fewer months than this make any deviation a warning only."""
YEAR_MONTHS = 12


@dataclass(frozen=True)
class MonthData:
    """What the linked items measured in one complete CST month.

    Attributes
    ----------
    start : date
        The month's first CST day.
    days : int [d]
        Days of the month.
    equivalent_tce, equal_tce : float [tce]
        Comprehensive consumption of the linked energy items (当量值, 等价值).
    tco2 : float [t CO2]
        CO2 of the linked energy items.
    outputs : tuple of float [each product item's unit]
        Output of each linked product item.
    covered_item_days : float [d]
        Days with data summed over the linked items.
    item_days : float [d]
        Items x days: what full coverage is.
    """

    start: date
    days: int
    equivalent_tce: float
    equal_tce: float
    tco2: float
    outputs: tuple[float, ...] = ()
    covered_item_days: float = 0.0
    item_days: float = 0.0

    @property
    def complete(self) -> bool:
        """Every linked item has data on every day of the month."""
        return self.item_days > 0 and self.covered_item_days >= self.item_days


@dataclass(frozen=True)
class Annualised:
    """The months used and the factor that makes a year of them [1]."""

    used: tuple[MonthData, ...]
    scale: float
    year_days: int

    @property
    def partial(self) -> bool:
        """Fewer than 12 months, scaled up."""
        return len(self.used) < YEAR_MONTHS

    @property
    def days(self) -> int:
        """Days of the months used [d]."""
        return sum(m.days for m in self.used)

    @property
    def basis_zh(self) -> str:
        """How the annual figure was made, in Chinese."""
        if not self.partial:
            return "近 12 个完整月合计"
        return f"按 {len(self.used)} 个月折算（{self.days} 天折算为 {self.year_days} 天）"

    @property
    def certain(self) -> bool:
        """Enough months, all fully metered: a deviation may be critical."""
        return len(self.used) >= MIN_CERTAIN_MONTHS and all(m.complete for m in self.used)

    def total(self, field: str) -> float:
        """The used months' sum of `field`, annualised [its unit per year]."""
        return sum(float(getattr(m, field)) for m in self.used) * self.scale


def annualise(months: list[MonthData]) -> Annualised:
    """The trailing 12 of `months` (oldest first), or all of them scaled to a year.

    The year is the 12 months ending with the last month used (365 or 366 days).
    """
    if not months:
        raise ValueError("no complete month to annualise")
    used = tuple(months[-YEAR_MONTHS:])
    end = add_months(used[-1].start, 1)
    year_days = (end - add_months(end, -YEAR_MONTHS)).days
    days = sum(m.days for m in used)
    scale = 1.0 if len(used) == YEAR_MONTHS else year_days / days
    return Annualised(used, scale, year_days)


def deviation(actual: float | None, approved: float | None) -> float | None:
    """``actual / approved - 1`` [1]; None without a positive approved figure or an actual."""
    if actual is None or approved is None or approved <= 0:
        return None
    return actual / approved - 1.0


def is_over(value: float | None, threshold: float) -> bool:
    """Whether a deviation reaches the threshold (10 % and more, as the rule writes it)."""
    return value is not None and value >= threshold
