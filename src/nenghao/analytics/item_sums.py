"""Sums of each data item's readings per CST calendar month, computed in the database.

One range query per month and per statistic period walks each item's series in key order
(readings are keyed by item, period and start), so no row outside the year is touched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np
from sqlalchemy import Connection, bindparam, func, select

from nenghao.store.schema import data_items, readings
from nenghao.store.timebase import month_starts

_SUMS = (
    select(readings.c.item_id, func.sum(readings.c.value))
    .where(readings.c.item_id.in_(bindparam("items", expanding=True)))
    .where(readings.c.period == bindparam("period"))
    .where(readings.c.period_start >= bindparam("start"))
    .where(readings.c.period_start < bindparam("end"))
    .group_by(readings.c.item_id)
)


def monthly_item_sums(
    connection: Connection, year: int, item_ids: Iterable[int] | None = None
) -> dict[int, np.ndarray]:
    """Per item, a 12-element array of the sums of its current readings in each CST month.

    Only readings whose statistic period is the item's registered period count, so an item
    that also receives daily or monthly totals is not counted twice; a yearly item's value
    lands in January. Items without readings in the year are absent.
    """
    query = select(data_items.c.id, data_items.c.period)
    if item_ids is not None:
        ids = list(item_ids)
        if not ids:
            return {}
        query = query.where(data_items.c.id.in_(ids))
    by_period: dict[str, list[int]] = defaultdict(list)
    for item_id, period in connection.execute(query):
        by_period[period].append(item_id)
    bounds = month_starts(year)
    sums: dict[int, np.ndarray] = {}
    for period, ids in by_period.items():
        for month in range(12):
            params = {
                "items": ids,
                "period": period,
                "start": bounds[month],
                "end": bounds[month + 1],
            }
            for item_id, total in connection.execute(_SUMS, params):
                sums.setdefault(item_id, np.zeros(12))[month] = total
    return sums
