"""Uplink over HTTP: signed 1,000-record messages against a real uvicorn server.

Measures, in one run:

- records/s sustained through ``POST /api/v1/uplink`` (signature, archive, validation,
  readings, rollups, durable commits) from a concurrent client (a minimal keep-alive
  HTTP/1.1 client on asyncio, signing every request with a fresh timestamp and nonce);
- a raw bulk insert of the same rows into the same kind of database (executemany, one
  commit per 1,000 rows, the same durability settings), for the ratio pipeline / raw;
- the server's resident memory during the load (VmRSS of the server process and all its
  descendants, e.g. the uplink prepare worker, sampled every 50 ms).

Usage::

    .venv/bin/python benchmarks/uplink_http.py                        # SQLite file
    .venv/bin/python benchmarks/uplink_http.py --database-url postgresql+psycopg://postgres@127.0.0.1/postgres

With a PostgreSQL URL, two scratch databases are created next to it and dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
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
from nenghao.ingest.signing import (
    KEY_HEADER,
    NONCE_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    body_digest,
    new_nonce,
    sign,
)
from nenghao.standards.calendar import add_months
from nenghao.store import devices, partitions
from nenghao.store.bulk import execute_arrays
from nenghao.store.credit_code import make_credit_code
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade
from nenghao.store.schema import data_items, enterprises, readings
from nenghao.store.scope import Scope

MASTER_KEY = "benchmark-master-key-0123456789abcdef"
ITEMS = 100
REGISTER_ITEMS = 2000
"""Meters of the register mode (``--registers``): the gateway benchmark's 2,000 points."""
CODE = make_credit_code("210302", "MA0BENCH1")
START = datetime(2020, 1, 1, tzinfo=UTC)
DATA_MONTHS = 12
"""Months from START that get readings partitions on PostgreSQL (migration 0020)."""


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
    with engine.begin() as conn:  # the data's months get partitions (else: the default one)
        for n in range(DATA_MONTHS):
            partitions.add_month(conn, "readings", add_months(START.date(), n))
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        admin.dispose()


