"""Sums of each data item's readings per CST calendar month, computed in the database."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from sqlalchemy import Connection, bindparam, text

from nenghao.store.timebase import CST_OFFSET_S, DAY_S, cst_day_number, month_starts

_SUMS_BY_DAY = text(
    f"""
    SELECT r.item_id, (r.period_start + {CST_OFFSET_S}) / {DAY_S} AS day, SUM(r.value)
    FROM readings r JOIN data_items i ON i.id = r.item_id AND i.period = r.period
    WHERE r.period_start >= :start AND r.period_start < :end
    GROUP BY r.item_id, (r.period_start + {CST_OFFSET_S}) / {DAY_S}
    """
)
_SUMS_BY_DAY_FOR_ITEMS = text(
    f"""
    SELECT r.item_id, (r.period_start + {CST_OFFSET_S}) / {DAY_S} AS day, SUM(r.value)
    FROM readings r JOIN data_items i ON i.id = r.item_id AND i.period = r.period
    WHERE r.period_start >= :start AND r.period_start < :end AND r.item_id IN :items
    GROUP BY r.item_id, (r.period_start + {CST_OFFSET_S}) / {DAY_S}
    """
).bindparams(bindparam("items", expanding=True))


def monthly_item_sums(
    connection: Connection, year: int, item_ids: Iterable[int] | None = None
) -> dict[int, np.ndarray]:
    """Per item, a 12-element array of the sums of its current readings in each CST month.

    Only readings whose statistic period is the item's registered period count, so an item
    that also receives daily or monthly totals is not counted twice. Missing months are 0.
    """
    bounds = month_starts(year)
    params: dict[str, object] = {"start": bounds[0], "end": bounds[-1]}
    query = _SUMS_BY_DAY
    if item_ids is not None:
        ids = list(item_ids)
        if not ids:
            return {}
        query, params["items"] = _SUMS_BY_DAY_FOR_ITEMS, ids
    rows = connection.execute(query, params).all()
    if not rows:
        return {}
    data = np.array([(row[0], row[1], row[2]) for row in rows], dtype=np.float64)
    items = data[:, 0].astype(np.int64)
    month_days = np.array([cst_day_number(b) for b in bounds[:-1]], dtype=np.int64)
    months = np.searchsorted(month_days, data[:, 1].astype(np.int64), side="right") - 1
    unique_items, item_index = np.unique(items, return_inverse=True)
    sums = np.zeros((len(unique_items), 12))
    np.add.at(sums, (item_index, months), data[:, 2])
    return {int(item): sums[i] for i, item in enumerate(unique_items)}
