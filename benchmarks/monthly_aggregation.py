"""Benchmark: build the demo city, then convert and aggregate one year of its hourly data.

Prints the demo build time and row counts, and the time to compute monthly tce and CO2 by
division and industry for the last complete calendar year (target: under 2 s).

    .venv/bin/python benchmarks/monthly_aggregation.py [--database-url URL] [--runs 5]

Without --database-url a temporary SQLite database is used. With a PostgreSQL URL the
database must be empty (a fresh database is best); it is migrated and filled.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from nenghao.analytics.monthly import monthly_totals
from nenghao.demo import build_demo, demo_present
from nenghao.standards.calendar import month_start, starts_between, to_cst
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade
from nenghao.store.schema import readings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        if not demo_present(engine):
            started = time.perf_counter()
            summary = build_demo(engine, manifest_dir=Path(tmp))
            print(
                f"demo build: {time.perf_counter() - started:.1f} s, "
                f"{summary.enterprises} enterprises, {summary.items} items, "
                f"{summary.readings:,} readings"
            )
        with engine.connect() as conn:
            last = conn.execute(select(func.max(readings.c.period_start))).scalar_one()
        year = to_cst(last).year - 1
        bounds = starts_between("month", month_start(year, 1), month_start(year + 1, 1))
        bounds.append(month_start(year + 1, 1))
        with engine.connect() as conn:
            count = conn.execute(
                select(func.count())
                .where(readings.c.period_start >= bounds[0])
                .where(readings.c.period_start < bounds[-1])
            ).scalar_one()
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            totals = monthly_totals(engine, year)
            timings.append(time.perf_counter() - started)
        city = totals.city()
        print(f"backend: {engine.dialect.name}; year {year}; about {count:,} readings in the year")
        median = statistics.median(timings)
        print(
            f"monthly tce and CO2 by division and industry: median {median:.3f} s, "
            f"best {min(timings):.3f} s over {args.runs} runs (target < 2 s)"
        )
        print(
            f"city {year}: {city.sum() / 1e4:,.1f} 万tce, "
            f"{totals.city('tco2').sum() / 1e4:,.1f} 万tCO2; "
            f"{len(totals.by_division())} divisions, {len(totals.by_industry())} industries"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
