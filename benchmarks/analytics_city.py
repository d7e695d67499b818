"""Benchmark: analytics on a generated city of 150 enterprises x 40 items x hourly x 1 year.

Generates about 52.6 million hourly readings straight into the readings table (numpy, the
demo's bulk writer: executemany on SQLite, COPY on PostgreSQL), rebuilds the rollups in SQL,
then prints:

* city overview (the year's monthly totals by division and by industry): p50 / p95;
* one enterprise's daily series for the year: p50 / p95;
* the cost of keeping rollups current: batches of 1 000 hourly records (40 items x 25 hours
  of one enterprise) written alone vs written with ``apply_changes`` in the same
  transaction; overhead = extra time / time of the readings alone.

    .venv/bin/python benchmarks/analytics_city.py [--database-url URL] [--day-step 1]

``--day-step N`` writes every N-th day only (all items, all twelve months): a documented
fraction for slow loads. Without --database-url a temporary SQLite file is used; a PostgreSQL
database must be empty. Not a test: it prints figures for docs/performance.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine, func, insert, select

from nenghao.analytics import statistics as stats
from nenghao.analytics.items import Filters
from nenghao.analytics.periods import Period
from nenghao.demo.writer import HourlyBlock, write_readings
from nenghao.standards.calendar import cst_midnight
from nenghao.store.credit_code import make_credit_code
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade
from nenghao.store.rollups import ReadingChange, apply_changes, rebuild
from nenghao.store.schema import data_items, enterprises, readings
from nenghao.store.scope import Scope

YEAR = 2025
ENTERPRISES = 150
DIVISIONS = ("210302", "210303", "210304", "210311", "210321", "210323", "210381")
INDUSTRIES = ("3110", "3120", "3130", "3089", "2614", "2661", "3511", "4430")
FENCE = (  # (code, energy kind, unit, usage, measures, rate per hour)
    ("ent.electricity", "electricity", "kWh", "consumption", "energy", 4000.0),
    ("ent.raw_coal", "raw_coal", "t", "consumption", "energy", 1.2),
    ("ent.coke", "coke", "t", "consumption", "energy", 0.4),
    ("ent.natural_gas", "natural_gas", "m3", "consumption", "energy", 300.0),
    ("ent.heat", "heat", "GJ", "consumption", "energy", 5.0),
    ("ent.steam_out", "steam", "t", "export", "energy", 0.5),
    ("ent.diesel", "diesel", "t", "consumption", "energy", 0.01),
    ("ent.water", "fresh_water", "t", "consumption", "medium", 20.0),
)
PROCESS_KINDS = (("electricity", "kWh", 600.0), ("raw_coal", "t", 0.2), ("natural_gas", "m3", 40.0))


def _items() -> list[dict[str, Any]]:
    """The 40 hourly items of every enterprise: 8 fence, 30 process sub-meters, 2 products."""
    items = [
        {
            "code": c,
            "energy_kind": k,
            "unit": u,
            "usage": us,
            "measures": m,
            "rate": r,
            "boundary": "enterprise",
        }
        for c, k, u, us, m, r in FENCE
    ]
    for n in range(30):
        kind, unit, rate = PROCESS_KINDS[n % 3]
        items.append(
            {
                "code": f"p{n // 3}.{kind}",
                "energy_kind": kind,
                "unit": unit,
                "usage": "consumption",
                "measures": "energy",
                "rate": rate,
                "boundary": f"p{n // 3}",
            }
        )
    for n in range(2):
        items.append(
            {
                "code": f"p{n}.product",
                "measures": "product",
                "usage": "production",
                "unit": "t",
                "rate": 10.0,
                "boundary": f"p{n}",
                "product_code": "rolled_steel",
            }
        )
    return items


def generate(engine: Engine, day_step: int, progress: Callable[[str, int, int], None]) -> int:
    """Write the city; returns the number of readings."""
    specs = _items()
    item_ids: list[int] = []
    rates: list[float] = []
    with engine.begin() as conn:
        for e in range(ENTERPRISES):
            division = DIVISIONS[e % len(DIVISIONS)]
            enterprise = conn.execute(
                insert(enterprises).values(
                    credit_code=make_credit_code(division, f"MB{e:07d}"),
                    name=f"基准企业{e:03d}",
                    division_code=division,
                    industry_code=INDUSTRIES[e % len(INDUSTRIES)],
                    created_at=0,
                    updated_at=0,
                )
            ).inserted_primary_key[0]
            for spec in specs:
                values = {k: v for k, v in spec.items() if k != "rate"}
                row = conn.execute(
                    insert(data_items).values(
                        enterprise_id=enterprise,
                        name=spec["code"],
                        period="hour",
                        created_at=0,
                        **values,
                    )
                )
                item_ids.append(row.inserted_primary_key[0])
                rates.append(spec["rate"] * (0.5 + (e % 10) / 10))
            progress("catalogue", e + 1, ENTERPRISES)
    start = cst_midnight(date(YEAR, 1, 1))
    days = (date(YEAR + 1, 1, 1) - date(YEAR, 1, 1)).days
    hours = np.array(
        [start + 3600 * h for h in range(days * 24) if (h // 24) % day_step == 0], dtype=np.int64
    )
    rng = np.random.default_rng(2026)
    season = 1.0 + 0.2 * np.cos(2 * np.pi * (hours - start) / (days * 86400.0))
    values = np.asarray(rates)[:, None] * season[None, :]
    values *= rng.uniform(0.9, 1.1, size=values.shape)
    present = np.ones(values.shape, dtype=bool)
    block = HourlyBlock(item_ids, values, present, hours)
    return write_readings(engine, block, [], progress)


def _timings(run: Callable[[], Any], repeat: int) -> tuple[float, float]:
    run()  # warm-up (catalogue and factor caches)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)]


def rollup_overhead(engine: Engine, batches: int) -> tuple[float, float, float]:
    """(ms per batch readings only, ms per batch with apply_changes, overhead fraction)."""
    with engine.connect() as conn:
        first = conn.execute(select(func.min(enterprises.c.id))).scalar_one()
        ids = [
            row[0]
            for row in conn.execute(
                select(data_items.c.id).where(data_items.c.enterprise_id == first)
            )
        ]
        newest = conn.execute(
            select(func.max(readings.c.period_start)).where(readings.c.item_id.in_(ids))
        ).scalar_one()
    later = max(cst_midnight(date(YEAR + 1, 1, 1)), newest + 3600) + 86400 * 30
    plain, rolled = [], []
    for batch in range(2 * batches):
        base = later + batch * 25 * 3600
        rows = [
            {
                "item_id": i,
                "period": "hour",
                "period_start": base + 3600 * h,
                "value": 1.5,
                "source": "bench",
                "received_at": base,
            }
            for h in range(25)
            for i in ids
        ]
        with_rollups = batch % 2 == 1
        started = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(insert(readings), rows)
            if with_rollups:
                apply_changes(
                    conn,
                    (
                        ReadingChange(r["item_id"], "hour", r["period_start"], r["value"])
                        for r in rows
                    ),
                )
        (rolled if with_rollups else plain).append(time.perf_counter() - started)
    a, b = statistics.median(plain) * 1000, statistics.median(rolled) * 1000
    return a, b, (b - a) / a


def load(engine: Engine, day_step: int) -> None:
    """Generate the city with a progress display, rebuild the rollups, refresh statistics."""
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    ) as bar:
        tasks: dict[str, Any] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        started = time.perf_counter()
        count = generate(engine, day_step, progress)
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        with engine.begin() as conn:
            written = rebuild(conn)
        rolled = time.perf_counter() - started
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")  # planner statistics after the bulk load
            conn.commit()
    print(f"backend: {engine.dialect.name}; day step {day_step}")
    print(f"readings: {count:,} written in {loaded:.1f} s ({count / loaded:,.0f} rows/s)")
    print(f"rollups: {written:,} rows rebuilt in {rolled:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--day-step", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--measure-only", action="store_true", help="the database already holds the city"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        if not args.measure_only:
            load(engine, args.day_step)
        with engine.connect() as conn:
            p50, p95 = _timings(lambda: stats.overview(conn, Scope.all(), YEAR), args.repeat)
            print(
                f"city overview (monthly by division and industry): p50 {p50:.1f} ms, "
                f"p95 {p95:.1f} ms (target <= 100)"
            )
            firms = [row[0] for row in conn.execute(select(enterprises.c.id))]
            picks = random.Random(1)

            def daily() -> None:
                only = Filters(enterprise_id=picks.choice(firms))
                stats.series(conn, Scope.all(), Period.year(YEAR), "day", "enterprise", only)

            p50, p95 = _timings(daily, args.repeat)
            print(
                f"enterprise daily series (365 days): p50 {p50:.1f} ms, p95 {p95:.1f} ms "
                "(target <= 200)"
            )
        alone, both, overhead = rollup_overhead(engine, args.repeat)
        print(
            f"uplink batch of 1 000 hourly records: readings alone {alone:.1f} ms, with "
            f"apply_changes {both:.1f} ms: overhead {overhead:.1%} (target <= 20 %)"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
