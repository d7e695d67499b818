"""Benchmark: every data-quality and alert rule over the demo city, one day and one month.

Builds the default demo (two years of hourly data up to yesterday, or ``--days``/``--end``)
into a temporary SQLite database (or the empty, migrated database at ``--database-url``),
then times, best of ``--runs``:

* the quality evaluation alone (read, all rules, no writes) for the last day and the last
  complete month;
* the platform's monitor run (evaluation, storing events/tallies/scores, alerts, the
  analytics warning sources: unit-product consumption against quota Level 3, target
  progress) for the same day and month;
* the live checks (device contact, unrepaired outages).

It also prints recall and the false-positive rate against the demo manifest over the whole
range. Targets: one day <= 1 s, one month <= 10 s.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from nenghao.app.monitoring import build_monitor
from nenghao.config import Settings
from nenghao.demo import build_demo, load_manifest
from nenghao.monitor.evaluate import evaluate
from nenghao.monitor.labelled import compare
from nenghao.monitor.runner import day_window, month_window, run_window
from nenghao.monitor.series_checks import Window
from nenghao.standards.calendar import cst_date
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade
from nenghao.store.schema import data_items, enterprises


def best(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """(best, median) seconds of `runs` calls."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty, migrated database (default: SQLite)")
    parser.add_argument("--days", type=int, default=None, help="demo days (default 730)")
    parser.add_argument("--end", type=date.fromisoformat, default=None, help="last demo day")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = args.database_url or f"sqlite:///{Path(scratch) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        started = time.perf_counter()
        summary = build_demo(engine, days=args.days, end=args.end, manifest_dir=scratch)
        print(
            f"demo: {summary.readings:,} readings, {summary.items} items, "
            f"built in {time.perf_counter() - started:.1f} s ({engine.dialect.name})"
        )
        manifest = load_manifest(summary.manifest_path)
        last = cst_date(manifest.end_ts - 1)
        month_end = last.replace(day=1) - timedelta(days=1)
        as_of = manifest.end_ts + 3600
        day = day_window(last, as_of)
        month = month_window(month_end.year, month_end.month, as_of + 10 * 86_400)
        monitor = build_monitor(engine, Settings(database_url=url, data_dir=Path(scratch)))

        def read(window: Window) -> Callable[[], object]:
            def action() -> object:
                with engine.connect() as conn:
                    return evaluate(conn, window)

            return action

        rows = [
            ("evaluate one day (read, all rules)", read(day)),
            ("evaluate one month (read, all rules)", read(month)),
            (
                "monitor run, one day (store, alerts, sources)",
                lambda: monitor.run_day(last, as_of=as_of),
            ),
            (
                "monitor run, one month (store, score, alerts, sources)",
                lambda: monitor.run_month(month_end.year, month_end.month, as_of=month.as_of),
            ),
            ("live checks (contact, outages)", lambda: monitor.live(as_of=as_of)),
        ]
        print(f"{'figure':58} {'best s':>8} {'median s':>9}")
        for label, action in rows:
            low, mid = best(action, args.runs)
            print(f"{label:58} {low:8.3f} {mid:9.3f}")

        whole = Window(manifest.start_ts, manifest.end_ts, manifest.end_ts + 10 * 86_400)
        started = time.perf_counter()
        result = run_window(engine, whole)
        seconds = time.perf_counter() - started
        with engine.connect() as conn:
            items = {
                r.id: (r.credit_code, r.code)
                for r in conn.execute(
                    select(data_items.c.id, data_items.c.code, enterprises.c.credit_code).join(
                        enterprises, enterprises.c.id == data_items.c.enterprise_id
                    )
                )
            }
            firms = dict(conn.execute(select(enterprises.c.id, enterprises.c.credit_code)).all())
        found = compare(
            result.evaluation.events,
            manifest.faults,
            items,
            firms,
            len(result.evaluation.item_days),
            whole.start,
        )
        print(
            f"whole range ({manifest.days} days) evaluated and stored in {seconds:.1f} s: "
            f"recall {found.recall:.0%} ({found.faults - len(found.missed)}/{found.faults}), "
            f"false-positive rate {found.false_positive_rate:.4%} "
            f"({found.flagged_item_days} of {found.evaluated_item_days} item-days)"
        )
        for event in found.unexplained[:20]:
            print(f"  unexplained: {event.rule} {event.message}")
        for fault in found.missed:
            print(f"  missed: {fault.kind} {fault.credit_code} {fault.item_code}")
        engine.dispose()


if __name__ == "__main__":
    main()
