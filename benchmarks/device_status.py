"""Benchmark: the city's device-status page for 1 000 enterprises x 10 items.

Builds 1 000 enterprises in seven divisions, each with 10 automatically collected items (six
15-minute, three hourly, one daily: 649 records a day), and writes `--days` days of readings
up to now (default 31: about 20 million rows) straight into the readings table, with gaps:
every tenth enterprise has been silent for the last five days, every seventh misses a fifth
of its 15-minute records every third day. The rollups and the status counters are then
rebuilt in SQL (the path a bulk load takes; the uplink keeps them in its own transaction),
the counters are checked against a count of the readings from scratch, and it prints the p50
and p95 over `--repeat` requests (default 50) through the HTTP API (authentication, JSON) of:

* ``GET /api/v1/status/enterprises`` (first page of 50, the whole city computed);
* ``GET /api/v1/status/districts`` (the district grid);
* ``GET /api/v1/enterprises/{id}/status`` (one enterprise, 30 days).

    .venv/bin/python benchmarks/device_status.py [--database-url URL] [--days 31]

Without --database-url a temporary SQLite file is used; a PostgreSQL database must be empty.
Not a test: it prints figures for docs/performance.md. Target: p95 <= 200 ms for the city.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, insert, select

from nenghao.app import create_app
from nenghao.config import Settings
from nenghao.standards.calendar import CST_OFFSET_S, DAY_S, cst_date, cst_midnight
from nenghao.store import tokens, users
from nenghao.store.credit_code import make_credit_code
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade
from nenghao.store.rollups import rebuild
from nenghao.store.schema import data_items, enterprises, readings, status_days

ENTERPRISES = 1000
DIVISIONS = ("210302", "210303", "210304", "210311", "210321", "210323", "210381")
ITEMS = (("15min", 900),) * 6 + (("hour", 3600),) * 3 + (("day", DAY_S),)


def build(engine: Engine, days: int, now: int) -> tuple[list[int], int]:
    """The enterprises and items (registered `days` days ago); their ids and the item count."""
    first = cst_midnight(cst_date(now) - timedelta(days=days - 1))
    ids = []
    with engine.begin() as conn:
        for e in range(ENTERPRISES):
            division = DIVISIONS[e % len(DIVISIONS)]
            enterprise = conn.execute(
                insert(enterprises).values(
                    credit_code=make_credit_code(division, f"DT{e:07d}"),
                    name=f"状态基准企业{e:04d}",
                    division_code=division,
                    industry_code="3110",
                    created_at=0,
                    updated_at=0,
                )
            ).inserted_primary_key[0]
            ids.append(enterprise)
            conn.execute(
                insert(data_items),
                [
                    {
                        "enterprise_id": enterprise,
                        "code": f"E{n:02d}",
                        "name": f"电力{n:02d}",
                        "measures": "energy",
                        "energy_kind": "electricity",
                        "usage": "consumption",
                        "boundary": "enterprise",
                        "unit": "kWh",
                        "period": period,
                        "created_at": first - DAY_S,
                    }
                    for n, (period, _step) in enumerate(ITEMS)
                ],
            )
    return ids, first


def rows_of(conn: Any, first: int, days: int, now: int) -> Any:
    """(item id, period, start, received at) of every reading to write, one day at a time."""
    items = conn.execute(
        select(data_items.c.id, data_items.c.enterprise_id, data_items.c.period)
    ).all()
    rank = {e: n for n, e in enumerate(sorted({row.enterprise_id for row in items}))}
    for day in range(days):
        lo = first + day * DAY_S
        for item_id, enterprise_id, period in items:
            n = rank[enterprise_id]
            if n % 10 == 0 and day >= days - 5:
                continue
            step = dict(ITEMS)[period]
            starts = np.arange(lo, min(lo + DAY_S, now - step + 1), step, dtype=np.int64)
            if period == "day" and lo + DAY_S > now:
                continue
            if n % 7 == 0 and day % 3 == 0 and period == "15min":
                starts = starts[starts % (5 * step) != 0]
            for start in starts.tolist():
                yield item_id, period, start, start + step


def write(engine: Engine, first: int, days: int, now: int) -> int:
    """Write the readings (executemany on SQLite, COPY on PostgreSQL); returns the count."""
    count = 0
    raw = engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        with engine.connect() as conn:
            source = rows_of(conn, first, days, now)
            if engine.dialect.name == "postgresql":
                with (
                    driver.cursor() as cursor,
                    cursor.copy(
                        "COPY readings (item_id, period, period_start, value, quality, source,"
                        " revision, received_at) FROM STDIN"
                    ) as copy,
                ):
                    buffer = io.StringIO()
                    for item_id, period, start, received in source:
                        buffer.write(
                            f"{item_id}\t{period}\t{start}\t1\tgood\tbench\t1\t{received}\n"
                        )
                        count += 1
                        if count % 500_000 == 0:
                            copy.write(buffer.getvalue())
                            buffer = io.StringIO()
                    copy.write(buffer.getvalue())
            else:
                cursor = driver.cursor()
                cursor.executemany(
                    "INSERT INTO readings (item_id, period, period_start, value, quality, source,"
                    " revision, received_at) VALUES (?, ?, ?, 1.0, 'good', 'bench', 1, ?)",
                    _counted(source, lambda: None),
                )
                count = cursor.execute("SELECT COUNT(*) FROM readings").fetchone()[0]
        driver.commit()
    finally:
        raw.close()
    return count


def _counted(rows: Any, tick: Callable[[], None]) -> Any:
    for row in rows:
        tick()
        yield row


def check(engine: Engine) -> bool:
    """Whether the counters equal a count of the readings from scratch."""
    day = (readings.c.period_start + CST_OFFSET_S) / DAY_S
    with engine.connect() as conn:
        scratch = conn.execute(
            select(data_items.c.enterprise_id, func.floor(day), func.count())
            .join(data_items, data_items.c.id == readings.c.item_id)
            .group_by(data_items.c.enterprise_id, func.floor(day))
        ).all()
        kept = conn.execute(select(status_days)).all()
    expected = {(e, int(d) * DAY_S - CST_OFFSET_S): n for e, d, n in scratch}
    return expected == {(e, d): n for e, d, n in kept}


def timings(run: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """(p50, p95) in ms of `repeat` runs after one warm-up."""
    run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--days", type=int, default=31)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument(
        "--monitor",
        action="store_true",
        help="run the monitor's start-up catch-up in the same process while measuring",
    )
    args = parser.parse_args()
    now = int(time.time())
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        started = time.perf_counter()
        ids, first = build(engine, args.days, now)
        count = write(engine, first, args.days, now)
        written = time.perf_counter() - started
        started = time.perf_counter()
        with engine.begin() as conn:
            rebuild(conn)
            user = users.create(
                conn, username="bench", password="bench-pass-1", role="regulator", actor="bench"
            )
            token = tokens.issue(conn, user["id"], 60).token
        rebuilt = time.perf_counter() - started
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
        print(f"backend: {engine.dialect.name}; {ENTERPRISES} enterprises x {len(ITEMS)} items")
        print(f"readings: {count:,} over {args.days} days written in {written:.1f} s")
        print(f"rollups and status counters rebuilt in {rebuilt:.1f} s")
        print(f"counters equal a count from scratch: {'yes' if check(engine) else 'NO'}")
        settings = Settings(database_url=url, data_dir=Path(tmp), monitor_enabled=args.monitor)
        app = create_app(settings, engine)
        print(f"monitor in the same process: {'yes' if args.monitor else 'no'}")
        headers = {"Authorization": f"Bearer {token}"}
        with TestClient(app) as client:

            def get(path: str) -> Callable[[], Any]:
                def run() -> Any:
                    answer = client.get(path, headers=headers)
                    assert answer.status_code == 200, answer.text
                    return answer.json()

                return run

            listing = get("/api/v1/status/enterprises?page_size=50")()
            grid = get("/api/v1/status/districts")()["districts"]
            states = {s: sum(d[s] for d in grid) for s in ("online", "offline_long", "never")}
            print(f"city: {listing['total']} enterprises; states {states}")
            for label, path in (
                ("city status list (page of 50)", "/api/v1/status/enterprises?page_size=50"),
                ("district grid", "/api/v1/status/districts"),
                ("one enterprise, 30 days", f"/api/v1/enterprises/{ids[1]}/status"),
            ):
                p50, p95 = timings(get(path), args.repeat)
                print(f"{label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms (target <= 200)")
        engine.dispose()


if __name__ == "__main__":
    main()
