"""Retention of the raw archive: bodies older than N CST months compressed, read back as
received; held messages, recent ones and the readings untouched (SQLite and PostgreSQL)."""

from __future__ import annotations

import gzip
import hashlib
import time

from sqlalchemy import text
from typer.testing import CliRunner

from factories import add_enterprise, utc
from nenghao.cli.main import app as cli
from nenghao.store import archive
from nenghao.store.archive_retention import compress_bodies, cutoff
from nenghao.store.job_lock import JobLock
from nenghao.store.maintenance import MaintenanceLoop, Policy, run_round

BODY = (
    b'{"protocol": "nenghao-uplink/1", "records": [' + b'{"item": "E", "value": 1.5},' * 40 + b"]}"
)

# A round on 2026-03-15 12:00 CST (04:00 UTC) with 2 months: the CST month 2 months before
# March is January, so bodies received before 2026-01-01 00:00 CST (2025-12-31 16:00 UTC)
# are compressed.
AT = utc(2026, 3, 15, 4)
CUTOFF = utc(2025, 12, 31, 16)


def test_the_cutoff_is_the_start_of_the_cst_month_n_months_back() -> None:
    assert cutoff(AT, 2) == CUTOFF
    # 2026-01-01 00:30 CST is still December 31 in UTC: its month is January (CST)
    assert cutoff(utc(2025, 12, 31, 16, 30), 1) == utc(2025, 11, 30, 16)


def test_old_bodies_are_compressed_and_read_back_as_received(engine) -> None:
    with engine.begin() as conn:
        enterprise = add_enterprise(conn, "KEEPA0001", "210302", "3110")

        def add(received_at: int, status: str) -> int:
            return archive.add(
                conn,
                body=BODY,
                channel="http",
                enterprise_id=enterprise,
                actor="k",
                received_at=received_at,
                status=status,
            )

        old = add(CUTOFF - 1, "processed")  # the last second of December (CST)
        rejected = add(CUTOFF - 86400, "rejected")
        held = add(CUTOFF - 86400, "received")  # not stored yet: left as it is
        recent = add(CUTOFF, "processed")  # the first second of January (CST)
    done = run_round(engine, Policy(months_ahead=1, compress_after_months=2), at=AT)
    assert done.compressed is not None
    assert done.compressed.bodies == 2
    assert done.compressed.bytes_before == 2 * len(BODY)
    assert done.compressed.bytes_after < done.compressed.bytes_before / 4  # repetitive JSON
    with engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT id, body_encoding FROM uplink_archive")).all())
        assert stored == {old: "gzip", rejected: "gzip", held: None, recent: None}
        raw = conn.execute(text(f"SELECT body FROM uplink_archive WHERE id = {old}")).scalar_one()
        assert gzip.decompress(raw) == BODY
        for archive_id in (old, rejected, held, recent):
            row = archive.load(conn, archive_id)
            assert row is not None
            assert row["body"] == BODY
            assert hashlib.sha256(row["body"]).hexdigest() == row["sha256"]
    # nothing left to do
    assert compress_bodies(engine, CUTOFF).bodies == 0


def test_the_command_compresses_by_the_setting(engine, db_url, monkeypatch) -> None:
    with engine.begin() as conn:
        enterprise = add_enterprise(conn, "KEEPA0002", "210302", "3110")
        archive.add(
            conn,
            body=BODY,
            channel="mqtt",
            enterprise_id=enterprise,
            actor="k",
            received_at=utc(2020, 1, 1),
            status="processed",
        )
    monkeypatch.setenv("NENGHAO_DATABASE_URL", db_url)
    monkeypatch.setenv("NENGHAO_ARCHIVE_COMPRESS_AFTER_MONTHS", "6")
    result = CliRunner().invoke(cli, ["db", "archive-compress"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("compressed 1 archive body received before")
    assert f"{len(BODY):,} ->" in result.output
    monkeypatch.setenv("NENGHAO_ARCHIVE_COMPRESS_AFTER_MONTHS", "0")
    off = CliRunner().invoke(cli, ["db", "archive-compress"])
    assert off.exit_code == 2


def test_the_maintenance_loop_runs_a_round_at_once_under_its_lock(engine) -> None:
    with engine.begin() as conn:
        enterprise = add_enterprise(conn, "KEEPA0003", "210302", "3110")
        old = archive.add(
            conn, body=BODY, channel="http", enterprise_id=enterprise, actor="k",
            received_at=utc(2020, 1, 1), status="processed",
        )  # fmt: skip
    loop = MaintenanceLoop(engine, Policy(1, 12), 3600.0, JobLock(engine, "maintenance"))
    loop.start()
    deadline = time.monotonic() + 20
    while loop.rounds == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    loop.stop()
    assert loop.rounds == 1
    assert not loop.is_alive()
    with engine.connect() as conn:
        encoding = conn.execute(text(f"SELECT body_encoding FROM uplink_archive WHERE id = {old}"))
        assert encoding.scalar_one() == "gzip"