def seed(engine: Engine, registers: bool = False) -> tuple[str, str, dict[str, int]]:
    """One enterprise with `item_count` hourly items and a device; (key id, secret, item ids).

    `registers`: cumulative-meter items (``value_kind`` register, a register maximum)."""
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
        kind = (
            {"value_kind": "register", "register_max": 99999999.99, "register_resolution": 0.01}
            if registers
            else {}
        )
        for i in range(item_count(registers)):
            ids[f"E{i:03d}"] = conn.execute(
                insert(data_items).values(
                    **kind,
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


def item_count(registers: bool) -> int:
    """Items of the enterprise: `ITEMS`, or `REGISTER_ITEMS` cumulative meters."""
    return REGISTER_ITEMS if registers else ITEMS


def messages(
    count: int, size: int, key_id: str, registers: bool = False
) -> list[tuple[bytes, list[tuple[str, int, float]]]]:
    """`count` message bodies of `size` distinct hourly records, and their (item, start, value).

    `registers`: each record is a cumulative reading (``register``, rising by the value each
    hour) of one of `REGISTER_ITEMS` meters, in the order a gateway drains its backlog (hour
    by hour, meter by meter), so a 1,000-record message holds one reading of 1,000 meters.
    """
    out = []
    per_hour = item_count(registers)
    for m in range(count):
        rows, records = [], []
        for r in range(size):
            slot = m * size + r
            hour = START + timedelta(hours=slot // per_hour)
            item = f"E{slot % per_hour:03d}"
            value = round(100.0 + (slot % 977) * 0.25, 2)
            record = {"item": item, "period": "hour", "start": hour.isoformat(), "unit": "kWh"}
            if registers:
                record["register"] = 1000.0 + (slot // per_hour) * 25.0 + slot % per_hour
            else:
                record["value"] = value
            records.append(record)
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
    """VmRSS of `pid` and all its descendants (children of any of their threads) [KiB]."""
    total, pending, seen = 0, [pid], set()
    while pending:
        p = pending.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
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


def start_server(
    url: str,
    workdir: Path,
    workers: int,
    app: str = "nenghao.app:create_app",
    monitor: bool = True,
) -> tuple[subprocess.Popen[bytes], str]:
    """The server; `monitor` False switches off the monitor in its process (its start-up
    catch-up over 2,000 meters would share the process with the uplink)."""
    port = free_port()
    env = {
        **os.environ,
        **({} if monitor else {"NENGHAO_MONITOR_ENABLED": "false"}),
        "NENGHAO_DATABASE_URL": url,
        "NENGHAO_DATA_DIR": str(workdir),
        "NENGHAO_SECRET_KEY": MASTER_KEY,
        "NENGHAO_UPLINK_RATE_PER_S": "1000000",
        "NENGHAO_UPLINK_BURST": "1000000",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(Path(__file__).parent), os.environ.get("PYTHONPATH")])
        ),
    }
    command = [
        sys.executable, "-m", "uvicorn", app, "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
        "--workers", str(workers), "--no-access-log",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # a loaded machine starts slowly
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/v1", timeout=1).status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


class Signer:
    """Signs each send afresh (new timestamp and nonce) with the body digests computed once.

    The canonical string is ``POST\\nPATH\\nTIMESTAMP\\nNONCE\\nhex(sha256(body))``; only the
    HMAC of that short string is left for the timed loop.
    """

    def __init__(self, key_id: str, secret: str, bodies: list[bytes]) -> None:
        self.key_id, self.secret = key_id, secret.encode()
        self.digests = {id(body): body_digest(body) for body in bodies}

    def headers(self, body: bytes) -> bytes:
        timestamp, nonce = int(time.time()), new_nonce()
        text = f"POST\n{HTTP_PATH}\n{timestamp}\n{nonce}\n{self.digests[id(body)]}"
        signature = hmac.new(self.secret, text.encode(), hashlib.sha256).hexdigest()
        return (
            f"{KEY_HEADER}: {self.key_id}\r\n{TIMESTAMP_HEADER}: {timestamp}\r\n"
            f"{NONCE_HEADER}: {nonce}\r\n{SIGNATURE_HEADER}: {signature}\r\n"
        ).encode()


async def load(
    base: str, bodies: list[bytes], signer: Signer, records: int, connections: int
) -> list[float]:
    """Send every body from `connections` keep-alive connections; per-message latencies [s].

    A minimal HTTP/1.1 client on asyncio streams (the load generator shares the machine with
    the server, so it should cost as little as possible): it writes the request, reads the
    status line, headers and ``Content-Length`` body, and checks that every record was
    accepted.
    """
    host, port = base.removeprefix("http://").split(":")
    pending = list(reversed(bodies))
    latencies: list[float] = []

    async def sender() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while pending:
                body = pending.pop()
                head = (
                    f"POST {HTTP_PATH} HTTP/1.1\r\nHost: {host}\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                ).encode()
                began = time.perf_counter()
                writer.writelines((head, signer.headers(body), b"\r\n", body))
                await writer.drain()
                status, length = _response_head(await reader.readuntil(b"\r\n\r\n"))
                answer = await reader.readexactly(length)
                latencies.append(time.perf_counter() - began)
                if status != 200:
                    raise RuntimeError(f"{status}: {answer[:300]!r}")
                if answer.count(b'"status":"accepted"') != records:
                    raise RuntimeError(f"not every record was accepted: {answer[:300]!r}")
        finally:
            writer.close()

    await asyncio.gather(*(sender() for _ in range(connections)))
    return latencies


def _response_head(head: bytes) -> tuple[int, int]:
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            return status, int(value)
    raise RuntimeError(f"no Content-Length in {lines[0]!r}")


def raw_insert(
    url: str, ids: dict[str, int], batches: list[list[tuple[str, int, float]]]
) -> dict[str, float]:
    """Rows/s of plain inserts of the same rows into empty ``readings``, one commit per batch.

    ``executemany``: the driver's executemany of a parameterised INSERT (the baseline of the
    ratio). On PostgreSQL also ``arrays``: one ``INSERT ... SELECT FROM unnest`` of binary
    column arrays per batch, the statement the pipeline itself uses there (the table is
    emptied in between).
    """
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
        total = sum(len(rows) for rows in prepared)
        began = time.perf_counter()
        for rows in prepared:
            with engine.begin() as conn:
                conn.exec_driver_sql(sql, rows)
        rates = {"executemany": total / (time.perf_counter() - began)}
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.exec_driver_sql("TRUNCATE readings")
            arrays = (
                "INSERT INTO readings (item_id, period, period_start, value, quality, source,"
                " revision, received_at) SELECT i, 'hour', s, v, 'good', 'http', 1, r FROM"
                " unnest(%b::integer[], %b::bigint[], %b::double precision[], %b::bigint[])"
                " AS t(i, s, v, r)"
            )
            began = time.perf_counter()
            for rows in prepared:
                with engine.begin() as conn:
                    execute_arrays(conn, arrays, rows)
            rates["arrays"] = total / (time.perf_counter() - began)
        return rates
    finally:
        engine.dispose()


def run(args: argparse.Namespace) -> dict[str, float]:
    """One measurement: fresh databases, a fresh server, the load, then the raw insert."""
    with tempfile.TemporaryDirectory(prefix="nenghao-bench-") as tmp:
        workdir = Path(tmp)
        with (
            database(args.database_url, workdir, "pipeline") as url,
            database(args.database_url, workdir, "raw") as raw_url,
        ):
            engine = make_engine(url)
            key_id, secret, _ids = seed(engine, args.registers)
            raw_engine = make_engine(raw_url)
            raw_ids = seed(raw_engine, args.registers)[2]
            raw_engine.dispose()
            prepared = messages(args.messages, args.records, key_id, args.registers)
            bodies = [body for body, _ in prepared]
            signer = Signer(key_id, secret, bodies)
            probe = bodies[0]
            assert signer.digests[id(probe)] == body_digest(probe)  # the shortcut signs alike
            assert (
                sign(secret.encode(), "POST", HTTP_PATH, 1, "n" * 16, probe)
                == hmac.new(
                    secret.encode(),
                    f"POST\n{HTTP_PATH}\n1\n{'n' * 16}\n{body_digest(probe)}".encode(),
                    hashlib.sha256,
                ).hexdigest()
            )
            app = (
                "uplink_app_without_rollups:create_app"
                if args.without_rollups
                else "nenghao.app:create_app"
            )
            server, base = start_server(url, workdir, args.workers, app, not args.registers)
            sampler = Sampler(server.pid)
            sampler.start()
            load_before = os.getloadavg()[0]
            try:
                asyncio.run(load(base, bodies[:2], signer, args.records, 1))  # warm-up
                began = time.perf_counter()
                latencies = asyncio.run(
                    load(base, bodies[2:], signer, args.records, args.connections)
                )
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
            if args.registers:  # each meter's latest reading awaits the next: no interval yet
                expected -= min(expected, item_count(True))
            if stored != expected:
                raise RuntimeError(f"{stored} readings stored, {expected} expected")
            raw_rates = raw_insert(raw_url, raw_ids, [rows for _, rows in prepared])
            load_after = os.getloadavg()[0]
    sent = (args.messages - 2) * args.records
    rate = sent / elapsed
    raw_rate = raw_rates["executemany"]
    figures = {
        "records_per_s": rate,
        "raw_rows_per_s": raw_rate,
        "ratio": rate / raw_rate,
        "peak_rss_mib": sampler.peak / 1024,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": sorted(latencies)[int(len(latencies) * 0.95) - 1] * 1000,
        "seconds": elapsed,
        "load": max(load_before, load_after),
    }
    if "arrays" in raw_rates:
        figures["raw_arrays_rows_per_s"] = raw_rates["arrays"]
        figures["ratio_arrays"] = rate / raw_rates["arrays"]
    return figures


def _line(name: str, figures: dict[str, float]) -> str:
    arrays = ""
    if "raw_arrays_rows_per_s" in figures:
        arrays = (
            f"  (raw with column arrays {figures['raw_arrays_rows_per_s']:,.0f} rows/s,"
            f" ratio {figures['ratio_arrays']:.0%})"
        )
    return (
        f"  {name:<8} pipeline {figures['records_per_s']:>8,.0f} records/s"
        f"  raw {figures['raw_rows_per_s']:>8,.0f} rows/s"
        f"  ratio {figures['ratio']:>4.0%}"
        f"  peak RSS {figures['peak_rss_mib']:>4.0f} MiB"
        f"  p50 {figures['p50_ms']:>4.0f} ms  p95 {figures['p95_ms']:>4.0f} ms"
        f"  load {figures['load']:.1f}" + arrays
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL server URL (default: SQLite file)")
    parser.add_argument("--messages", type=int, default=202, help="messages sent (2 warm up)")
    parser.add_argument("--records", type=int, default=1000, help="records per message")
    parser.add_argument("--connections", type=int, default=8, help="concurrent client senders")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--runs", type=int, default=3, help="measurements (medians printed)")
    parser.add_argument(
        "--without-rollups",
        action="store_true",
        help="serve uplink_app_without_rollups (measures what keeping rollups current costs)",
    )
    parser.add_argument(
        "--registers",
        action="store_true",
        help=f"register records: cumulative readings of {REGISTER_ITEMS} meters, gateway order",
    )
    args = parser.parse_args()
    backend = "PostgreSQL" if args.database_url else "SQLite (WAL, synchronous=FULL)"
    print(
        f"uplink over HTTP into {backend}: {args.messages - 2} messages x {args.records}"
        f" {'register ' if args.registers else ''}records, {args.connections} connections,"
        f" {args.workers} worker(s), {args.runs} run(s)"
    )
    runs = []
    for number in range(1, args.runs + 1):
        runs.append(run(args))
        print(_line(f"run {number}", runs[-1]), flush=True)
    medians = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    medians["peak_rss_mib"] = max(r["peak_rss_mib"] for r in runs)
    print(_line("median", medians) + "  (peak RSS: the largest of the runs)")


if __name__ == "__main__":
    main()
