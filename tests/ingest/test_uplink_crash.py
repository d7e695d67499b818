"""Crash test: kill -9 a real server under load; every acknowledged record survives, once.

A uvicorn subprocess serves a SQLite file; a client sends signed messages and remembers
what was acknowledged; the server is killed (SIGKILL) mid-load and started again (which
re-processes archives left ``received``); then each acknowledged record must be stored
exactly once with its value, and no archive may be left unprocessed. Bounded in time.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from uplink_site import HOUR0, MASTER, body, make_site

from nenghao.ingest.signing import signed_headers
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade
from nenghao.store.schema import readings, uplink_archive

RECORDS = 200
PATH = "/api/v1/uplink"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "NENGHAO_DATABASE_URL": f"sqlite:///{db}",
        "NENGHAO_DATA_DIR": str(db.parent),
        "NENGHAO_SECRET_KEY": MASTER.decode(),
        "NENGHAO_UPLINK_RATE_PER_S": "100000",
        "NENGHAO_UPLINK_BURST": "100000",
        "NENGHAO_UPLINK_PREPARE_WORKERS": "1",  # as in production: parsed in a worker
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "nenghao.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "error",
    ]
    server = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90  # a bound for a loaded machine, not a wait
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server exited with {server.returncode} before it answered")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1", timeout=0.5).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.05)
    server.kill()
    pytest.fail("the server did not start within 90 s")


def _records(m: int) -> list[dict]:
    first = HOUR0 - timedelta(hours=(m + 1) * RECORDS)
    return [
        {
            "item": "E01",
            "period": "hour",
            "start": (first + timedelta(hours=h)).isoformat(),
            "value": float(m * RECORDS + h),
            "unit": "kWh",
        }
        for h in range(RECORDS)
    ]


def _sender(base: str, site, first: int, acked: dict[int, list], stop: threading.Event) -> None:
    m = first
    with httpx.Client(base_url=base, timeout=5) as client:
        while not stop.is_set():
            records = _records(m)
            raw = body(site, *records, message_id=f"crash-{m}")
            headers = signed_headers(site.key_id, site.secret.encode(), "POST", PATH, raw)
            try:
                response = client.post(PATH, content=raw, headers=headers)
            except httpx.HTTPError:
                return  # the server died: what was not acknowledged may be lost
            if response.status_code == 200:
                assert {r["status"] for r in response.json()["results"]} <= {
                    "accepted",
                    "duplicate",
                }
                acked[m] = records
            m += 2


@pytest.mark.slow
def test_kill_9_during_load_loses_no_acknowledged_record(tmp_path) -> None:
    db = tmp_path / "crash.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    site = make_site(engine)
    port = _port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(db, port)
    acked: dict[int, list] = {}
    stop = threading.Event()
    senders = [
        threading.Thread(target=_sender, args=(base, site, first, acked, stop)) for first in (0, 1)
    ]
    for thread in senders:
        thread.start()
    deadline = time.monotonic() + 8
    while len(acked) < 15 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(server.pid, signal.SIGKILL)  # mid-load: requests are in flight
    server.wait(timeout=10)
    stop.set()
    for thread in senders:
        thread.join(timeout=10)
    assert len(acked) >= 5, "too few messages were acknowledged before the kill"

    server = _serve(db, port)  # the restart re-processes archives left "received"
    try:
        _wait_until_none_held(engine)
        with engine.connect() as conn:
            stored = {
                (row.period_start, row.value)
                for row in conn.execute(select(readings.c.period_start, readings.c.value))
            }
            statuses = {row.status for row in conn.execute(select(uplink_archive.c.status))}
            total = conn.execute(select(readings.c.period_start)).all()
    finally:
        server.terminate()
        server.wait(timeout=10)
        engine.dispose()
    assert len(total) == len(stored)  # each slot once
    for records in acked.values():
        for r in records:
            start = int(datetime.fromisoformat(r["start"]).timestamp())
            assert (start, r["value"]) in stored
    assert "received" not in statuses


def _wait_until_none_held(engine, timeout_s: float = 60.0) -> None:
    """Wait for the restarted server's background round over the held messages."""
    deadline = time.monotonic() + timeout_s
    held = select(uplink_archive.c.id).where(uplink_archive.c.status == "received")
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            if conn.execute(held).first() is None:
                return
        time.sleep(0.1)


def test_the_prepare_worker_exits_with_a_killed_server(tmp_path) -> None:
    """Nothing stops a killed server's workers, so they watch it and exit on their own."""
    db = tmp_path / "watched.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    site = make_site(engine)
    engine.dispose()
    port = _port()
    server = _serve(db, port)
    try:
        raw = body(site, *_records(0), message_id="watched-0")  # starts the worker
        headers = signed_headers(site.key_id, site.secret.encode(), "POST", PATH, raw)
        response = httpx.post(f"http://127.0.0.1:{port}{PATH}", content=raw, headers=headers)
        assert response.status_code == 200, response.text
        workers = [
            int(pid)
            for task in Path(f"/proc/{server.pid}/task").iterdir()
            for pid in (task / "children").read_text().split()
            if b"multiprocessing.spawn" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        assert workers, "the server started no prepare worker"
    finally:
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.2)
    assert not any(Path(f"/proc/{w}").exists() for w in workers)
