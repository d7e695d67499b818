"""Three API nodes (`nenghao serve` processes) on one PostgreSQL with Redis: a nonce replayed
on another node is refused, the per-device rate limit holds across nodes, and a node killed
with ``kill -9`` under load loses no acknowledged record.

The three nodes are started once for the module (in parallel), on a database of their own.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import Engine, func, select, text
from uplink_site import HOUR0, MASTER, Site, body, make_site

from environment import skip_outside_ci
from nenghao.ingest.signing import signed_headers
from nenghao.store import devices
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade
from nenghao.store.schema import readings, uplink_archive
from nenghao.store.scope import Scope

pytestmark = pytest.mark.slow
PG_ADMIN_URL = os.environ.get(  # as tests/conftest.py
    "NENGHAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PATH = "/api/v1/uplink"
NODES = 3
RATE_PER_S, BURST = 5.0, 10
RECORDS = 100


@dataclass
class Cluster:
    engine: Engine
    site: Site
    urls: list[str]
    servers: list[subprocess.Popen[bytes]]
    redis_prefix: str


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(url: str, redis_url: str, prefix: str, port: int, data_dir: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "NENGHAO_DATABASE_URL": url,
        "NENGHAO_DATA_DIR": data_dir,
        "NENGHAO_SECRET_KEY": MASTER.decode(),
        "NENGHAO_REDIS_URL": redis_url,
        "NENGHAO_REDIS_PREFIX": prefix,
        "NENGHAO_UPLINK_RATE_PER_S": str(RATE_PER_S),
        "NENGHAO_UPLINK_BURST": str(BURST),
        "NENGHAO_UPLINK_PREPARE_WORKERS": "0",  # three nodes on two cores: no extra workers
        "NENGHAO_UPLINK_RETRY_INTERVAL_S": "0.5",
        "NENGHAO_UPLINK_RETRY_MIN_AGE_S": "1",
    }
    command = [sys.executable, "-m", "nenghao.cli.main", "serve", "--port", str(port)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_listening(servers: list[subprocess.Popen], urls: list[str]) -> None:
    deadline = time.monotonic() + 120  # a bound for a loaded machine, not a wait
    waiting = set(range(len(urls)))
    while waiting and time.monotonic() < deadline:
        for i in list(waiting):
            if servers[i].poll() is not None:
                pytest.fail(f"node {i} exited with {servers[i].returncode} before it answered")
            try:
                if httpx.get(f"{urls[i]}/api/v1", timeout=0.5).status_code == 200:
                    waiting.discard(i)
            except httpx.HTTPError:
                pass
        time.sleep(0.05)
    if waiting:
        pytest.fail(f"nodes {sorted(waiting)} did not start within 120 s")


@pytest.fixture(scope="module")
def cluster(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            name = f"nenghao_nodes_{uuid.uuid4().hex[:10]}"
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        skip_outside_ci(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    upgrade(engine)
    site = make_site(engine)
    prefix = f"nenghao-test-{uuid.uuid4().hex[:10]}"
    data_dir = str(tmp_path_factory.mktemp("nodes"))
    ports = [_free_port() for _ in range(NODES)]
    servers = [_start(url, redis_url, prefix, port, data_dir) for port in ports]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        _wait_listening(servers, urls)
        yield Cluster(engine, site, urls, servers, prefix)
    finally:
        for server in servers:
            if server.poll() is None:
                server.terminate()
        for server in servers:
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _records(m: int, first_hour: datetime = HOUR0) -> list[dict]:
    first = first_hour - timedelta(hours=(m + 1) * RECORDS)
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


def _new_key(cluster: Cluster) -> tuple[str, bytes]:
    with cluster.engine.begin() as conn:
        issued = devices.issue(
            conn, Scope.all(), cluster.site.enterprise_id, master_key=MASTER, actor="test"
        )
    assert issued is not None
    return issued[0]["key_id"], issued[1].encode()


def test_a_nonce_replayed_on_another_node_is_refused(cluster: Cluster) -> None:
    site = cluster.site
    raw = body(site, *_records(0, HOUR0 + timedelta(hours=200)), message_id="replayed")
    headers = signed_headers(site.key_id, site.secret.encode(), "POST", PATH, raw)
    first = httpx.post(f"{cluster.urls[0]}{PATH}", content=raw, headers=headers, timeout=30)
    assert first.status_code == 200, first.text
    for url in cluster.urls[1:]:
        replay = httpx.post(f"{url}{PATH}", content=raw, headers=headers, timeout=30)
        assert replay.status_code == 401
        assert replay.json()["error"]["code"] == "replayed_nonce"
    with cluster.engine.connect() as conn:
        archived = select(func.count()).select_from(uplink_archive)
        assert conn.execute(archived.where(uplink_archive.c.message_id == "replayed")).scalar() == 1


def test_the_rate_limit_of_a_device_holds_across_the_nodes(cluster: Cluster) -> None:
    # burst 10, 5/s per device; dry runs draw on the limit and store nothing. Per process the
    # three nodes would admit 3 x 10 at once; shared, at most 10 + 5/s x the time taken.
    key_id, secret = _new_key(cluster)
    raw = body(cluster.site, *_records(0), message_id="rated", device_id=key_id, dry_run=True)
    answers = []
    clients = [httpx.Client(base_url=url, timeout=30) for url in cluster.urls]
    started = time.monotonic()
    for n in range(30):
        headers = signed_headers(key_id, secret, "POST", PATH, raw)
        answers.append(clients[n % NODES].post(PATH, content=raw, headers=headers).status_code)
    elapsed = time.monotonic() - started
    for client in clients:
        client.close()
    admitted = answers.count(200)
    assert set(answers) <= {200, 429}, answers
    assert answers.count(429) > 0
    assert admitted <= BURST + RATE_PER_S * elapsed + 1, (admitted, elapsed)
    assert admitted < 2 * BURST or elapsed > 2  # not one bucket per node


def _sender(url: str, site: Site, first: int, acked: dict, stop: threading.Event) -> None:
    m = first
    with httpx.Client(base_url=url, timeout=10) as client:
        while not stop.is_set():
            records = _records(m)
            raw = body(site, *records, message_id=f"load-{m}")
            headers = signed_headers(site.key_id, site.secret.encode(), "POST", PATH, raw)
            try:
                response = client.post(PATH, content=raw, headers=headers)
            except httpx.HTTPError:
                return  # the node died: what was not acknowledged may be lost
            if response.status_code == 200:
                statuses = {r["status"] for r in response.json()["results"]}
                assert statuses <= {"accepted", "duplicate"}
                acked[m] = records
            elif response.status_code == 429:
                time.sleep(float(response.headers["Retry-After"]) / 10)
            m += NODES


def test_kill_9_of_a_node_under_load_loses_no_acknowledged_record(cluster: Cluster) -> None:
    acked: dict[int, list] = {}
    stop = threading.Event()
    senders = [
        threading.Thread(target=_sender, args=(url, cluster.site, i, acked, stop))
        for i, url in enumerate(cluster.urls)
    ]
    for thread in senders:
        thread.start()
    deadline = time.monotonic() + 20
    while len(acked) < 9 and time.monotonic() < deadline:
        time.sleep(0.02)
    victim = cluster.servers[0]
    os.kill(victim.pid, signal.SIGKILL)  # mid-load: requests are in flight on it
    victim.wait(timeout=10)
    time.sleep(0.5)  # the other nodes go on under load a moment
    stop.set()
    for thread in senders:
        thread.join(timeout=30)
    assert len(acked) >= 5, "too few messages were acknowledged before the kill"
    held = select(uplink_archive.c.id).where(uplink_archive.c.status == "received")
    deadline = time.monotonic() + 30  # the surviving job-lock holder stores held messages
    while time.monotonic() < deadline:
        with cluster.engine.connect() as conn:
            if conn.execute(held).first() is None:
                break
        time.sleep(0.2)
    with cluster.engine.connect() as conn:
        stored = {
            (row.period_start, row.value)
            for row in conn.execute(select(readings.c.period_start, readings.c.value))
        }
        total = conn.execute(select(func.count()).select_from(readings)).scalar()
        assert conn.execute(held).first() is None
    assert total == len(stored)  # each slot once
    for records in acked.values():
        for r in records:
            start = int(datetime.fromisoformat(r["start"]).timestamp())
            assert (start, r["value"]) in stored
