"""Thresholds of the data-quality rules and weights of the monthly score.

Defaults follow the national requirements of the key energy-using units' online monitoring
system (completeness >= 90 %, daily vs monthly deviation <= 5 %, daily time tags within
+-1 min of 00:00 and monthly within +-1 day of the 1st, outages repaired within 3 working
days); the anomaly thresholds are the platform's own and are documented in docs/monitor.md.
"""

from __future__ import annotations

from calendar import isleap
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from typing import Any

from nenghao.standards.calendar import DAY_S, FIXED_SECONDS, HOUR_S, cst_date, cst_midnight

HOUR, DAY = HOUR_S, DAY_S
STEP_S = FIXED_SECONDS
"""Length of the fixed-length statistic periods [s]; months and years follow the calendar."""


@dataclass(frozen=True)
class Season:
    """A yearly season of CST calendar days, first and last day inclusive (it may wrap the
    year, as the heating season does), and the industries whose items follow it."""

    first: tuple[int, int] = (11, 1)
    """(month, day) of the first day."""
    last: tuple[int, int] = (3, 31)
    """(month, day) of the last day."""
    industries: tuple[str, ...] = ("4430",)
    """GB/T 4754 codes of the industries whose items follow the season."""

    @classmethod
    def parse(cls, days: str, industries: tuple[str, ...] | list[str] = ("4430",)) -> Season:
        """From ``"MM-DD/MM-DD"`` (e.g. ``"11-01/03-31"``)."""
        first, last = (tuple(int(part) for part in day.split("-")) for day in days.split("/"))
        return cls((first[0], first[1]), (last[0], last[1]), tuple(industries))

    def boundaries(self, lo: int, hi: int) -> list[int]:
        """CST midnights in ``[lo, hi)`` [Unix s] where the season starts or ends (the day
        after its last day)."""
        out = []
        for year in range(cst_date(lo).year - 1, cst_date(max(lo, hi - 1)).year + 1):
            for month, day in (self.first, self.last):
                start = _on(year, month, day)
                if (month, day) == self.last:
                    start += timedelta(days=1)
                instant = cst_midnight(start)
                if lo <= instant < hi:
                    out.append(instant)
        return sorted(out)


def _on(year: int, month: int, day: int) -> date:
    """The day; 29 February is the 28th in a common year."""
    if (month, day) == (2, 29) and not isleap(year):
        day = 28
    return date(year, month, day)


HEATING_SEASON = Season()
"""Anshan's heating season, 1 November to 31 March (setting ``NENGHAO_MONITOR_HEATING_SEASON``)."""


@dataclass(frozen=True)
class QualityConfig:
    """Every threshold of the quality rules (units in the field comments)."""

    completeness_min: float = 0.90
    """Share of expected points an item must deliver per CST day (or month) [1]."""
    deadline_s: dict[str, int] = field(
        default_factory=lambda: {
            "15min": 6 * HOUR,
            "hour": 6 * HOUR,
            "day": DAY,
            "month": 5 * DAY,
            "year": 31 * DAY,
        }
    )
    """Upload deadline after the end of a period, per statistic period [s]."""
    gap_min_points: dict[str, int] = field(
        default_factory=lambda: {"15min": 8, "hour": 3, "day": 2}
    )
    """Consecutive missing points reported as a gap even when the day stays >= 90 % [points]."""
    consistency_max: float = 0.05
    """Largest relative deviation between two figures of the same quantity [1]."""
    tag_tolerance_s: dict[str, int] = field(
        default_factory=lambda: {"15min": 60, "hour": 60, "day": 60, "month": DAY, "year": DAY}
    )
    """How far a time tag may lie from the period start (and a value arrive before the period
    ends) [s]."""
    spike_window: int = 24
    """Points on each side whose median and MAD are the reference of a spike [points]."""
    spike_ratio: float = 3.0
    """A spike exceeds the median of both sides by this factor [1] ..."""
    spike_mad_k: float = 6.0
    """... and by this many robust standard deviations (1.4826 x MAD) [1]."""
    spike_mad_floor: float = 0.05
    """Smallest robust standard deviation, as a share of the median [1]."""
    flat_min_points: dict[str, int] = field(
        default_factory=lambda: {"15min": 48, "hour": 12, "day": 7}
    )
    """Shortest run of identical non-zero values that is a stuck meter [points]."""
    level_before_days: int = 14
    level_after_days: int = 7
    """Days compared before and after a candidate level shift [d]."""
    level_min_change: float = 0.20
    """Smallest relative change of the level (relative to the item's peers) [1]."""
    level_max_spread: float = 0.10
    """Largest MAD/median of each side: both sides must be steady levels [1]."""
    register_tolerance: float = 1e-6
    """Register drop ignored as rounding, relative to the register value [1]."""
    season: Season = HEATING_SEASON
    """The heating season: a level shift of a seasonal item is not judged across its start
    or end."""

    def with_overrides(self, values: dict[str, Any]) -> QualityConfig:
        """A copy with the known fields of `values` replaced (unknown keys are errors)."""
        known = {f.name for f in fields(self)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown quality settings: {', '.join(sorted(unknown))}")
        return replace(self, **values)


INDICES = ("completeness", "timeliness", "consistency", "validity")

DEFAULT_WEIGHTS: dict[str, float] = {
    "completeness": 0.40,
    "timeliness": 0.20,
    "consistency": 0.20,
    "validity": 0.20,
}
"""Weights of the monthly score's indices (renormalised over the indices that apply)."""

GRADES: tuple[tuple[float, str], ...] = ((95.0, "A"), (85.0, "B"), (70.0, "C"), (0.0, "D"))
"""Lowest score of each grade."""


def check_weights(weights: dict[str, float]) -> dict[str, float]:
    """Validated score weights: the four indices, each >= 0, not all zero."""
    unknown = set(weights) - set(INDICES)
    if unknown:
        raise ValueError(f"unknown score indices: {', '.join(sorted(unknown))}")
    merged = {name: float(weights.get(name, 0.0)) for name in INDICES}
    if any(value < 0 for value in merged.values()) or not sum(merged.values()) > 0:
        raise ValueError("score weights must be >= 0 and not all zero")
    return merged
