"""A retrofit's metered series: energy per month or hour in tce (equivalent and equal value)
and tCO2, and its independent variables, read from the rollups and readings.

Each item's readings are converted with its own factors (`nenghao.analytics.item_factors`,
the accounting conversion and carbon factors of the reading's year).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import Connection, select

from nenghao.analytics.item_factors import COLUMN, factors_for
from nenghao.analytics.item_sums import bucket_sums
from nenghao.analytics.items import Filters, SelectedItem, load_items
from nenghao.analytics.periods import Period
from nenghao.standards.calendar import add_months, cst_midnight
from nenghao.store.schema import data_items, readings, rollups
from nenghao.store.scope import Scope

HOUR = 3600
CST_OFFSET = 8 * HOUR
ENERGY_COLUMNS = ("equivalent_tce", "equal_tce", "tco2")


@dataclass(frozen=True)
class Series:
    """Points of one period (months or hours) that have data."""

    starts: tuple[int, ...]
    """Unix seconds of each point's CST start."""
    energy: np.ndarray
    """(points x 3): equivalent tce, equal-value tce, tCO2 per point."""
    variables: dict[str, np.ndarray]
    """Each independent variable's value per point."""

    @property
    def equivalent(self) -> np.ndarray:
        """Equivalent-value tce per point."""
        return self.energy[:, 0]


def cst_years(starts: np.ndarray) -> list[int]:
    """The CST calendar year of each instant [Unix seconds] (vectorised)."""
    local = np.asarray(starts, dtype=np.int64) + CST_OFFSET
    years = local.astype("datetime64[s]").astype("datetime64[Y]").astype(int) + 1970
    return [int(year) for year in years]


def cst_labels(starts: Sequence[int] | np.ndarray, unit: str) -> list[str]:
    """Each instant's CST month ("M": YYYY-MM) or hour ("h": YYYY-MM-DDTHH) as text."""
    local = np.asarray(starts, dtype=np.int64) + CST_OFFSET
    return [str(x) for x in local.astype("datetime64[s]").astype(f"datetime64[{unit}]")]


def month_period(first: date, last: date) -> Period:
    """The CST months from ``first``'s to ``last``'s, both included."""
    return Period("range", first, add_months(last, 1))


def load_retrofit_items(
    conn: Connection, enterprise_id: int, item_ids: Sequence[int]
) -> dict[int, SelectedItem]:
    """The enterprise's items among ``item_ids`` (energy, medium and product items), by id."""
    wanted = set(item_ids)
    kinds = ("fence", "process", "product", "value")
    found = load_items(conn, Scope.all(), kinds, Filters(enterprise_id=enterprise_id))
    return {item.id: item for item in found if item.id in wanted}


def _ids(item_ids: Sequence[int]) -> Any:
    return select(data_items.c.id).where(data_items.c.id.in_(list(item_ids)))


def _factor_rows(items: Sequence[SelectedItem], years: Sequence[int]) -> np.ndarray:
    """(items x points x 3) factors of each item for each point's year."""
    columns = [COLUMN[name] for name in ENERGY_COLUMNS]
    cache: dict[tuple[int, int], np.ndarray] = {}
    out = np.zeros((len(items), len(years), len(columns)))
    for i, item in enumerate(items):
        for j, year in enumerate(years):
            key = (item.id, year)
            if key not in cache:
                cache[key] = factors_for(item, year).values[columns]
            out[i, j] = cache[key]
    return out


def monthly_sums(
    conn: Connection, items: Sequence[SelectedItem], period: Period
) -> tuple[list[date], np.ndarray]:
    """(first days of the months, items x months sums) of the items' readings."""
    if not items:
        return period.bucket_starts("month"), np.zeros((0, len(period.bucket_starts("month"))))
    return bucket_sums(conn, list(items), _ids([item.id for item in items]), period, "month")


def hourly_sums(
    conn: Connection, items: Sequence[SelectedItem], period: Period
) -> tuple[np.ndarray, np.ndarray]:
    """(hour starts, items x hours sums, NaN where an item has no reading) of the items."""
    low, high = period.start_ts, period.end_ts
    starts = np.arange(low, high, HOUR, dtype=np.int64)
    out = np.full((len(items), len(starts)), np.nan)
    for row, item in enumerate(items):
        if item.period in ("15min",):
            query = select(rollups.c.period_start, rollups.c.value).where(
                rollups.c.item_id == item.id, rollups.c.grain == "hour"
            )
        else:
            query = select(readings.c.period_start, readings.c.value).where(
                readings.c.item_id == item.id, readings.c.period == "hour"
            )
        query = query.where(query.selected_columns[0] >= low, query.selected_columns[0] < high)
        result = conn.execute(query)
        rows = result.cursor.fetchall()
        result.close()
        if rows:
            table = np.asarray(rows, dtype=np.float64)
            positions = ((table[:, 0].astype(np.int64) - low) // HOUR).astype(np.int64)
            out[row, positions] = table[:, 1]
    return starts, out


def read_series(
    conn: Connection,
    energy_items: Sequence[SelectedItem],
    variable_items: dict[str, SelectedItem],
    entered: dict[str, dict[str, float]],
    period: Period,
    granularity: str,
) -> Series:
    """The energy and variables of ``period`` at ``granularity``, on the points with data.

    A month is kept when its energy items have readings (a non-zero sum); an hour when some
    energy item and every metered variable have a reading. Entered (monthly) variables take
    their value for the month, 0 when none was entered (the caller checks for gaps).
    """
    names = list(variable_items)
    if granularity == "hour":
        starts, energy_sums = hourly_sums(conn, energy_items, period)
        _s, variable_sums = hourly_sums(conn, [variable_items[n] for n in names], period)
        keep = ~np.all(np.isnan(energy_sums), axis=0) if len(energy_items) else starts < 0
        if names:
            keep &= ~np.any(np.isnan(variable_sums), axis=0)
        energy_sums = np.nan_to_num(energy_sums)[:, keep]
        variable_sums = variable_sums[:, keep]
        kept = starts[keep]
        years = cst_years(kept)
    else:
        firsts, energy_sums = monthly_sums(conn, energy_items, period)
        _f, variable_sums = monthly_sums(conn, [variable_items[n] for n in names], period)
        keep = np.abs(energy_sums).sum(axis=0) > 0
        energy_sums, variable_sums = energy_sums[:, keep], variable_sums[:, keep]
        kept_days = [day for day, kept in zip(firsts, keep, strict=True) if kept]
        kept = np.asarray([cst_midnight(day) for day in kept_days], dtype=np.int64)
        years = [day.year for day in kept_days]
    factors = _factor_rows(energy_items, years)
    energy = np.einsum("ip,ipc->pc", energy_sums, factors) if len(energy_items) else None
    variables = {name: variable_sums[k] for k, name in enumerate(names)}
    labels = cst_labels(kept, "M") if entered else []
    for name, values in entered.items():
        variables[name] = np.asarray([values.get(label, 0.0) for label in labels], dtype=float)
    if energy is None:
        energy = np.zeros((len(kept), len(ENERGY_COLUMNS)))
    return Series(tuple(int(s) for s in kept), energy, variables)
