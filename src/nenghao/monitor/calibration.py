"""Meters past their calibration (检定有效期): one ``calibration_overdue`` event per item and
expiry date, from the first day after the date the calibration was valid until."""

from __future__ import annotations

from datetime import timedelta

from nenghao.monitor.data import Item
from nenghao.monitor.events import Event
from nenghao.monitor.series_checks import Window
from nenghao.standards.calendar import cst_midnight


def check_calibration(items: list[Item], window: Window) -> list[Event]:
    """Events of the items whose calibration ran out before the end of `window`.

    An item calibrated until ``D`` is overdue from ``D + 1`` 00:00 CST; the event starts
    there and runs to the end of the window, so later evaluations extend the same event.
    """
    events = []
    for item in items:
        if item.calibration_due is None:
            continue
        overdue = cst_midnight(item.calibration_due + timedelta(days=1))
        if overdue >= window.end:
            continue
        days = (window.end - overdue) // 86_400
        events.append(
            Event(
                rule="calibration_overdue",
                enterprise_id=item.enterprise_id,
                item_id=item.id,
                period="day",
                start=overdue,
                end=window.end,
                severity="warning",
                points=int(days),
                message=f"{item.code}：计量器具检定有效期至 {item.calibration_due}，已过期"
                f" {days} 天 / meter calibration valid until {item.calibration_due},"
                f" overdue {days} days",
            )
        )
    return events
