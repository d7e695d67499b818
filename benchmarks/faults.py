"""Faults measured against a real server: what each answers and how long it takes.

Starts ``nenghao serve`` (uvicorn) on PostgreSQL through a fault proxy and measures:
- the start with the database hanging (accepts, never answers);
- the answer to /health, login and an authenticated list while it hangs or refuses;
- the time to recover once the database is back, without a restart;
- a stalled request body (408) and /health while 300 stalled uploads come from one address.

Prints one line per figure (docs/reliability.md). Needs PostgreSQL at
``NENGHAO_TEST_PG_URL`` (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres).

    .venv/bin/python benchmarks/faults.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, closing
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "api"))
from fault_proxy import FaultProxy

from nenghao.store import users
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade

ADMIN_URL = os.environ.get(
    "NENGHAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "Bench-fault-Pass-2026!"
STALLERS = 300


def _free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def _database() -> tuple[str, str]:
    admin = make_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"nenghao_faults_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        users.create(conn, username="bench-admin", password=PASSWORD, role="admin", actor="bench")
    engine.dispose()
    return name, url


def _drop(name: str) -> None:
    admin = make_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _serve(url: str, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "NENGHAO_DATABASE_URL": url,
        "NENGHAO_DATA_DIR": str(data_dir),
        "NENGHAO_DATABASE_CONNECT_TIMEOUT_S": "2",
        "NENGHAO_REQUEST_TIMEOUT_S": "10",
        "NENGHAO_REQUEST_BODY_TIMEOUT_S": "5",
        "NENGHAO_UPLINK_PREPARE_WORKERS": "0",
    }
    binary = Path(sys.executable).with_name("nenghao")
    command = [str(binary), "serve", "--port", str(port)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_listening(port: int, timeout_s: float = 60) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return time.monotonic() - started
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the server did not start")


def _line(label: str, status: object, seconds: float) -> None:
    print(f"{label:<58} {status!s:>5}  {seconds:6.2f} s", flush=True)


def _stall(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), source_address=("127.0.0.2", 0))
    sock.sendall(
        b'POST /api/v1/uplink HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"records"'
    )
    return sock


def main() -> None:
    name, url = _database()
    target = make_url(url)
    proxy = FaultProxy((target.host or "127.0.0.1", target.port or 5432), mode="silent")
    proxied = target.set(port=proxy.port).render_as_string(hide_password=False)
    port = _free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        server = _serve(url, Path(data_dir), port)
        _line("start with the database up (for comparison)", "-", _wait_listening(port))
        server.terminate()
        server.wait(timeout=30)
        server = _serve(proxied, Path(data_dir), port)
        try:
            _line("start with the database hanging (port open)", "-", _wait_listening(port))
            base = f"http://127.0.0.1:{port}/api/v1"
            with httpx.Client(base_url=base, timeout=60) as client:
                login = {"username": "bench-admin", "password": PASSWORD}
                for mode in ("silent", "refuse"):
                    proxy.set_mode(mode)
                    answer, took = _timed(lambda: client.get("/health"))
                    _line(f"database {mode}: GET /health", answer.status_code, took)
                    answer, took = _timed(lambda: client.post("/auth/login", json=login))
                    _line(f"database {mode}: POST /auth/login", answer.status_code, took)
                proxy.set_mode("forward")
                started = time.monotonic()
                while client.get("/health").status_code != 200:
                    time.sleep(0.1)
                _line("database back: first 200 from /health", 200, time.monotonic() - started)
                token = client.post("/auth/login", json=login).json()["token"]
                auth = {"Authorization": f"Bearer {token}"}
                proxy.set_mode("silent")  # established connections stop answering
                answer, took = _timed(lambda: client.get("/enterprises", headers=auth))
                _line("database hangs mid-session: GET /enterprises", answer.status_code, took)
                proxy.set_mode("forward")
                started = time.monotonic()
                while client.get("/enterprises", headers=auth).status_code != 200:
                    time.sleep(0.1)
                _line("database back: first 200 from /enterprises", 200, time.monotonic() - started)
                with ExitStack() as stack:
                    first = stack.enter_context(closing(_stall(port)))
                    first.settimeout(30)
                    started = time.monotonic()
                    head = first.recv(12)
                    _line("stalled body: answer", head[9:12].decode(), time.monotonic() - started)
                    for _ in range(STALLERS):
                        stack.enter_context(closing(_stall(port)))
                    worst = 0.0
                    for _ in range(20):
                        answer, took = _timed(lambda: client.get("/health"))
                        assert answer.status_code == 200
                        worst = max(worst, took)
                    _line(f"/health beside {STALLERS} stalled uploads: worst of 20", 200, worst)
        finally:
            server.terminate()
            server.wait(timeout=30)
            proxy.close()
            _drop(name)


if __name__ == "__main__":
    main()
