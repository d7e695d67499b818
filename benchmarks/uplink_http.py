"""Uplink over HTTP: signed 1,000-record messages against a real uvicorn server.

Measures, in one run:

- records/s sustained through ``POST /api/v1/uplink`` (signature, archive, validation,
  readings, rollups, durable commits) from a concurrent httpx client;
- a raw bulk insert of the same rows into the same kind of database (executemany, one
  commit per 1,000 rows, the same durability settings), for the ratio pipeline / raw;
- the server's resident memory during the load (VmRSS of the server process and its
  children, sampled every 50 ms).

Usage::

    .venv/bin/python benchmarks/uplink_http.py                        # SQLite file
    .venv/bin/python benchmarks/uplink_http.py --database-url postgresql+psycopg://postgres@127.0.0.1/postgres

With a PostgreSQL URL, two scratch databases are created next to it and dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.engine import make_url

from nenghao.ingest.protocol import HTTP_PATH, PROTOCOL
from nenghao.ingest.signing import signed_headers
from nenghao.store import devices
from nenghao.store.credit_code import make_credit_code
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade
from nenghao.store.schema import data_items, enterprises, readings
from nenghao.store.scope import Scope

MASTER_KEY = "benchmark-master-key-0123456789abcdef"
ITEMS = 100
CODE = make_credit_code("210302", "MA0BENCH1")
START = datetime(2020, 1, 1, tzinfo=UTC)


@contextmanager
def database(base_url: str | None, workdir: Path, name: str) -> Iterator[str]:
    """A fresh, migrated database: a SQLite file in `workdir`, or a scratch PostgreSQL one."""
    if base_url is None or make_url(base_url).get_backend_name() == "sqlite":
        url = f"sqlite:///{workdir / f'{name}.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    admin = make_engine(base_url, isolation_level="AUTOCOMMIT")
    scratch = f"nenghao_bench_{name}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{scratch}"'))
    url = make_url(base_url).set(database=scratch).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        admin.dispose()


def seed(engine: Engine) -> tuple[str, str, dict[str, int]]:
    """One enterprise with ITEMS hourly items and a device; (key id, secret, item ids)."""
    with engine.begin() as conn:
        enterprise_id = conn.execute(
            insert(enterprises).values(
                credit_code=CODE,
                name="基准测试企业",
                division_code="210302",
                industry_code="3110",
                created_at=0,
                updated_at=0,
            )
        ).inserted_primary_key[0]
        ids = {}
        for i in range(ITEMS):
            ids[f"E{i:03d}"] = conn.execute(
                insert(data_items).values(
                    enterprise_id=enterprise_id,
                    code=f"E{i:03d}",
                    name=f"电表 {i}",
                    measures="energy",
                    usage="consumption",
                    unit="kWh",
                    period="hour",
                    created_at=0,
                )
            ).inserted_primary_key[0]
        issued = devices.issue(
            conn, Scope.all(), enterprise_id, master_key=MASTER_KEY.encode(), actor="bench"
        )
    assert issued is not None
    row, secret = issued
    return row["key_id"], secret, ids


def messages(
    count: int, size: int, key_id: str
) -> list[tuple[bytes, list[tuple[str, int, float]]]]:
    """`count` message bodies of `size` distinct hourly records, and their (item, start, value)."""
    out = []
    per_hour = ITEMS
    for m in range(count):
        rows, records = [], []
        for r in range(size):
            slot = m * size + r
            hour = START + timedelta(hours=slot // per_hour)
            item = f"E{slot % per_hour:03d}"
            value = round(100.0 + (slot % 977) * 0.25, 2)
            records.append(
                {
                    "item": item,
                    "period": "hour",
                    "start": hour.isoformat(),
                    "value": value,
                    "unit": "kWh",
                }
            )
            rows.append((item, int(hour.timestamp()), value))
        body = {
            "protocol": PROTOCOL,
            "credit_code": CODE,
            "device_id": key_id,
            "sent_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "message_id": f"bench-{m}",
            "records": records,
        }
        out.append((json.dumps(body, separators=(",", ":")).encode(), rows))
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_kib(pid: int) -> int:
    """VmRSS of `pid` and its children [KiB]."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


