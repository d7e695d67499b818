"""Monthly comprehensive energy consumption (tce) and CO2 by division and industry.

An enterprise's comprehensive consumption is taken from its fence items (boundary
``enterprise``): energy and energy-carrying media consumed, including raw-material use,
minus energy exported (GB/T 2589-2020). Process sub-meters serve unit-product figures and are
not added again. Process CO2 comes from the output of calcined products (magnesia).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Engine, or_, select

from nenghao.analytics.item_factors import (
    Basis,
    ItemRow,
    energy_factors,
    process_co2_per_unit,
)
from nenghao.analytics.item_sums import monthly_item_sums
from nenghao.standards import Catalog, get_catalog
from nenghao.store.schema import data_items, enterprises
from nenghao.store.scope import Scope

Key = tuple[str, str]
"""(division code, industry code)."""


@dataclass(frozen=True)
class MonthlyTotals:
    """Twelve monthly figures per (division, industry) for one year and basis."""

    year: int
    basis: Basis
    tce: dict[Key, np.ndarray] = field(default_factory=dict)
    tco2: dict[Key, np.ndarray] = field(default_factory=dict)

    def by_division(self, measure: str = "tce") -> dict[str, np.ndarray]:
        """Monthly totals per division (summed over industries)."""
        return _collapse(getattr(self, measure), 0)

    def by_industry(self, measure: str = "tce") -> dict[str, np.ndarray]:
        """Monthly totals per industry (summed over divisions)."""
        return _collapse(getattr(self, measure), 1)

    def city(self, measure: str = "tce") -> np.ndarray:
        """Monthly totals of everything in scope."""
        values = list(getattr(self, measure).values())
        return np.sum(values, axis=0) if values else np.zeros(12)


def _collapse(cells: dict[Key, np.ndarray], position: int) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(12))
    for key, values in cells.items():
        out[key[position]] = out[key[position]] + values
    return dict(out)


def load_items(engine: Engine, scope: Scope) -> list[ItemRow]:
    """Fence energy items and product items of the enterprises in scope."""
    query = (
        select(
            data_items.c.id,
            data_items.c.enterprise_id,
            enterprises.c.division_code,
            enterprises.c.industry_code,
            data_items.c.measures,
            data_items.c.usage,
            data_items.c.energy_kind,
            data_items.c.product_code,
            data_items.c.unit,
            data_items.c.boundary,
            data_items.c.renewable,
            data_items.c.heating_value,
            data_items.c.heating_value_unit,
        )
        .join(enterprises, enterprises.c.id == data_items.c.enterprise_id)
        .where(scope.enterprise_clause())
        .where(
            or_(
                data_items.c.measures == "product",
                (data_items.c.boundary == "enterprise")
                & data_items.c.measures.in_(("energy", "medium")),
            )
        )
    )
    with engine.connect() as connection:
        return [ItemRow(*row) for row in connection.execute(query)]


def monthly_totals(
    engine: Engine,
    year: int,
    *,
    scope: Scope | None = None,
    basis: Basis = "equivalent",
    catalog: Catalog | None = None,
) -> MonthlyTotals:
    """Monthly tce and tCO2 per (division, industry) of the enterprises in `scope`."""
    cat = catalog or get_catalog()
    items = load_items(engine, scope or Scope.all())
    factors: dict[int, tuple[float, float]] = {}
    for item in items:
        if item.measures == "product":
            co2 = process_co2_per_unit(item, cat)
            if co2:
                factors[item.id] = (0.0, co2)
        else:
            energy = energy_factors(item, basis=basis, year=year, catalog=cat)
            factors[item.id] = (energy.tce, energy.tco2)
    with engine.connect() as connection:
        sums = monthly_item_sums(connection, year, factors.keys())
    totals = MonthlyTotals(year, basis)
    for item in items:
        if item.id not in sums:
            continue
        tce_factor, co2_factor = factors[item.id]
        key = (item.division_code, item.industry_code)
        totals.tce[key] = totals.tce.get(key, np.zeros(12)) + sums[item.id] * tce_factor
        totals.tco2[key] = totals.tco2.get(key, np.zeros(12)) + sums[item.id] * co2_factor
    return totals
