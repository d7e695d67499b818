"""Every product's unit consumption in the demo city, recomputed from the raw readings.

The expected values are built here from the readings table and the coefficients read straight
from the reference data file (energy_kinds.toml), not through the accounting or analytics
code: per boundary, sum(quantity x kgce per unit) over the energy and medium items consumed,
minus the energy sent out, with the feedstock charged into the product (the coal charged into
coke ovens) left out; divided by the product's output. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, text

import nenghao.standards
from nenghao.analytics.periods import Period
from nenghao.analytics.unit_products import unit_products
from nenghao.demo import build_demo
from nenghao.store.scope import Scope

END = date(2025, 3, 9)
DAYS = 10
FIRST = END - timedelta(days=DAYS - 1)
KJ_PER_KGCE = 29_307.6  # 1 kgce = 7 000 kcal x 4.1868 kJ/kcal
TO_CANONICAL = {("t", "kg"): 1000.0, ("GJ", "MJ"): 1000.0}  # metered unit -> catalogue unit
SIGN = {"consumption": 1.0, "export": -1.0, "raw_material": 0.0, "production": 0.0}

ENERGY_KINDS = tomllib.loads(
    (Path(nenghao.standards.__file__).parent / "data" / "energy_kinds.toml").read_text("utf-8")
)


def _kgce_per_unit(kind: str, unit: str, heating_value: float | None, hv_unit: str | None):
    """kgce per metered unit: the measured heating value, else the tabulated coefficient."""
    entry = ENERGY_KINDS[kind]
    if heating_value is not None:
        assert hv_unit == f"kJ/{unit}", hv_unit
        return heating_value / KJ_PER_KGCE
    return entry["coefficient"]["value"] * TO_CANONICAL.get((unit, entry["unit"]), 1.0)


def _expected(engine: Engine) -> dict[tuple[int, int], dict[str, float]]:
    """(enterprise, product item) -> boundary kgce, feedstock kgce, output t, kgce/t."""
    cst = ZoneInfo("Asia/Shanghai")
    start = int(datetime(FIRST.year, FIRST.month, FIRST.day, tzinfo=cst).timestamp())
    end = int(datetime(END.year, END.month, END.day, tzinfo=cst).timestamp()) + 86_400
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT i.id, i.enterprise_id, i.boundary, i.measures, i.usage, i.energy_kind,"
                " i.unit, i.heating_value, i.heating_value_unit, SUM(r.value)"
                " FROM data_items i JOIN readings r ON r.item_id = i.id"
                " WHERE r.period_start >= :start AND r.period_start < :end"
                " AND i.measures IN ('energy', 'medium', 'product')"
                " GROUP BY i.id, i.enterprise_id, i.boundary, i.measures, i.usage,"
                " i.energy_kind, i.unit, i.heating_value, i.heating_value_unit"
            ),
            {"start": start, "end": end},
        ).all()
    kgce: defaultdict[tuple[int, str], float] = defaultdict(float)
    feedstock: defaultdict[tuple[int, str], float] = defaultdict(float)
    products = []
    for item, enterprise, boundary, measures, usage, kind, unit, hv, hv_unit, total in rows:
        if measures == "product":
            assert unit == "t"
            products.append((enterprise, item, boundary, float(total)))
            continue
        amount = float(total) * _kgce_per_unit(kind, unit, hv, hv_unit)
        kgce[(enterprise, boundary)] += SIGN[usage] * amount
        if usage == "raw_material":
            feedstock[(enterprise, boundary)] += amount
    return {
        (enterprise, item): {
            "kgce": kgce[(enterprise, boundary)],
            "feedstock_kgce": feedstock[(enterprise, boundary)],
            "output_t": output,
            "value": kgce[(enterprise, boundary)] / output,
        }
        for enterprise, item, boundary, output in products
    }


@pytest.fixture
def demo(engine: Engine, tmp_path):
    build_demo(engine, days=DAYS, end=END, manifest_dir=tmp_path)
    return engine


def test_every_product_matches_the_readings(demo: Engine) -> None:
    expected = _expected(demo)
    period = Period.parse(f"{FIRST.isoformat()}..{END.isoformat()}")
    seen = {}
    with demo.connect() as connection:
        ids = [r[0] for r in connection.execute(text("SELECT id FROM enterprises ORDER BY id"))]
        for enterprise in ids:
            for row in unit_products(connection, Scope.all(), enterprise, period)["rows"]:
                seen[(enterprise, row["item_id"])] = row
    assert set(seen) == set(expected)  # every product item of the city, and only those
    for key, want in expected.items():
        row = seen[key]
        assert row["output_t"] == pytest.approx(want["output_t"], rel=1e-9), row["item_code"]
        assert row["boundary_consumption_tce"] == pytest.approx(want["kgce"] / 1000, rel=1e-9)
        assert row["unit_consumption"] == pytest.approx(want["value"], rel=1e-9), row["item_code"]
        assert row["feedstock_excluded_tce"] == pytest.approx(want["feedstock_kgce"] / 1000)
    by_code = {seen[k]["product_code"]: want["value"] for k, want in expected.items()}
    # the coke ovens: the coal charged (1.32 and 1.35 t/t x 900 kgce/t) is feedstock, left out;
    # the process energy is near the sizing of the city file (about 118 and 143 kgce/t)
    assert by_code["coke_top_charged"] == pytest.approx(117.7, abs=1.0)
    assert by_code["coke_stamp_charged"] == pytest.approx(143.0, abs=1.0)
    coke = next(w for k, w in expected.items() if seen[k]["product_code"] == "coke_top_charged")
    assert coke["feedstock_kgce"] / coke["output_t"] == pytest.approx(1.32 * 900, rel=0.05)
    # March 2025: GB 21342-2013 was in force for coke (values not entered), not "no quota"
    for row in seen.values():
        if row["product_code"] in ("coke_top_charged", "coke_stamp_charged"):
            assert row["status"] == "quota_values_not_loaded"
            assert row["message"] == "GB 21342-2013 在效，限额值未录入"
        assert row["status"] != "no_quota_in_force", row["item_code"]