class Sampler(threading.Thread):
    """Samples the server's RSS every 50 ms; `peak` in KiB."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, rss_kib(self.pid))
            time.sleep(0.05)


def start_server(url: str, workdir: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "NENGHAO_DATABASE_URL": url,
        "NENGHAO_DATA_DIR": str(workdir),
        "NENGHAO_SECRET_KEY": MASTER_KEY,
        "NENGHAO_UPLINK_RATE_PER_S": "1000000",
        "NENGHAO_UPLINK_BURST": "1000000",
    }
    command = [
        sys.executable, "-m", "uvicorn", "nenghao.api.app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
        "--workers", str(workers), "--no-access-log",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/v1", timeout=1).status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


async def load(
    base: str, bodies: list[bytes], key_id: str, secret: str, connections: int
) -> list[float]:
    """Send every body from `connections` concurrent senders; per-message latencies [s]."""
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:

        async def sender() -> None:
            while not queue.empty():
                body = queue.get_nowait()
                headers = signed_headers(key_id, secret.encode(), "POST", HTTP_PATH, body)
                headers["Content-Type"] = "application/json"
                began = time.perf_counter()
                response = await client.post(HTTP_PATH, content=body, headers=headers)
                latencies.append(time.perf_counter() - began)
                if response.status_code != 200:
                    raise RuntimeError(f"{response.status_code}: {response.text[:300]}")
                results = response.json()["results"]
                if any(r["status"] != "accepted" for r in results):
                    raise RuntimeError("a record was not accepted")

        await asyncio.gather(*(sender() for _ in range(connections)))
    return latencies


def raw_insert(url: str, ids: dict[str, int], batches: list[list[tuple[str, int, float]]]) -> float:
    """Rows/s of a plain executemany of the same rows, one commit per batch."""
    engine = make_engine(url)
    try:
        paramstyle = engine.dialect.paramstyle
        mark = "?" if paramstyle == "qmark" else "%s"
        sql = (
            "INSERT INTO readings (item_id, period, period_start, value, quality, source,"
            f" revision, received_at) VALUES ({mark}, 'hour', {mark}, {mark}, 'good', 'http', 1,"
            f" {mark})"
        )
        now = int(time.time())
        prepared = [[(ids[i], s, v, now) for i, s, v in batch] for batch in batches]
        began = time.perf_counter()
        for rows in prepared:
            with engine.begin() as conn:
                conn.exec_driver_sql(sql, rows)
        elapsed = time.perf_counter() - began
        return sum(len(rows) for rows in prepared) / elapsed
    finally:
        engine.dispose()


def run(args: argparse.Namespace) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="nenghao-bench-") as tmp:
        workdir = Path(tmp)
        with (
            database(args.database_url, workdir, "pipeline") as url,
            database(args.database_url, workdir, "raw") as raw_url,
        ):
            engine = make_engine(url)
            key_id, secret, _ids = seed(engine)
            raw_engine = make_engine(raw_url)
            raw_ids = seed(raw_engine)[2]
            raw_engine.dispose()
            prepared = messages(args.messages, args.records, key_id)
            bodies = [body for body, _ in prepared]
            server, base = start_server(url, workdir, args.workers)
            sampler = Sampler(server.pid)
            sampler.start()
            try:
                asyncio.run(load(base, bodies[:2], key_id, secret, 1))  # warm-up
                began = time.perf_counter()
                latencies = asyncio.run(load(base, bodies[2:], key_id, secret, args.connections))
                elapsed = time.perf_counter() - began
            finally:
                sampler.stop.set()
                sampler.join()
                server.terminate()
                server.wait(timeout=30)
            with engine.connect() as conn:
                stored = conn.execute(select(func.count()).select_from(readings)).scalar_one()
            engine.dispose()
            expected = args.messages * args.records
            if stored != expected:
                raise RuntimeError(f"{stored} readings stored, {expected} expected")
            raw_rate = raw_insert(raw_url, raw_ids, [rows for _, rows in prepared])
    sent = (args.messages - 2) * args.records
    rate = sent / elapsed
    return {
        "records_per_s": rate,
        "raw_rows_per_s": raw_rate,
        "ratio": rate / raw_rate,
        "peak_rss_mib": sampler.peak / 1024,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": sorted(latencies)[int(len(latencies) * 0.95) - 1] * 1000,
        "seconds": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL server URL (default: SQLite file)")
    parser.add_argument("--messages", type=int, default=202, help="messages sent (2 warm up)")
    parser.add_argument("--records", type=int, default=1000, help="records per message")
    parser.add_argument("--connections", type=int, default=4, help="concurrent client senders")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args()
    figures = run(args)
    backend = "PostgreSQL" if args.database_url else "SQLite (WAL, synchronous=FULL)"
    print(f"uplink over HTTP into {backend}: {args.messages - 2} messages x {args.records} records,"
          f" {args.connections} connections, {args.workers} worker(s)")  # fmt: skip
    latency = f"p50 {figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms per message"
    print(f"  pipeline        {figures['records_per_s']:>10,.0f} records/s  ({latency})")
    print(f"  raw insert      {figures['raw_rows_per_s']:>10,.0f} rows/s")
    print(f"  pipeline / raw  {figures['ratio']:>10.0%}")
    print(f"  server peak RSS {figures['peak_rss_mib']:>10.0f} MiB")


if __name__ == "__main__":
    main()
