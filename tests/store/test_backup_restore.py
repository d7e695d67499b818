"""Backup and restore as docs/deployment.md describes it, with the real pg_dump and
pg_restore: a custom-format dump of a small database restored into a fresh one has the same
rows in every table (partitions included), the same schema revision, and takes new writes."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url

from databases import PG_ADMIN_URL, migrated_pg_database
from factories import add_enterprise, add_item, utc
from nenghao.store import archive, partitions
from nenghao.store.engine import make_engine
from nenghao.store.migrate import current_revision, head_revision
from nenghao.store.schema import metadata

TOOLS = ("pg_dump", "pg_restore")
pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in TOOLS),
    reason="pg_dump/pg_restore not installed (apt-get install postgresql-client)",
)

JANUARY_2025 = utc(2024, 12, 31, 16)  # 2025-01-01 00:00 CST


def _libpq(url: str) -> str:
    """The URL as the PostgreSQL tools take it (no SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        counts = {
            table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in metadata.sorted_tables
        }
        counts["partitions"] = len(partitions.describe(conn))
    return counts


def _fill(engine: Engine) -> None:
    """An enterprise, an item, two CST months of hourly readings in their partitions and
    one archived message."""
    with engine.begin() as conn:
        for month in (1, 2):
            partitions.add_month(conn, "readings", date(2025, month, 1))
        enterprise = add_enterprise(conn, "BACKA0001", "210302", "3110")
        item = add_item(conn, enterprise, "E", unit="kWh", energy_kind="electricity")
        conn.execute(
            text(
                "INSERT INTO readings (item_id, period, period_start, value, source,"
                " received_at) VALUES (:i, 'hour', :s, 2.5, 'test', :s)"
            ),
            [{"i": item, "s": JANUARY_2025 + 3600 * h} for h in range(24 * 40)],
        )
        archive.add(
            conn,
            body=b'{"x": 1}',
            channel="http",
            enterprise_id=enterprise,
            actor="k",
            received_at=JANUARY_2025,
            status="processed",
        )


def test_a_dump_restored_into_a_fresh_database_has_every_row(tmp_path: Path) -> None:
    with migrated_pg_database() as url:
        source = make_engine(url)
        _fill(source)
        before = _counts(source)
        source.dispose()
        dump = tmp_path / "nenghao.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", f"--file={dump}", _libpq(url)],
            check=True,
            capture_output=True,
            timeout=120,
        )
    assert before["readings"] == 24 * 40
    fresh = f"nenghao_restore_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{fresh}"'))
    restored_url = make_url(url).set(database=fresh).render_as_string(hide_password=False)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(restored_url)}",
             str(dump)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        restored = make_engine(restored_url)
        assert _counts(restored) == before
        assert current_revision(restored) == head_revision()
        with restored.begin() as conn:
            stored = conn.execute(text("SELECT id, body FROM uplink_archive")).one()
            assert stored.body == b'{"x": 1}'
            # the sequences came along: a new message gets the next id
            later = archive.add(
                conn,
                body=b"{}",
                channel="http",
                enterprise_id=1,
                actor="k",
                received_at=JANUARY_2025 + 60,
                status="processed",
            )
            assert later == stored.id + 1
        restored.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)'))
        admin.dispose()
