"""Quality events (what a rule found) and item-day tallies (what each item delivered)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

QUALITY_RULES: dict[str, str] = {
    "completeness": "fewer readings than required for a day (< 90 % of expected points)",
    "gap": "consecutive readings missing (also when the day stays above 90 %)",
    "missing_filing": "a monthly or yearly filing not received by its deadline",
    "timeliness": "readings or filings received after the upload deadline",
    "consistency": "two figures of the same quantity deviate by more than 5 %",
    "time_tag": "a time tag off the period start, or a value received before its period ended",
    "negative": "a negative interval value on an item that cannot be negative",
    "spike": "one reading far above the running level on both sides (median/MAD)",
    "flat_line": "the same non-zero value repeated too long (stuck meter)",
    "register_backwards": "a cumulative register reads less than before (undeclared)",
    "reset_unbridged": "a register reset without its final reading: the span's energy is unknown",
    "replacement_suspected": "a register drop too large to be a rollover: a meter replaced"
    " without its event (the reading is quarantined)",
    "level_shift": "an item's level changes for good relative to its peers (meter re-configured)",
    "missing_indicator": "a minimum indicator of the national system has no data",
    "calibration_overdue": "a meter used past its calibration due date (检定有效期)",
}
"""The quality rules and what each finds."""

PERIOD_ZH = {"15min": "15 分钟", "hour": "小时", "day": "日", "month": "月", "year": "年"}
"""Chinese names of the statistic periods, for event messages."""

VALIDITY_RULES = ("negative", "spike", "flat_line", "register_backwards", "time_tag")
"""Rules whose flagged points count against the validity index."""


@dataclass(frozen=True)
class Event:
    """One finding of a quality rule.

    ``subject`` is ``item:<id>`` or ``enterprise:<id>``; ``start``/``end`` are Unix seconds
    (end exclusive); ``points`` is how many readings are concerned; ``value`` and
    ``expected`` are the figures compared, in the item's unit or as a ratio.
    """

    rule: str
    enterprise_id: int
    item_id: int | None
    period: str
    start: int
    end: int
    severity: str
    message: str
    points: int = 1
    value: float | None = None
    expected: float | None = None

    @property
    def subject(self) -> str:
        """The dedup subject: the item, else the enterprise."""
        if self.item_id is not None:
            return f"item:{self.item_id}"
        return f"enterprise:{self.enterprise_id}"

    def row(self, detected_at: int) -> dict[str, Any]:
        """The stored row."""
        return {**vars(self), "subject": self.subject, "detected_at": detected_at}


@dataclass(frozen=True)
class ItemDay:
    """Points of one item in one CST day (or month, for monthly items)."""

    item_id: int
    enterprise_id: int
    day: int
    expected: int
    received: int
    on_time: int
    invalid: int

    def row(self, checked_at: int) -> dict[str, Any]:
        """The stored row (flat fields: a shallow copy, fast for a month of item-days)."""
        return {**vars(self), "checked_at": checked_at}
