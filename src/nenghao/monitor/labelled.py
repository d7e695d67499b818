"""Checking the rules against labelled data: which known faults were found, and how much
else was flagged (recall and false-positive rate), e.g. on the demo city's manifest."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from nenghao.monitor.config import DAY
from nenghao.monitor.events import Event

DETECTED_BY: dict[str, frozenset[str]] = {
    "gap": frozenset({"completeness", "gap"}),
    "missing_day": frozenset({"completeness", "gap"}),
    "spike": frozenset({"spike"}),
    "flat_line": frozenset({"flat_line"}),
    "negative": frozenset({"negative"}),
    "register_backwards": frozenset({"register_backwards"}),
    "level_shift": frozenset({"level_shift"}),
    "late_filing": frozenset({"timeliness"}),
    "missing_filing": frozenset({"missing_filing"}),
}
"""Which rule must find each kind of fault."""
ENTERPRISE_LEVEL = frozenset({"missing_day", "missing_filing"})
"""Faults that also show as the enterprise's missing minimum indicators."""


class Fault(Protocol):
    """A labelled fault (the demo manifest's records fit)."""

    kind: str
    credit_code: str
    item_code: str
    start_ts: int
    end_ts: int


@dataclass
class Comparison:
    """Faults missed, events no fault explains, and the rates."""

    faults: int
    missed: list[Fault] = field(default_factory=list)
    unexplained: list[Event] = field(default_factory=list)
    flagged_item_days: int = 0
    evaluated_item_days: int = 0

    @property
    def recall(self) -> float:
        """Share of faults found."""
        return 1.0 - len(self.missed) / self.faults if self.faults else 1.0

    @property
    def false_positive_rate(self) -> float:
        """Item-days flagged without a fault / item-days evaluated."""
        if not self.evaluated_item_days:
            return 0.0
        return self.flagged_item_days / self.evaluated_item_days


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def compare(
    events: Iterable[Event],
    faults: Iterable[Fault],
    items: Mapping[int, tuple[str, str]],
    firms: Mapping[int, str],
    evaluated_item_days: int,
    window_start: int,
) -> Comparison:
    """Match events to labelled faults.

    Parameters
    ----------
    items : mapping of item id to (credit code, item code)
    firms : mapping of enterprise id to credit code
    evaluated_item_days : int
        Denominator of the false-positive rate.
    window_start : int [Unix s]
        CST midnight the evaluated days are counted from.
    """
    events = list(events)
    faults = list(faults)
    result = Comparison(len(faults), evaluated_item_days=evaluated_item_days)
    for fault in faults:
        span = (fault.start_ts, fault.end_ts)
        if not any(
            e.rule in DETECTED_BY[fault.kind]
            and e.item_id is not None
            and items[e.item_id] == (fault.credit_code, fault.item_code)
            and _overlap((e.start, e.end), span)
            for e in events
        ):
            result.missed.append(fault)

    def explained(event: Event) -> bool:
        for fault in faults:
            span = (fault.start_ts, max(fault.end_ts, fault.start_ts + DAY))
            if not _overlap((event.start, event.end), span):
                continue
            if event.item_id is not None:
                if items[event.item_id] == (fault.credit_code, fault.item_code):
                    return True
            elif firms[event.enterprise_id] == fault.credit_code and fault.kind in ENTERPRISE_LEVEL:
                return True
        return False

    result.unexplained = [e for e in events if not explained(e)]
    result.flagged_item_days = len(
        {
            (e.item_id or -e.enterprise_id, (e.start - window_start) // DAY)
            for e in result.unexplained
        }
    )
    return result
