"""Two real platforms (two `nenghao serve` processes on two PostgreSQL databases): Anshan,
the city, forwards to Liaoning, the province.

Through an outage of the province and a ``kill -9`` of the city while it forwards, every
reading the city stored arrives upstream exactly once: the same value and the same revision
per slot (an entry applied twice would have made a further revision of the corrected slot,
or undone the correction). A replayed member message and a member writing outside its
divisions are refused.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from federation_site import (
    CITY_MASTER,
    CREDIT_CODE,
    PROVINCE_MASTER,
    make_member,
    message,
    point_upstream,
    register,
    revisions,
)
from sqlalchemy import Engine, func, select

from databases import migrated_pg_database
from nenghao.federation.adapter import OutboxEntry
from nenghao.federation.nenghao_protocol import BATCH_PATH, batch_body
from nenghao.ingest.signing import signed_headers
from nenghao.standards.calendar import CST
from nenghao.store import devices
from nenghao.store.engine import make_engine
from nenghao.store.schema import federation_applied, federation_outbox, federation_upstream
from nenghao.store.scope import Scope

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
START_BOUND_S = 120  # a bound for a loaded machine, not a wait


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A `nenghao serve` process on `url`'s database, restartable on the same port."""

    def __init__(self, database_url: str, master: bytes, data_dir: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "NENGHAO_DATABASE_URL": database_url,
            "NENGHAO_DATA_DIR": data_dir,
            "NENGHAO_SECRET_KEY": master.decode(),
            "NENGHAO_MONITOR_ENABLED": "false",
            "NENGHAO_UPLINK_PREPARE_WORKERS": "0",
            "NENGHAO_UPLINK_RATE_PER_S": "1000",
            "NENGHAO_UPLINK_BURST": "1000",
            "NENGHAO_FEDERATION_INTERVAL_S": "0.2",
            "NENGHAO_FEDERATION_BATCH_RECORDS": "6",  # many small batches: a kill lands mid-way
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Server:
        command = [sys.executable, "-m", "nenghao.cli.main", "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(
            command, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + START_BOUND_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/api/v1", timeout=0.5).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.05)
        pytest.fail("the server did not start")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(30)
        self.process = None


def _wait_for(condition, what: str, bound_s: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + bound_s  # a bound, not a wait: returns as soon as it holds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"not within {bound_s} s: {what}")


def _count(engine: Engine, table) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _failures(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(federation_upstream.c.failures)).scalar_one())


@pytest.fixture
def platforms(tmp_path) -> Iterator[tuple[Engine, Engine, Server, Server]]:  # type: ignore[no-untyped-def]
    with ExitStack() as stack:
        city_url = stack.enter_context(migrated_pg_database())
        province_url = stack.enter_context(migrated_pg_database())
        city, province = make_engine(city_url), make_engine(province_url)
        stack.callback(city.dispose)
        stack.callback(province.dispose)
        (tmp_path / "c").mkdir()
        (tmp_path / "p").mkdir()
        upstream = Server(province_url, PROVINCE_MASTER, str(tmp_path / "p"))
        downstream = Server(city_url, CITY_MASTER, str(tmp_path / "c"))
        stack.callback(upstream.kill)
        stack.callback(downstream.kill)
        yield city, province, downstream, upstream


def _upload(city: Server, key_id: str, secret: str, body: bytes) -> None:
    headers = signed_headers(key_id, secret.encode(), "POST", "/api/v1/uplink", body)
    answer = httpx.post(f"{city.url}/api/v1/uplink", content=body, headers=headers, timeout=30)
    assert answer.status_code == 200, answer.text


def test_the_city_arrives_upstream_exactly_once_through_an_outage_and_a_kill(platforms) -> None:  # type: ignore[no-untyped-def]
    city, province, downstream, upstream = platforms
    key_id, secret = make_member(province, ["2103"])
    point_upstream(city, upstream.url, key_id, secret)
    with city.begin() as conn:
        enterprise = register(conn)
        device, device_secret = devices.issue(
            conn, Scope.all(), enterprise, master_key=CITY_MASTER, actor="test"
        )
    now = datetime.now(UTC)
    midnight = {"hour": 0, "minute": 0, "second": 0, "microsecond": 0}
    hour0 = (now - timedelta(days=3)).astimezone(CST).replace(**midnight)

    def send(hours: range, value: float) -> None:
        body = message(hours, value, key=device["key_id"], hour0=hour0, sent_at=now)
        _upload(downstream, device["key_id"], device_secret, body)

    downstream.start()  # the province is down: the city stores, and keeps the outbox
    for first in range(0, 24, 6):
        send(range(first, first + 6), 10.0)
    send(range(3, 4), 17.5)  # a correction: revision 2
    _wait_for(lambda: _failures(city) >= 1, "the city tried and failed")
    assert _count(city, federation_outbox) == 2 + 5  # register, item, five messages

    upstream.start()  # back: the city delivers after its backoff, in small batches
    for first in range(24, 48, 6):
        send(range(first, first + 6), 11.0)
    _wait_for(lambda: _count(province, federation_applied) >= 3, "delivery resumed")
    downstream.kill()  # kill -9 while batches are in flight
    downstream.start()
    _wait_for(lambda: _count(city, federation_outbox) == 0, "the outbox drained")

    city_series = revisions(city)
    assert len(city_series) == 48
    assert city_series[("ent.electricity", int(hour0.timestamp()) + 3 * 3600)] == (17.5, 2)
    assert revisions(province) == city_series  # every value and revision: each entry once

    # A replayed member message is refused; a member outside its divisions too.
    entries = [
        OutboxEntry(10**9, "month", {"credit_code": CREDIT_CODE, "month": 0, "items": []}, 1)
    ]
    body = batch_body(entries)
    headers = signed_headers(key_id, secret.encode(), "POST", BATCH_PATH, body)
    first = httpx.post(upstream.url + BATCH_PATH, content=body, headers=headers)
    assert first.status_code == 200, first.text
    replay = httpx.post(upstream.url + BATCH_PATH, content=body, headers=headers)
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "replayed_nonce"
    other_key, other_secret = make_member(province, ["210381"], name="海城市")
    headers = signed_headers(other_key, other_secret.encode(), "POST", BATCH_PATH, body)
    outside = httpx.post(upstream.url + BATCH_PATH, content=body, headers=headers)
    assert outside.status_code == 403
    assert outside.json()["error"]["code"] == "federation_outside_divisions"
