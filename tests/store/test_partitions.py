"""Monthly partitions of readings and the archive on PostgreSQL (migration 0020): rows go to
their CST month, a month without a partition waits in the default one until the maintenance
creates it, and the migration converts and restores the tables with their rows."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import date

import pytest
from alembic import command
from sqlalchemy import Connection, Engine, insert, text
from typer.testing import CliRunner

from databases import migrated_pg_database
from factories import add_enterprise, add_item, utc
from nenghao.cli.main import app as cli
from nenghao.standards.calendar import add_months, cst_date
from nenghao.store import archive, partitions
from nenghao.store.common import now
from nenghao.store.engine import make_engine
from nenghao.store.maintenance import Policy, run_round
from nenghao.store.migrate import alembic_config, current_revision, head_revision, upgrade
from nenghao.store.schema import quarantine, readings

# 2025-03-01 00:00 CST is 2025-02-28 16:00 UTC: the first instant of the March partition.
MARCH_2025 = utc(2025, 2, 28, 16)
APRIL_2025 = utc(2025, 3, 31, 16)


@pytest.fixture(scope="module")
def pg() -> Iterator[Engine]:
    """A migrated PostgreSQL database of this module's own (its partitions are its own)."""
    with migrated_pg_database() as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


def _reading(conn: Connection, item: int, start: int) -> None:
    conn.execute(
        insert(readings).values(
            item_id=item,
            period="hour",
            period_start=start,
            value=1.5,
            source="test",
            received_at=start + 60,
        )
    )


def _home(conn: Connection, table: str, where: str) -> str:
    return conn.execute(
        text(f"SELECT tableoid::regclass::text FROM {table} WHERE {where}")
    ).scalar_one()


def test_month_bounds_are_cst_months() -> None:
    # March 2025 in CST: 2025-03-01 00:00 +08:00 = 2025-02-28 16:00 UTC = 1740758400;
    # April: 2025-03-31 16:00 UTC = 1740758400 + 31 days x 86400 s = 1743436800.
    assert partitions.month_bounds(date(2025, 3, 1)) == (1740758400, 1743436800)
    assert (MARCH_2025, APRIL_2025) == (1740758400, 1743436800)
    assert partitions.month_name("readings", date(2025, 3, 1)) == "readings_p202503"


def test_rows_wait_in_the_default_partition_until_their_month_is_created(pg: Engine) -> None:
    with pg.begin() as conn:
        item = add_item(conn, add_enterprise(conn, "PART00001", "210302", "3110"), "E", unit="kWh")
        # the last hour of February (CST) and the first of March: two months
        _reading(conn, item, MARCH_2025 - 3600)
        _reading(conn, item, MARCH_2025)
        assert _home(conn, "readings", f"period_start = {MARCH_2025}") == "readings_default"
    # the maintenance round of 2025-03-10 creates March and the next 2 months, and February,
    # whose row waits in the default partition
    done = run_round(pg, Policy(months_ahead=2, compress_after_months=0), at=MARCH_2025 + 9 * 86400)
    assert set(done.created) >= {
        "readings_p202502",
        "readings_p202503",
        "readings_p202504",
        "readings_p202505",
        "uplink_archive_p202503",
        "uplink_archive_p202505",
    }
    with pg.connect() as conn:
        assert _home(conn, "readings", f"period_start = {MARCH_2025 - 3600}") == "readings_p202502"
        assert _home(conn, "readings", f"period_start = {MARCH_2025}") == "readings_p202503"
        assert conn.execute(text("SELECT count(*) FROM readings_default")).scalar_one() == 0
        values = conn.execute(text("SELECT value, received_at FROM readings ORDER BY 2")).all()
    assert [tuple(v) for v in values] == [(1.5, MARCH_2025 - 3540), (1.5, MARCH_2025 + 60)]
    # a second round has nothing to do
    assert run_round(pg, Policy(2, 0), at=MARCH_2025 + 9 * 86400).created == []


