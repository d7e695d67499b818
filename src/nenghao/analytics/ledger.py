"""The ledger of a period: every item's contribution to every measure, and its groupings.

``contribution = factor (per unit, for the period's year) x reading sum (from the rollups)``.
A period crossing a year boundary is cut into years, each converted with its own year's
coefficients (equal value of electricity, grid factor).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import Connection, select

from nenghao.analytics.errors import AnalyticsInputError
from nenghao.analytics.item_factors import COLUMN, MEASURES, factor_matrix, factors_for
from nenghao.analytics.item_sums import ORDER, bucket_sums, item_totals
from nenghao.analytics.items import Filters, SelectedItem, load_items, selection
from nenghao.analytics.periods import Grain, Period, check_span
from nenghao.standards import Sourced, get_catalog
from nenghao.store import equal_values
from nenghao.store.schema import enterprises
from nenghao.store.scope import Scope

GROUPINGS = ("city", "division", "industry", "enterprise", "energy_kind")
DEFAULT_KINDS = ("fence", "product", "value")


def group_key(by: str) -> Callable[[SelectedItem], Any]:
    """The function giving an item's group under grouping ``by``."""
    keys: dict[str, Callable[[SelectedItem], Any]] = {
        "city": lambda item: "city",
        "division": lambda item: item.division_code,
        "industry": lambda item: item.industry_code,
        "enterprise": lambda item: item.enterprise_id,
        "energy_kind": lambda item: item.energy_kind,
        "division_industry": lambda item: (item.division_code, item.industry_code),
    }
    try:
        return keys[by]
    except KeyError:
        raise ValueError(f"unknown grouping {by!r}; one of {', '.join(GROUPINGS)}") from None


@dataclass(frozen=True)
class Ledger:
    """Items in scope and their totals over one period."""

    period: Period
    items: list[SelectedItem]
    quantities: np.ndarray
    """Each item's reading sum [its unit]."""
    values: np.ndarray
    """items x :data:`MEASURES` contributions."""
    equal: dict[int, Sourced] = field(default_factory=dict)
    """The administrator's equal value of electricity by year (those set)."""

    def grouped(self, by: str) -> dict[Any, np.ndarray]:
        """Measure vectors summed per group (items without a group key are left out)."""
        key = group_key(by)
        out: dict[Any, np.ndarray] = {}
        for position, item in enumerate(self.items):
            group = key(item)
            if group is None:
                continue
            if group not in out:
                out[group] = np.zeros(len(MEASURES))
            out[group] += self.values[position]
        return out

    def unconverted(self, by: str) -> dict[Any, list[dict[str, Any]]]:
        """Per group, the quantities a total could not convert, with the measure and why.

        ``measure`` is ``equal_tce`` (no equal-value coefficient, e.g. heat) or ``tco2``
        (no emission factor for the year, e.g. a grid factor before the catalogue's series).
        """
        key = group_key(by)
        out: dict[Any, dict[str, dict[str, Any]]] = {}
        for position, item in enumerate(self.items):
            year = self.period.start.year
            factors = factors_for(item, year, self.equal.get(year))
            quantity = float(self.quantities[position])
            if quantity == 0.0:
                continue
            for measure, reason in (
                ("equal_tce", factors.equal_missing),
                ("tco2", factors.carbon_missing),
            ):
                if reason is None:
                    continue
                entry = out.setdefault(key(item), {}).setdefault(
                    f"{measure}/{item.energy_kind}/{item.unit}/{factors.role}",
                    {
                        "measure": measure,
                        "energy_kind": item.energy_kind,
                        "role": factors.role,
                        "quantity": 0.0,
                        "unit": item.unit,
                        "equivalent_tce": 0.0,
                        "reason": reason,
                    },
                )
                entry["quantity"] += quantity
                entry["equivalent_tce"] += float(self.values[position, COLUMN["equivalent_tce"]])
        return {group: list(entries.values()) for group, entries in out.items()}


