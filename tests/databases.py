"""Databases of their own for tests: a new, migrated PostgreSQL database (the session's
``pg_url`` in tests/conftest.py, and fixtures that keep a database for a whole module)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, text

from environment import IN_CI
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade
from nenghao.store.schema import metadata

PG_ADMIN_URL = os.environ.get(
    "NENGHAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _pg_admin() -> Engine | None:
    engine = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        engine.dispose()
        if IN_CI:
            raise RuntimeError(f"PostgreSQL is required in CI but unreachable: {exc}") from exc
        return None
    return engine


@contextmanager
def migrated_pg_database() -> Iterator[str]:
    """The URL of a new, migrated PostgreSQL database of its own, dropped at the end
    (skipped outside CI when the server is not reachable)."""
    admin = _pg_admin()
    if admin is None:
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL} (outside CI: skipped)")
    name = f"nenghao_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# Rows go child tables first; DELETE rather than TRUNCATE, which gives each table a new file
# synced to disk (over a second a test on a busy disk, two to three times DELETE's time, see
# docs/performance.md); the commit need not wait for the disk either.
_EMPTY_TABLES = [f'DELETE FROM "{table.name}"' for table in reversed(metadata.sorted_tables)]
_RESTART_SEQUENCES = (
    "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, start_value, false)"
    " FROM pg_sequences WHERE schemaname = current_schema()"
)


def empty_pg_database(url: str) -> None:
    """Empty every table of the migrated PostgreSQL database at `url`; identities restart
    (what ``TRUNCATE ... RESTART IDENTITY`` does)."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("SET LOCAL synchronous_commit = off"))  # nothing to keep
        for statement in _EMPTY_TABLES:
            connection.execute(text(statement))
        connection.execute(text(_RESTART_SEQUENCES))
    engine.dispose()
