"""Benchmark: the M&V of one retrofit on a year of hourly data (issue 18: ≤ 1 s).

Writes one enterprise with a kiln's hourly electricity and product output for 2025-01 ..
2026-12 (17 520 hours each; baseline 2025, installation 2026-01, reporting 2026-02 .. 12),
registers an hourly retrofit and times, over ``--runs`` runs:

* ``verify``: reading both periods (8 760 + 8 016 hours), the OLS baseline model with its
  criteria and step test, the avoided energy with its uncertainty;
* ``verification``: the same plus the answer the API sends (labels, series);

then prints p50 and the worst. Without --database-url a temporary SQLite file is used.

    .venv/bin/python benchmarks/retrofits.py [--database-url URL] [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, insert

from nenghao.demo.writer import HourlyBlock, write_readings
from nenghao.retrofits import register
from nenghao.retrofits.verification import verify
from nenghao.retrofits.views import verification
from nenghao.standards.calendar import cst_midnight
from nenghao.store.credit_code import make_credit_code
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade
from nenghao.store.rollups import rebuild
from nenghao.store.schema import data_items, enterprises
from nenghao.store.scope import Scope

HOUR = 3600


def _seed(engine: Engine) -> int:
    """The enterprise, its two items, two years of hourly readings and the retrofit."""
    start, end = cst_midnight(date(2025, 1, 1)), cst_midnight(date(2027, 1, 1))
    hours = np.arange(start, end, HOUR, dtype=np.int64)
    rng = np.random.default_rng(18)
    output = (
        20.0 * (1 + 0.3 * np.sin(np.arange(len(hours)) / 500.0)) * rng.normal(1, 0.05, len(hours))
    )
    electricity = 45.0 * output + 150.0 + rng.normal(0, 30.0, len(hours))
    electricity[hours >= cst_midnight(date(2026, 2, 1))] *= 0.8
    with engine.begin() as conn:
        enterprise = conn.execute(
            insert(enterprises).values(
                credit_code=make_credit_code("210381", "MA0BENCH0"),
                name="基准测试镁业有限公司",
                division_code="210381",
                industry_code="3089",
                active=True,
                created_at=start,
                updated_at=start,
            )
        ).inserted_primary_key[0]
        common = {
            "enterprise_id": enterprise,
            "boundary": "kiln",
            "period": "hour",
            "created_at": 0,
        }
        power = conn.execute(
            insert(data_items).values(
                code="kiln.electricity",
                name="窑电力",
                measures="energy",
                usage="consumption",
                energy_kind="electricity",
                unit="kWh",
                **common,
            )
        ).inserted_primary_key[0]
        made = conn.execute(
            insert(data_items).values(
                code="kiln.out",
                name="窑产量",
                measures="product",
                usage="production",
                unit="t",
                **common,
            )
        ).inserted_primary_key[0]
    values = np.vstack([electricity, output])
    block = HourlyBlock([power, made], values, np.ones_like(values, dtype=bool), hours)
    write_readings(engine, block, [], None)
    with engine.begin() as conn:
        rebuild(conn, [power, made])
        row = register.create(
            conn,
            Scope.all(),
            int(enterprise),
            {
                "name": "窑电机变频改造",
                "granularity": "hour",
                "energy_items": [power],
                "product_item": made,
                "baseline_from": "2025-01",
                "baseline_to": "2025-12",
                "installation_from": "2026-01",
                "installation_to": "2026-01",
                "reporting_from": "2026-02",
                "reporting_to": "2026-12",
                "claimed_saving_tce": 100.0,
            },
            actor="benchmark",
        )
    return int(row["id"])


def _time(engine: Engine, retrofit: int, runs: int, answer: bool) -> list[float]:
    out = []
    with engine.connect() as conn:
        for _ in range(runs):
            started = time.perf_counter()
            result = verify(conn, Scope.all(), retrofit)
            if answer:
                verification(result)
            out.append(time.perf_counter() - started)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'retrofits.db'}"
        engine = make_engine(url)
        upgrade(engine)
        retrofit = _seed(engine)
        with engine.connect() as conn:
            result = verify(conn, Scope.all(), retrofit)
        print(f"database: {engine.dialect.name}")
        print(
            f"points: baseline {result.fit.n} h, reporting {result.avoided.m} h; "
            f"CV(RMSE) {result.fit.cvrmse:.1%}, ρ {result.fit.rho:.2f}, "
            f"saving {result.avoided.annual_avoided:,.1f} ± "
            f"{result.avoided.uncertainty * result.avoided.annual_factor:,.1f} tce/a"
        )
        for label, answer in (("verify", False), ("verification (API answer)", True)):
            times = _time(engine, retrofit, args.runs, answer)
            print(
                f"{label}: p50 {statistics.median(times) * 1000:.0f} ms, "
                f"worst {max(times) * 1000:.0f} ms ({args.runs} runs)"
            )
        engine.dispose()


if __name__ == "__main__":
    main()
