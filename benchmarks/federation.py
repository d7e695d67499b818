"""Forwarding a backlog to an upstream instance on the same machine: lag and throughput.

A city and a province on two PostgreSQL databases of their own. The city stores `--readings`
hourly readings (100 enterprises × 10 items) through the uplink's writer while an upstream is
configured, so the outbox fills exactly as it does in service (one entry per enterprise and
day: 240 readings); the province is a real ``nenghao`` server (uvicorn subprocess). The
forwarding job then drains the backlog with its default batches (200 entries, 20,000
readings). Prints:

- the cost of the outbox on the write path (up to four days of readings written without an
  upstream, then the backlog with one configured);
- the drain: time, readings/s, entries/s, batch latency p50/p95, which is the lag of the last
  reading of the backlog;
- the lag of one new entry once the backlog is gone (one forwarding round).

Needs PostgreSQL at ``NENGHAO_TEST_PG_URL`` (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres).

    .venv/bin/python benchmarks/federation.py --readings 100000
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, closing

import httpx
from sqlalchemy import Engine, func, select, text

from nenghao.federation.backfill import backfill
from nenghao.federation.forwarder import Forwarder
from nenghao.federation.nenghao_protocol import NenghaoProtocol
from nenghao.ingest.writer import write_entries
from nenghao.store import enterprises as enterprise_store
from nenghao.store import federation, items
from nenghao.store.credit_code import make_credit_code
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade
from nenghao.store.schema import readings
from nenghao.store.scope import Scope

ADMIN_URL = os.environ.get(
    "NENGHAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
CITY_MASTER = b"bench-city-master-key-32-bytes!!"
PROVINCE_MASTER = b"bench-prov-master-key-32-bytes!!"
ENTERPRISES, ITEMS_EACH = 100, 10
DAY0 = 1_704_038_400  # 2024-01-01 00:00 CST


def _free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _database(stack: ExitStack, admin: Engine, label: str) -> Engine:
    name = f"nenghao_bench_{label}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    stack.callback(drop)
    engine = make_engine(ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    stack.callback(engine.dispose)
    upgrade(engine)
    return engine


def _city(engine: Engine) -> list[list[int]]:
    """The enterprises and their items (ids), registered through the repositories."""
    ids: list[list[int]] = []
    with engine.begin() as conn:
        for e in range(ENTERPRISES):
            row = enterprise_store.create(
                conn,
                Scope.all(),
                {
                    "credit_code": make_credit_code("210302", f"MA0B{e:05d}"),
                    "name": f"基准企业{e}",
                    "division_code": "210302",
                    "industry_code": "3110",
                },
                actor="bench",
            )
            own = []
            for i in range(ITEMS_EACH):
                values = {
                    "name": f"计量点{i}",
                    "measures": "energy",
                    "energy_kind": "electricity",
                    "usage": "consumption",
                    "unit": "kWh",
                    "period": "hour",
                    "stage": "end_use",
                    "process": f"p{i}",
                }
                own.append(
                    items.create(
                        conn, Scope.all(), row["id"], values, actor="bench", approved=True
                    )["id"]
                )
            ids.append(own)
    return ids


def _write(engine: Engine, item_ids: list[list[int]], days: range) -> int:
    """Write every item's hourly readings for `days`, one transaction per enterprise and day
    (as one uplink message of 240 readings); the readings written."""
    count = 0
    for day in days:
        for own in item_ids:
            entries = [
                (0, item, "hour", DAY0 + day * 86400 + h * 3600, 10.0 + h, "good", None, None)
                for item in own
                for h in range(24)
            ]
            with engine.begin() as conn:
                write_entries(
                    conn,
                    entries,
                    source="http",
                    received_at=DAY0 + day * 86400 + 90000,
                    rolled_periods=dict.fromkeys(own, "hour"),
                )
            count += len(entries)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--readings", type=int, default=100_000)
    args = parser.parse_args()
    per_day = ENTERPRISES * ITEMS_EACH * 24
    days = max(1, args.readings // per_day)
    admin = make_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with ExitStack() as stack, tempfile.TemporaryDirectory() as data_dir:
        city = _database(stack, admin, "city")
        province = _database(stack, admin, "province")
        with province.begin() as conn:
            member, secret = federation.add_member(
                conn, "鞍山市", ["2103"], master_key=PROVINCE_MASTER, actor="bench"
            )
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "NENGHAO_DATABASE_URL": province.url.render_as_string(hide_password=False),
            "NENGHAO_DATA_DIR": data_dir,
            "NENGHAO_SECRET_KEY": PROVINCE_MASTER.decode(),
            "NENGHAO_MONITOR_ENABLED": "false",
            "NENGHAO_UPLINK_PREPARE_WORKERS": "0",
        }
        command = [sys.executable, "-m", "uvicorn", "nenghao.app:create_app", "--factory"]
        command += ["--port", str(port), "--log-level", "error"]
        server = subprocess.Popen(command, env=env)
        stack.callback(server.wait, 30)
        stack.callback(server.terminate)

        # The outbox on the write path: one day without, one day with an upstream.
        item_ids = _city(city)
        started = time.perf_counter()
        plain = _write(city, item_ids, range(0, min(days, 4)))  # the same days as below
        without = time.perf_counter() - started
        with city.begin() as conn:
            conn.execute(text("DELETE FROM readings"))
            conn.execute(text("DELETE FROM rollups"))
            conn.execute(text("DELETE FROM federation_outbox"))
            federation.set_upstream(
                conn,
                url=url,
                adapter="nenghao",
                key_id=member["key_id"],
                secret=secret,
                master_key=CITY_MASTER,
                actor="bench",
            )
        backfill(city)  # the register and the items (the readings were deleted)
        started = time.perf_counter()
        backlog = _write(city, item_ids, range(0, days))
        with_outbox = time.perf_counter() - started
        rate = plain / without
        print(f"city write, no upstream: {plain} readings in {without:.2f} s = {rate:,.0f}/s")
        print(
            f"city write, with outbox: {backlog} readings in {with_outbox:.2f} s ="
            f" {backlog / with_outbox:,.0f}/s (outbox entries: {ENTERPRISES * days})"
        )
        while True:  # the province answers
            try:
                if httpx.get(f"{url}/api/v1", timeout=0.5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        latencies: list[float] = []

        class Timed(NenghaoProtocol):
            def deliver(self, entries):  # type: ignore[no-untyped-def]
                began = time.perf_counter()
                super().deliver(entries)
                latencies.append(time.perf_counter() - began)

        forwarder = Forwarder(city, lambda: CITY_MASTER, adapters={"nenghao": Timed})
        started = time.perf_counter()
        delivered = forwarder.run_round(max_batches=1_000_000)
        drain = time.perf_counter() - started
        with province.connect() as conn:
            arrived = conn.execute(select(func.count()).select_from(readings)).scalar_one()
        assert arrived == backlog, (arrived, backlog)
        p50 = statistics.median(latencies)
        p95 = sorted(latencies)[int(0.95 * (len(latencies) - 1))]
        print(
            f"drain: {backlog} readings ({delivered} entries, {len(latencies)} batches) in"
            f" {drain:.1f} s = {backlog / drain:,.0f} readings/s, {delivered / drain:,.1f}"
            f" entries/s; batch p50 {p50:.2f} s, p95 {p95:.2f} s"
        )
        print(f"lag of the last reading of the backlog: {drain:.1f} s")
        latencies.clear()
        _write(city, item_ids[:1], range(days, days + 1))
        started = time.perf_counter()
        forwarder.run_round()
        print(
            f"lag of one new entry (240 readings) once drained: {time.perf_counter() - started:.2f}"
            " s plus the round interval (federation_interval_s, 2 s)"
        )


if __name__ == "__main__":
    main()
