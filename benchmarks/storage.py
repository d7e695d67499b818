"""Bytes a stored row takes on PostgreSQL, for the national model (docs/deployment.md).

In a scratch database migrated to the current schema: a million hourly readings in their
month partitions and a million hour rollups (inserted in key order, as a series grows), and
the uplink benchmark's message bodies as the archive keeps them (TOAST, pglz) and gzipped by
the retention policy. Prints bytes per row of table and of indexes (``pg_table_size``,
``pg_indexes_size`` after ``ANALYZE``) and bytes per record of the bodies.

Usage::

    .venv/bin/python benchmarks/storage.py --database-url postgresql+psycopg://postgres@127.0.0.1/postgres
"""

from __future__ import annotations

import argparse
import gzip
import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy import text

from nenghao.store import partitions
from nenghao.store.engine import make_engine
from uplink_http import database, messages

ROWS = 1_000_000
SERIES = 2_000
JANUARY_2025 = 1735660800  # 2025-01-01 00:00 CST


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="PostgreSQL server URL")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        database(args.database_url, Path(tmp), "size") as url,
    ):
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL statement_timeout = 0"))
            for month in range(1, 3):
                partitions.add_month(conn, "readings", date(2025, month, 1))
            conn.execute(
                text(
                    "INSERT INTO enterprises (id, credit_code, name, division_code, industry_code,"
                    " created_at, updated_at) VALUES (1, '91210302MA0SIZE0A1', 'e', '210302',"
                    " '3110', 0, 0)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO data_items (id, enterprise_id, code, name, measures, usage, unit,"
                    " period, created_at) SELECT i, 1, 'E' || i, 'E', 'energy', 'consumption',"
                    f" 'kWh', 'hour', 0 FROM generate_series(1, {SERIES}) i"
                )
            )
            hours = f"(i / {SERIES})"
            conn.execute(
                text(
                    "INSERT INTO readings (item_id, period, period_start, value, quality, source,"
                    f" received_at) SELECT 1 + i % {SERIES}, 'hour',"
                    f" {JANUARY_2025} + 3600 * {hours}, 100 + (i % 977) * 0.25, 'good', 'http',"
                    f" {JANUARY_2025} + 3600 * {hours} + 60"
                    f" FROM generate_series(0, {ROWS - 1}) i"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO rollups (item_id, grain, period_start, value, count)"
                    f" SELECT 1 + i % {SERIES}, 'hour', {JANUARY_2025} + 3600 * {hours}, 1.5, 4"
                    f" FROM generate_series(0, {ROWS - 1}) i"
                )
            )
            conn.execute(text("CREATE TEMPORARY TABLE bodies (body bytea)"))
            bodies = [body for body, _ in messages(20, 1000, "nhk_0123456789abcdef")]
            conn.execute(text("INSERT INTO bodies VALUES (:b)"), [{"b": b} for b in bodies])
            conn.execute(text("ANALYZE"))
            readings = conn.execute(
                text(
                    "SELECT sum(pg_table_size(inhrelid)), sum(pg_indexes_size(inhrelid))"
                    " FROM pg_inherits WHERE inhparent = CAST('readings' AS regclass)"
                )
            ).one()
            rollups = conn.execute(
                text("SELECT pg_table_size('rollups'), pg_indexes_size('rollups')")
            ).one()
            stored = conn.execute(text("SELECT sum(pg_column_size(body)) FROM bodies")).scalar_one()
        engine.dispose()
    records = 20 * 1000
    print(f"readings: {readings[0] / ROWS:.1f} B/row table + {readings[1] / ROWS:.1f} B/row index")
    print(f"rollups:  {rollups[0] / ROWS:.1f} B/row table + {rollups[1] / ROWS:.1f} B/row index")
    print(
        f"archive bodies: {sum(map(len, bodies)) / records:.1f} B/record as sent,"
        f" {stored / records:.1f} stored (TOAST pglz),"
        f" {sum(len(gzip.compress(b, 6)) for b in bodies) / records:.1f} gzipped"
    )


if __name__ == "__main__":
    main()
