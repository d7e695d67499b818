"""The demo city's energy-saving retrofits (节能改造项目): three magnesite kilns and one
Ansteel-style waste-heat recovery, their effect written into the generated data and the
projects registered through the real service (`nenghao.retrofits.register`).

Periods: the first 12 whole CST months of data are the baseline, the next month the
installation, the rest the reporting period (the retrofits are left out when the data are
shorter than 16 whole months). In the reporting period the retrofit's energy items fall by
``saving`` (the enterprise's fence item by the same quantity, unless it is read from a
register). The claims:

* 1号轻烧窑 (mg-light-01): claims what the data save → verified at about 100 %;
* 2号轻烧窑 (mg-light-02): claims twice what the data save → about 50 %, flagged;
* 3号轻烧窑 (mg-light-03): from the 7th baseline month the kiln switched to a higher grade
  that takes ``step`` (1.5×) the gas per t; production does not describe it, so the
  baseline model fails the criteria (CV(RMSE) and the step named);
* 烧结余热发电 (steel-int): the sinter line's purchased electricity falls by 30 %; an hourly
  model; claims 10 % more than the data save → about 90 %, not flagged.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Engine, select

from nenghao.accounting import to_standard_coal
from nenghao.demo.generate import EnterpriseData
from nenghao.demo.timegrid import TimeGrid
from nenghao.retrofits import register
from nenghao.standards.calendar import cst_date
from nenghao.store.schema import data_items
from nenghao.store.scope import Scope

ACTOR = "demo-regulator"
MIN_MONTHS = 16


@dataclass(frozen=True)
class DemoRetrofit:
    """One demo retrofit: where it acts and what the data make true."""

    enterprise: str
    name: str
    energy: str
    """The item code of the retrofitted energy."""
    fence: str
    product: str
    saving: float
    """Share of the energy saved in the reporting period."""
    claim_factor: float
    """Claimed saving / the saving the data hold."""
    step: float = 1.0
    """Energy per product from the 7th baseline month on (a product change)."""
    granularity: str = "month"
    investment_wan: float = 0.0
    measures: dict[str, str] = field(default_factory=dict)


RETROFITS = (
    DemoRetrofit(
        "mg-light-01",
        "1号轻烧窑反射窑改悬浮窑",
        "kiln.raw_coal",
        "ent.raw_coal",
        "kiln.light_burned_magnesia",
        saving=0.20,
        claim_factor=1.0,
        investment_wan=1850.0,
        measures={"kiln_before": "反射窑", "kiln_after": "悬浮窑", "fuel_before": "原煤"},
    ),
    DemoRetrofit(
        "mg-light-02",
        "2号轻烧窑余热回收改造",
        "kiln.raw_coal",
        "ent.raw_coal",
        "kiln.light_burned_magnesia",
        saving=0.15,
        claim_factor=2.0,
        investment_wan=620.0,
        measures={"kiln_before": "反射窑", "kiln_after": "反射窑（加装余热回收）"},
    ),
    DemoRetrofit(
        "mg-light-03",
        "3号轻烧窑燃烧系统改造",
        "kiln.natural_gas",
        "ent.natural_gas",
        "kiln.light_burned_magnesia",
        saving=0.15,
        claim_factor=1.0,
        step=1.5,
        investment_wan=480.0,
        measures={
            "kiln_before": "竖窑",
            "kiln_after": "竖窑（蓄热式燃烧）",
            "fuel_before": "天然气",
        },
    ),
    DemoRetrofit(
        "steel-int",
        "烧结环冷余热发电",
        "sintering.electricity",
        "ent.electricity",
        "sintering.sinter",
        saving=0.30,
        claim_factor=1.1,
        granularity="hour",
        investment_wan=9800.0,
        measures={"description": "烧结环冷机余热锅炉与汽轮发电机组，所发电力供烧结工序自用"},
    ),
)


def whole_months(grid: TimeGrid) -> list[int]:
    """The CST month starts of the whole months with data."""
    return [m for m in grid.months if m >= grid.start and grid.month_end(m) <= grid.end]


def _tce(quantity: float, unit: str, energy: str) -> float:
    return to_standard_coal(quantity, unit, energy).tce


def apply_retrofits(grid: TimeGrid, data: dict[str, EnterpriseData]) -> dict[str, float]:
    """Write the retrofits' effect into the generated series; the claimed saving [tce/a] of
    each retrofit by name (empty when the data are too short)."""
    months = whole_months(grid)
    if len(months) < MIN_MONTHS:
        return {}
    reporting = grid.hours >= months[13]
    changed = (grid.hours >= months[6]) & (grid.hours < months[12])
    claims: dict[str, float] = {}
    for case in RETROFITS:
        ent = data[case.enterprise]
        energy = ent.series[case.energy]
        before = energy.values.copy()
        energy.values[changed] *= case.step
        energy.values[reporting] *= case.step * (1 - case.saving)
        fence = ent.series[case.fence]
        if fence.register is None:
            fence.values += energy.values - before
        saved = float(
            (before[reporting] * case.step * case.saving)[energy.present[reporting]].sum()
        )
        item = energy.item
        per_year = _tce(saved, item.unit, str(item.energy_kind)) * 12 / (len(months) - 13)
        claims[case.name] = round(per_year * case.claim_factor, 1)
    return claims


def _month(start: int) -> str:
    return f"{cst_date(start):%Y-%m}"


def seed_retrofits(
    engine: Engine, enterprise_ids: dict[str, int], grid: TimeGrid, claims: dict[str, float]
) -> dict[str, int]:
    """Register the demo retrofits (when `apply_retrofits` made their data); ids by name."""
    months = whole_months(grid)
    out: dict[str, int] = {}
    if not claims:
        return out
    with engine.begin() as conn:
        for case in RETROFITS:
            enterprise_id = enterprise_ids[case.enterprise]
            codes = conn.execute(
                select(data_items.c.code, data_items.c.id).where(
                    data_items.c.enterprise_id == enterprise_id
                )
            ).all()
            ids = dict(codes)
            fields: dict[str, Any] = {
                "name": case.name,
                "mv_option": "B",
                "granularity": case.granularity,
                "energy_items": [ids[case.energy]],
                "product_item": ids[case.product],
                "baseline_from": _month(months[0]),
                "baseline_to": _month(months[11]),
                "installation_from": _month(months[12]),
                "installation_to": _month(months[12]),
                "reporting_from": _month(months[13]),
                "reporting_to": _month(months[-1]),
                "claimed_saving_tce": claims[case.name],
                "investment_wan": case.investment_wan,
                "measures": case.measures,
            }
            row = register.create(conn, Scope.all(), enterprise_id, fields, actor=ACTOR)
            out[case.name] = int(row["id"])
    return out


def month_sums(grid: TimeGrid, values: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Sums of an hourly series over the whole months (for checks)."""
    months = whole_months(grid)
    edges = [*months, grid.month_end(months[-1])]
    kept = np.where(present, values, 0.0)
    return np.asarray(
        [kept[(grid.hours >= lo) & (grid.hours < hi)].sum() for lo, hi in itertools.pairwise(edges)]
    )
