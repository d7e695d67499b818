"""Sums of the items' readings per CST day, month or year, read from the rollups.

An item registered at a finer period than the grain asked for is read from its rollups
(kept current by every writer, see :mod:`nenghao.store.rollups`); an item registered at the
grain itself or coarser (monthly output value asked by month or by day) is read from its own
readings, each landing in the bucket that holds its start. No raw reading is scanned.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any, cast

import numpy as np
from sqlalchemy import Connection, Select, and_, select

from nenghao.analytics.items import SelectedItem
from nenghao.analytics.periods import Grain, Period
from nenghao.standards.calendar import cst_midnight
from nenghao.store.schema import data_items, readings, rollups

ORDER = {"15min": 0, "hour": 1, "day": 2, "month": 3, "year": 4}


def _queries(ids: Select[Any], period: Period, grain: Grain) -> list[Select[Any]]:
    finer = [p for p, rank in ORDER.items() if rank < ORDER[grain]]
    coarse = [p for p, rank in ORDER.items() if rank >= ORDER[grain]]
    low, high = period.start_ts, period.end_ts
    rolled = (
        select(rollups.c.item_id, rollups.c.period_start, rollups.c.value)
        .join(data_items, data_items.c.id == rollups.c.item_id)
        .where(rollups.c.item_id.in_(ids))
        .where(data_items.c.period.in_(finer))
        .where(rollups.c.grain == grain)
        .where(rollups.c.period_start >= low, rollups.c.period_start < high)
    )
    own = (
        select(readings.c.item_id, readings.c.period_start, readings.c.value)
        .join(
            data_items,
            and_(data_items.c.id == readings.c.item_id, data_items.c.period == readings.c.period),
        )
        .where(readings.c.item_id.in_(ids))
        .where(readings.c.period.in_(coarse))
        .where(readings.c.period_start >= low, readings.c.period_start < high)
    )
    return [rolled, own]


def _needed(
    items: list[SelectedItem], grain: Grain, queries: list[Select[Any]]
) -> list[Select[Any]]:
    """The queries worth sending: rollups only if some item is finer than the grain, own
    readings only if some item is registered at the grain or coarser."""
    ranks = {ORDER[item.period] for item in items}
    rolled, own = queries
    out = [rolled] if any(rank < ORDER[grain] for rank in ranks) else []
    return out + ([own] if any(rank >= ORDER[grain] for rank in ranks) else [])


def bucket_sums(
    connection: Connection,
    items: list[SelectedItem],
    ids: Select[Any],
    period: Period,
    grain: Grain,
) -> tuple[list[date], np.ndarray]:
    """(bucket first days, an items x buckets matrix of reading sums) for ``period``.

    Parameters
    ----------
    connection : Connection
        Database connection.
    items : list of SelectedItem
        The items, in the row order of the answer.
    ids : Select
        A query of the same items' ids (keeps the item list out of the SQL text).
    period : Period
        CST days to cover.
    grain : {"day", "month", "year"}
        Bucket size; must not be finer than the period's days.

    Returns
    -------
    tuple
        The first CST day of each bucket, and the sums [each item's unit].
    """
    starts = period.bucket_starts(grain)
    edges = np.asarray([cst_midnight(day) for day in starts], dtype=np.int64)
    known = np.asarray([item.id for item in items], dtype=np.int64)
    order = np.argsort(known)
    out = np.zeros((len(items), len(starts)))
    for query in _needed(items, grain, _queries(ids, period, grain)):
        result = connection.execute(query)
        rows = result.cursor.fetchall()  # plain DBAPI tuples: no per-row Row objects
        result.close()
        if not rows or not len(items):
            continue
        flat = itertools.chain.from_iterable(rows)
        table = np.fromiter(flat, dtype=np.float64, count=3 * len(rows)).reshape(-1, 3)
        item_ids = table[:, 0].astype(np.int64)
        found = np.minimum(np.searchsorted(known, item_ids, sorter=order), len(known) - 1)
        positions = order[found]
        cols = np.searchsorted(edges, table[:, 1].astype(np.int64), side="right") - 1
        mask = (known[positions] == item_ids) & (cols >= 0)
        np.add.at(out, (positions[mask], cols[mask]), table[mask, 2])
    return starts, out


def item_totals(
    connection: Connection, items: list[SelectedItem], ids: Select[Any], period: Period
) -> np.ndarray:
    """Each item's reading sum over ``period`` (a vector in the order of ``items``)."""
    _starts, sums = bucket_sums(connection, items, ids, period, period.grain)
    return cast(np.ndarray, sums.sum(axis=1))