def build_ledger(
    connection: Connection,
    scope: Scope,
    period: Period,
    filters: Filters | None = None,
    kinds: Iterable[str] = DEFAULT_KINDS,
) -> Ledger:
    """Totals of every item of ``kinds`` in ``scope`` over ``period``.

    Parameters
    ----------
    connection : Connection
        Database connection.
    scope : Scope
        The caller's data scope (the isolation point).
    period : Period
        CST days.
    filters : Filters, optional
        Division, industry or enterprise inside the scope.
    kinds : iterable of str
        Item selections (see :mod:`nenghao.analytics.items`).

    Returns
    -------
    Ledger
    """
    check_span(period, "year")  # read year by year
    kinds = tuple(kinds)
    items = load_items(connection, scope, kinds, filters)
    ids = select(selection(scope, kinds, filters).subquery().c.id)
    quantities = np.zeros(len(items))
    values = np.zeros((len(items), len(MEASURES)))
    equal = equal_values.by_year(connection)
    for piece in period.years():
        sums = item_totals(connection, items, ids, piece)
        quantities += sums
        year = piece.start.year
        values += factor_matrix(items, year, equal.get(year)) * sums[:, None]
    return Ledger(period, items, quantities, values, equal)


@dataclass(frozen=True)
class Series:
    """Measures per group and per bucket over a period, for one or more groupings."""

    period: Period
    grain: Grain
    starts: list[date]
    groupings: dict[str, dict[Any, np.ndarray]]
    """grouping -> group -> measures x buckets."""

    @property
    def groups(self) -> dict[Any, np.ndarray]:
        """The groups of the first (or only) grouping."""
        return next(iter(self.groupings.values()))


def _group(matrix: np.ndarray, labels: list[Any]) -> dict[Any, np.ndarray]:
    """Rows of ``matrix`` (items x measures x buckets) summed per label (None: left out)."""
    names = sorted({label for label in labels if label is not None}, key=str)
    position = {label: k for k, label in enumerate(names)}
    gidx = np.asarray([position.get(label, -1) for label in labels], dtype=np.int64)
    keep = gidx >= 0
    out = np.zeros((len(names), *matrix.shape[1:]))
    np.add.at(out, gidx[keep], matrix[keep])
    return {name: out[k] for k, name in enumerate(names)}


def build_series(
    connection: Connection,
    scope: Scope,
    period: Period,
    grain: Grain,
    by: str | Iterable[str],
    filters: Filters | None = None,
    measures: Iterable[str] = ("equivalent_tce", "equal_tce", "tco2"),
    kinds: Iterable[str] = ("fence", "product"),
) -> Series:
    """Per group of each grouping in ``by``, the ``measures`` in each ``grain`` bucket.

    The readings are summed once (from the rollups) and then grouped every way asked.
    """
    if ORDER[grain] > ORDER[period.grain]:
        raise AnalyticsInputError(
            f"a {grain} series needs a period of whole {grain}s; {period.label} is not",
            details={"grain": grain, "period": period.label},
        )
    check_span(period, grain)
    kinds = tuple(kinds)
    columns = [COLUMN[m] for m in measures]
    items = load_items(connection, scope, kinds, filters)
    ids = select(selection(scope, kinds, filters).subquery().c.id)
    all_starts = period.bucket_starts(grain)
    per_item = np.zeros((len(items), len(columns), len(all_starts)))
    equal = equal_values.by_year(connection)
    offset = 0
    for piece in period.years():  # cut at year starts, so no bucket spans two pieces
        starts, sums = bucket_sums(connection, items, ids, piece, grain)
        year = piece.start.year
        factors = factor_matrix(items, year, equal.get(year))[:, columns]
        window = slice(offset, offset + len(starts))
        per_item[:, :, window] = factors[:, :, None] * sums[:, None, :]
        offset += len(starts)
    groupings = [by] if isinstance(by, str) else list(by)
    grouped = {
        name: _group(per_item, [group_key(name)(item) for item in items]) for name in groupings
    }
    return Series(period, grain, all_starts, grouped)


def names_of(connection: Connection, by: str, keys: Iterable[Any]) -> dict[Any, str]:
    """Display names (Chinese) of group keys."""
    keys = list(keys)
    catalog = get_catalog()
    if by == "enterprise":
        rows = connection.execute(
            select(enterprises.c.id, enterprises.c.name).where(enterprises.c.id.in_(keys))
        )
        return {row.id: row.name for row in rows}
    if by == "division":
        return {k: catalog.divisions[k].name_zh if k in catalog.divisions else k for k in keys}
    if by == "industry":
        return {k: catalog.industries[k].name_zh if k in catalog.industries else k for k in keys}
    if by == "energy_kind":
        return {k: catalog.energy_kind(k).name_zh for k in keys}
    return dict.fromkeys(keys, "全市")
