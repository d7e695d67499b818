"""A database that is away, refuses, hangs, is locked or is full: 503 with ``Retry-After``
in the error shape, never a 500 or a hang; the server starts without it and recovers by
itself; nothing acknowledged is lost.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import PASSWORD, assert_error_shape, credit_code
from fastapi.testclient import TestClient
from fault_proxy import FaultProxy
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

from nenghao.app import create_app
from nenghao.config import Settings
from nenghao.ingest.signing import signed_headers
from nenghao.store.engine import make_engine
from nenghao.store.schema import data_items, uplink_archive

UPLINK = "/api/v1/uplink"


def _unavailable(response, code: str = "database_unavailable") -> dict:
    error = assert_error_shape(response, 503, code)
    assert int(response.headers["Retry-After"]) > 0
    return error


def _timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def _login(client: TestClient):
    return client.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})


def _uplink(client: TestClient, world) -> object:
    body = json.dumps(
        {
            "protocol": "nenghao-uplink/1",
            "credit_code": credit_code("a", "210302"),
            "device_id": world.key_id,
            "sent_at": "2024-05-01T10:00:00+08:00",
            "message_id": f"m-{time.monotonic_ns()}",
            "records": [
                {
                    "item": "E01",
                    "period": "hour",
                    "start": "2024-05-01T08:00:00+08:00",
                    "value": 5.0,
                    "unit": "kWh",
                }
            ],
        }
    ).encode()
    headers = signed_headers(world.key_id, world.device_secret.encode(), "POST", UPLINK, body)
    return client.post(UPLINK, content=body, headers=headers)


def _wait_for(call, timeout_s: float = 30.0):
    deadline = time.monotonic() + timeout_s
    while True:
        result = call()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.1)


def _fault_settings(url: str, data_dir: Path, **overrides) -> Settings:
    return Settings(
        database_url=url,
        data_dir=data_dir,
        database_connect_timeout_s=1,
        database_busy_timeout_s=1,
        request_timeout_s=4,
        uplink_retry_interval_s=0.2,
        **overrides,
    )


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """Short waits, so that each fault shows within seconds (used by ``world`` too)."""
    return _fault_settings(db_url, tmp_path)


@pytest.fixture
def proxied(db_url: str) -> Iterator[tuple[FaultProxy, str]]:
    """A fault proxy in front of the PostgreSQL server, and the URL through it."""
    url = make_url(db_url)
    proxy = FaultProxy((url.host or "127.0.0.1", url.port or 5432), mode="silent")
    yield proxy, url.set(port=proxy.port).render_as_string(hide_password=False)
    proxy.close()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_postgresql_away_hanging_or_refusing_then_back(proxied, world, settings) -> None:
    proxy, url = proxied
    settings = settings.model_copy(update={"database_url": url})
    app, started = _timed(lambda: create_app(settings))
    with TestClient(app, raise_server_exceptions=False) as client:
        # A server that accepts connections and never answers: the start does not wait
        # for it, and each request ends within the connect timeout.
        assert started < 5
        response, took = _timed(lambda: client.get("/api/v1/health"))
        _unavailable(response)
        assert took < 4, took
        _unavailable(_login(client))
        _unavailable(client.get("/api/v1/enterprises", headers=world.headers("admin")))
        _unavailable(_uplink(client, world))

        proxy.set_mode("refuse")
        _unavailable(client.get("/api/v1/health"))
        _unavailable(_login(client))

        # Back: the same server answers again without a restart.
        proxy.set_mode("forward")
        assert _wait_for(lambda: client.get("/api/v1/health").status_code == 200)
        assert _login(client).status_code == 200

        # Established connections that stop answering: the request deadline answers.
        proxy.set_mode("silent")
        response, took = _timed(
            lambda: client.get("/api/v1/enterprises", headers=world.headers("admin"))
        )
        assert response.status_code == 503, response.text
        assert_error_shape(response)
        assert took < settings.request_timeout_s + 3, took

        proxy.set_mode("forward")
        assert _wait_for(
            lambda: (
                client.get("/api/v1/enterprises", headers=world.headers("admin")).status_code == 200
            )
        )


def test_sqlite_database_that_cannot_be_opened(tmp_path) -> None:
    where = tmp_path / "not-a-file.db"
    where.mkdir()  # a directory where the database file should be
    settings = _fault_settings(f"sqlite:///{where}", tmp_path)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        _unavailable(client.get("/api/v1/health"))
        _unavailable(_login(client))


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.usefixtures("world")
def test_sqlite_write_lock_held_elsewhere(db_url, settings) -> None:
    other = sqlite3.connect(make_url(db_url).database, isolation_level=None)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        other.execute("BEGIN IMMEDIATE")  # another process writing for a long time
        response, took = _timed(lambda: _login(client))
        error = _unavailable(response)
        assert error["details"]["reason"] == "busy"
        assert took < 5, took
        other.execute("ROLLBACK")
        assert _login(client).status_code == 200
    other.close()


def _can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


@pytest.fixture
def small_disk(tmp_path) -> Iterator[Path]:
    """A 4 MiB tmpfs (root only), unmounted at the end."""
    if not _can_mount():
        pytest.skip("mounting a small disk needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_disk_full(db_url, engine, world, settings, small_disk) -> None:
    _add_item(engine, world.enterprise_ids["a"])
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    database = small_disk / "nenghao.db"
    shutil.copyfile(make_url(db_url).database, database)
    url = f"sqlite:///{database}"
    engine = make_engine(url)
    settings = settings.model_copy(update={"database_url": url, "storage_min_free_mb": 1})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.get("/api/v1/health").status_code == 200
        filler = small_disk / "filler"
        _fill(filler)
        health = client.get("/api/v1/health")
        error = _unavailable(health, "storage_degraded")
        assert error["details"]["storage"]["status"] == "degraded"
        archived = _count_archive(engine)
        answers = [_uplink(client, world) for _ in range(3)]
        logins = [_login(client) for _ in range(3)]
        for response in answers + logins:
            assert response.status_code == 503, response.text
            assert_error_shape(response)
        assert _count_archive(engine) == archived  # nothing half-stored
        filler.unlink()
        assert _wait_for(lambda: client.get("/api/v1/health").status_code == 200)
        assert _login(client).status_code == 200
        stored = _uplink(client, world)
        assert stored.status_code == 200, stored.text
        assert [r["status"] for r in stored.json()["results"]] == ["accepted"]
    engine.dispose()


def _fill(path: Path) -> None:
    """Write to `path` until the disk is full, to the last byte."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 512, 1):
            try:
                while os.write(fd, b"\0" * size):
                    pass
            except OSError:
                continue
    finally:
        os.close(fd)


def _add_item(engine, enterprise_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(data_items).values(
                enterprise_id=enterprise_id,
                code="E01",
                name="E01",
                measures="energy",
                usage="consumption",
                unit="kWh",
                period="hour",
                created_at=0,
            )
        )


def _count_archive(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(uplink_archive)).scalar_one()
