"""Data coverage of a comparison's base: is the base as fully metered as the current span?

A rate of change means something only when both spans were measured alike. For each item,
``covered days`` are the CST days of a span holding its data: days whose day rollup counts a
reading (items read every 15 minutes or hour), days with a reading (daily items), and the
days of monthly or yearly readings lying wholly inside the span.

The test (docs/analytics.md, "Like-for-like comparisons"): an item whose base covers a
smaller share of its span than the current span does is short of
``(current share - base share) x base days`` days. Those days are valued at the item's
mean consumption per covered day over both spans, and the estimates are summed over the
group's items. The base is incomplete when the estimate exceeds `MAX_MISSING_SHARE` of
the base total plus the estimate: the rate would then be biased by more than about one
percentage point, so it is withheld and the reason given instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import Connection, Select, func, select

from nenghao.analytics.items import SelectedItem
from nenghao.analytics.periods import Period
from nenghao.standards.calendar import DAY_S, next_start
from nenghao.store.schema import data_items, readings, rollups

MAX_MISSING_SHARE = 0.01
"""The largest estimated share of the base's consumption that may lie on uncovered days."""
FINE = ("15min", "hour")
COARSE = ("month", "year")


def covered_days(
    connection: Connection, items: list[SelectedItem], ids: Select[Any], period: Period
) -> np.ndarray:
    """Each item's number of CST days in ``period`` that hold its data (order of ``items``)."""
    low, high = period.start_ts, period.end_ts
    by_day = (
        select(rollups.c.item_id, func.count())
        .join(data_items, data_items.c.id == rollups.c.item_id)
        .where(rollups.c.item_id.in_(ids), data_items.c.period.in_(FINE))
        .where(rollups.c.grain == "day", rollups.c.count > 0)
        .where(rollups.c.period_start >= low, rollups.c.period_start < high)
        .group_by(rollups.c.item_id)
    )
    daily = (
        select(readings.c.item_id, func.count())
        .join(data_items, data_items.c.id == readings.c.item_id)
        .where(readings.c.item_id.in_(ids), data_items.c.period == "day")
        .where(readings.c.period == "day")
        .where(readings.c.period_start >= low, readings.c.period_start < high)
        .group_by(readings.c.item_id)
    )
    days: dict[int, float] = {}
    for query in (by_day, daily):
        for item_id, count in connection.execute(query):
            days[item_id] = days.get(item_id, 0.0) + float(count)
    coarse = (
        select(readings.c.item_id, readings.c.period, readings.c.period_start)
        .join(data_items, data_items.c.id == readings.c.item_id)
        .where(readings.c.item_id.in_(ids), data_items.c.period.in_(COARSE))
        .where(readings.c.period == data_items.c.period)
        .where(readings.c.period_start >= low, readings.c.period_start < high)
    )
    for item_id, grain, start in connection.execute(coarse):
        end = next_start(grain, start)
        if end <= high:
            days[item_id] = days.get(item_id, 0.0) + (end - start) // DAY_S
    return np.asarray([days.get(item.id, 0.0) for item in items])


def missing_share(
    base: np.ndarray,
    current: np.ndarray,
    base_days: np.ndarray,
    current_days: np.ndarray,
    spans: tuple[int, int],
) -> float:
    """Estimated share of the base's consumption on days the base lacks (see module doc).

    Parameters
    ----------
    base, current : ndarray
        Each item's value in the base and in the current span [tce or tCO2].
    base_days, current_days : ndarray
        Each item's covered days in each span [d].
    spans : tuple of int
        Days of the base and of the current span [d].
    """
    base_span, current_span = spans
    short = np.clip(current_days / current_span - base_days / base_span, 0.0, None) * base_span
    seen = base_days + current_days
    per_day = np.divide(
        np.abs(base) + np.abs(current), seen, out=np.zeros_like(seen, dtype=float), where=seen > 0
    )
    missing = float((short * per_day).sum())
    whole = float(np.abs(base).sum()) + missing
    return missing / whole if whole else 0.0