def test_the_command_lists_and_creates_partitions(pg: Engine, monkeypatch) -> None:
    monkeypatch.setenv("NENGHAO_DATABASE_URL", pg.url.render_as_string(hide_password=False))
    monkeypatch.setenv("NENGHAO_PARTITION_MONTHS_AHEAD", "5")
    runner = CliRunner()
    created = runner.invoke(cli, ["db", "partitions", "create"])
    assert created.exit_code == 0, created.output
    listed = runner.invoke(cli, ["db", "partitions", "list"])
    assert listed.exit_code == 0, listed.output
    assert "readings_default" in listed.output
    assert "uplink_archive_default" in listed.output
    in_five_months = add_months(cst_date(now()), 5)
    assert partitions.month_name("readings", in_five_months) in listed.output
    again = runner.invoke(cli, ["db", "partitions", "create", "--ahead", "5"])
    assert again.output.startswith("created 0 partition(s)")


def test_0020_converts_the_tables_and_its_downgrade_restores_them(pg: Engine) -> None:
    with pg.begin() as conn:
        enterprise = add_enterprise(conn, "PART00002", "210302", "3110")
        item = add_item(conn, enterprise, "E", unit="kWh")
        _reading(conn, item, APRIL_2025 + 3600)
        first = archive.add(
            conn,
            body=b'{"a": 1}',
            channel="http",
            enterprise_id=enterprise,
            actor="k",
            received_at=MARCH_2025 + 100,
            status="processed",
        )
        conn.execute(
            text("UPDATE uplink_archive SET body = :b, body_encoding = 'gzip' WHERE id = :i"),
            {"b": gzip.compress(b'{"a": 1}'), "i": first},
        )
        conn.execute(
            insert(quarantine).values(
                archive_id=first,
                enterprise_id=enterprise,
                record_index=0,
                item_code="E",
                record={},
                code="unknown_item",
                message="m",
                created_at=0,
            )
        )
        counts = _counts(conn)
    command.downgrade(alembic_config(pg), "0019")
    try:
        with pg.connect() as conn:
            assert _kind(conn, "readings") == "r"
            assert _kind(conn, "uplink_archive") == "r"
            assert _counts(conn) == counts
            body = conn.execute(text(f"SELECT body FROM uplink_archive WHERE id = {first}"))
            assert body.scalar_one() == b'{"a": 1}'  # decompressed before the column went
            assert "fk_quarantine_archive_id_uplink_archive" in _constraints(conn, "quarantine")
    finally:
        upgrade(pg)
    assert current_revision(pg) == head_revision()
    with pg.begin() as conn:
        assert _kind(conn, "readings") == "p"
        assert _kind(conn, "uplink_archive") == "p"
        assert _counts(conn) == counts
        assert _home(conn, "uplink_archive", f"id = {first}") == "uplink_archive_p202503"
        assert _home(conn, "readings", f"period_start = {APRIL_2025 + 3600}") == "readings_p202504"
        # the id sequence goes on after the swap
        later = archive.add(
            conn,
            body=b"{}",
            channel="http",
            enterprise_id=enterprise,
            actor="k",
            received_at=MARCH_2025 + 200,
            status="processed",
        )
        assert later > first
        assert "pk_uplink_archive" in _constraints(conn, "uplink_archive")


def _kind(conn: Connection, table: str) -> str:
    return conn.execute(
        text(f"SELECT relkind FROM pg_class WHERE relname = '{table}'")
    ).scalar_one()


def _counts(conn: Connection) -> tuple[int, ...]:
    return tuple(
        conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
        for t in ("readings", "uplink_archive", "quarantine")
    )


def _constraints(conn: Connection, table: str) -> set[str]:
    rows = conn.execute(
        text(f"SELECT conname FROM pg_constraint WHERE conrelid = CAST('{table}' AS regclass)")
    )
    return {r[0] for r in rows}


def test_a_bulk_load_gets_the_partitions_of_its_months(pg: Engine) -> None:
    # from 2024-01-15 08:00 CST to 2024-03-01 00:30 CST (2024-02-29 16:30 UTC): three months
    with pg.begin() as conn:
        created = partitions.cover(conn, utc(2024, 1, 15), utc(2024, 2, 29, 16, 30))
    assert created == [
        f"{table}_p2024{month:02d}" for month in (1, 2, 3) for table in partitions.PARTITIONED
    ]
