"""How long the city's quota compliance takes on the demo city, against one unit-product
answer per enterprise.

Builds the demo city into a temporary SQLite file (``--days`` ending ``--end``) and prints
the seconds of `quota_compliance` for the whole city (one ledger) and of `unit_products`
called once per enterprise (one ledger each), with the number of rows.

    .venv/bin/python benchmarks/quota_compliance.py [--days 60] [--end 2026-11-30]

Not a test: it prints the figures.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from nenghao.analytics.periods import Period
from nenghao.analytics.quota_compliance import quota_compliance
from nenghao.analytics.unit_products import unit_products
from nenghao.demo import build_demo
from nenghao.demo.catalogue import ENTERPRISES
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade
from nenghao.store.scope import Scope


def measure(days: int, end: date, repeats: int = 3) -> None:
    """Print the best of ``repeats`` timings of both ways."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'demo.db'}")
        upgrade(engine)
        build_demo(engine, days=days, end=end, manifest_dir=tmp)
        period = Period.parse(f"{(end - timedelta(days=days - 1)).isoformat()}..{end}")
        today = end + timedelta(days=1)
        with engine.connect() as connection:
            city, rows = float("inf"), 0
            for _ in range(repeats):
                started = time.perf_counter()
                answer = quota_compliance(connection, Scope.all(), period, today=today)
                city = min(city, time.perf_counter() - started)
                rows = len(answer["rows"])
            each, count = float("inf"), 0
            for _ in range(repeats):
                started = time.perf_counter()
                count = sum(
                    len(unit_products(connection, Scope.all(), k, period)["rows"])
                    for k in range(1, len(ENTERPRISES) + 1)
                )
                each = min(each, time.perf_counter() - started)
        engine.dispose()
    print(f"enterprises: {len(ENTERPRISES)}, period {period.label}")
    print(f"quota_compliance (one ledger): {city:.3f} s, {rows} product rows")
    print(f"unit_products per enterprise:  {each:.3f} s, {count} product rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 11, 30))
    args = parser.parse_args()
    measure(args.days, args.end)


if __name__ == "__main__":
    main()
