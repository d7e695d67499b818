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
from sqlalchemy import Engine

from nenghao.analytics.ledger import build_series
from nenghao.analytics.periods import Period
from nenghao.standards.vocabulary import Basis
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


def monthly_totals(
    engine: Engine,
    year: int,
    *,
    scope: Scope | None = None,
    basis: Basis = "equivalent",
) -> MonthlyTotals:
    """Monthly tce and tCO2 per (division, industry) of the enterprises in ``scope``.

    Read from the month rollups; ``basis`` chooses equivalent or equal value (quantities
    without an equal-value coefficient, such as heat, are left out of the equal value).
    """
    measure = "equivalent_tce" if basis == "equivalent" else "equal_tce"
    with engine.connect() as connection:
        built = build_series(
            connection,
            scope or Scope.all(),
            Period.year(year),
            "month",
            "division_industry",
            measures=(measure, "tco2"),
        )
    totals = MonthlyTotals(year, basis)
    for key, matrix in built.groups.items():
        if matrix.any():
            totals.tce[key] = matrix[0]
            totals.tco2[key] = matrix[1]
    return totals
