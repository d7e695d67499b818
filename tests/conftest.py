"""Shared fixtures: a migrated database on SQLite and on PostgreSQL.

Tests that take the ``engine`` fixture run once per backend. PostgreSQL tests use the real
server at ``NENGHAO_TEST_PG_URL`` (default: postgresql+psycopg://postgres@127.0.0.1:5432/postgres);
outside CI they are skipped with the reason printed when the server cannot be reached, in CI
(``CI=true``) an unreachable server is an error. Redis (the state shared by several API
nodes) follows the same rule, at ``NENGHAO_TEST_REDIS_URL`` (default redis://127.0.0.1:6379/0);
each test gets its own key prefix.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from databases import empty_pg_database, migrated_pg_database
from environment import IN_CI
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade

REDIS_URL = os.environ.get("NENGHAO_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# Apps built in tests parse uplink messages in the server process; the tests of the prepare
# workers switch them on themselves (a worker process per app would be slow and linger).
os.environ.setdefault("NENGHAO_UPLINK_PREPARE_WORKERS", "0")
# The monitor's schedule is on by default; apps built in tests run it only where a test asks
# (a background evaluation would race the test's own writes).
os.environ.setdefault("NENGHAO_MONITOR_ENABLED", "false")
# Likewise the database maintenance job (partitions, archive compression): its tests run it.
os.environ.setdefault("NENGHAO_MAINTENANCE_ENABLED", "false")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database file that each test copies."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A migrated PostgreSQL database for this test session, dropped at the end."""
    with migrated_pg_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty, migrated database on each backend."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "nenghao.db"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("pg_url")
    empty_pg_database(url)
    yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on an empty, migrated database (SQLite and PostgreSQL)."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The URL of a reachable Redis (skipped outside CI when there is none, an error in CI)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        if IN_CI:
            raise RuntimeError(f"Redis is required in CI but unreachable: {exc}") from exc
        pytest.skip(f"Redis not reachable at {REDIS_URL} (outside CI: skipped)")
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix of this test's own in Redis; its keys are deleted at the end."""
    import redis

    prefix = f"nenghao-test-{uuid.uuid4().hex[:10]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()
