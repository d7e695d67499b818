"""Reporting rates (上报率) from the monitor's stored monthly scores: the data points an
enterprise was to send, those it sent and those sent on time (nenghao.monitor.score
counts them; this module only adds them up over enterprises or months)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reported:
    """Data points expected, received and received on time, over some score rows."""

    expected: int = 0
    received: int = 0
    on_time: int = 0
    months: int = 0

    @property
    def rate(self) -> float | None:
        """上报率: received / expected, at most 1 (the monitor's completeness index)."""
        return min(1.0, self.received / self.expected) if self.expected else None

    @property
    def timely(self) -> float | None:
        """按时率: received on time / received (the monitor's timeliness index)."""
        return self.on_time / self.received if self.received else None


def reported(rows: Iterable[dict[str, Any]]) -> Reported:
    """The sums over stored score rows (``quality_scores`` with their ``detail``)."""
    expected = received = on_time = months = 0
    for row in rows:
        detail = row.get("detail") or {}
        expected += int(detail.get("expected", 0))
        received += int(detail.get("received", 0))
        on_time += int(detail.get("on_time", 0))
        months += 1
    return Reported(expected, received, on_time, months)
