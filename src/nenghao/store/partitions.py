"""Monthly partitions of readings and the raw archive on PostgreSQL (migration 0020).

On PostgreSQL ``readings`` is partitioned by range of ``period_start`` (the reading's period
start) and ``uplink_archive`` by range of ``received_at``, one partition per CST month
(``readings_p202601`` holds the periods starting from 2026-01-01 00:00 CST to 2026-02-01
00:00 CST), plus a default partition (``readings_default``) that takes whatever has no month
partition yet (a backfill of old data, a clock far ahead), so that no write ever fails for want
of a partition. The maintenance job (`nenghao.store.maintenance`) and ``nenghao db partitions
create`` create the coming months ahead and move rows out of the default partition into the
months they belong to. On SQLite nothing is partitioned and every function here is a no-op.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, text

from nenghao.standards.calendar import CST_OFFSET_S, add_months, cst_date, month_start

PARTITIONED = {"readings": "period_start", "uplink_archive": "received_at"}
"""The partitioned tables and their partition keys [Unix s]."""


@dataclass(frozen=True)
class Partition:
    """One partition as the catalogue describes it."""

    table: str
    name: str
    bounds: str  # FOR VALUES FROM (…) TO (…), or DEFAULT
    rows: int  # the planner's estimate (pg_class.reltuples; -1: never analysed)
    table_bytes: int
    index_bytes: int


def is_partitioned(conn: Connection) -> bool:
    """True on PostgreSQL (where migration 0020 partitions the tables)."""
    return conn.dialect.name == "postgresql"


def month_name(table: str, month: date) -> str:
    """The name of `table`'s partition of `month` (``readings_p202601``)."""
    return f"{table}_p{month.year:04d}{month.month:02d}"


def default_name(table: str) -> str:
    """The name of `table`'s default partition."""
    return f"{table}_default"


def month_bounds(month: date) -> tuple[int, int]:
    """[Unix s] the CST month of `month`: its first instant and the next month's."""
    following = add_months(month, 1)
    return month_start(month.year, month.month), month_start(following.year, following.month)


def existing(conn: Connection, table: str) -> set[str]:
    """Names of `table`'s partitions."""
    rows = conn.execute(
        text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = CAST(:t AS regclass)"
        ),
        {"t": table},
    )
    return {row[0] for row in rows}


def add_default(conn: Connection, table: str) -> None:
    """Create `table`'s default partition."""
    conn.execute(text(f"CREATE TABLE {default_name(table)} PARTITION OF {table} DEFAULT"))


def months_in_default(conn: Connection, table: str) -> list[date]:
    """The CST months of the rows that wait in `table`'s default partition."""
    key = PARTITIONED[table]
    rows = conn.execute(
        text(
            f"SELECT DISTINCT to_char(to_timestamp({key} + {CST_OFFSET_S}) AT TIME ZONE 'UTC',"
            f" 'YYYY-MM') FROM {default_name(table)}"
        )
    )
    return sorted(date(int(r[0][:4]), int(r[0][5:7]), 1) for r in rows)


def add_month(conn: Connection, table: str, month: date) -> bool:
    """Create `table`'s partition of `month` unless it exists, moving its rows out of the
    default partition (in the caller's transaction); True when it was created."""
    name = month_name(table, month)
    if name in existing(conn, table):
        return False
    key = PARTITIONED[table]
    lo, hi = month_bounds(month)
    bounds = f"FOR VALUES FROM ({lo}) TO ({hi})"
    default = default_name(table)
    waiting = conn.execute(
        text(f"SELECT EXISTS (SELECT 1 FROM {default} WHERE {key} >= :lo AND {key} < :hi)"),
        {"lo": lo, "hi": hi},
    ).scalar_one()
    if not waiting:
        conn.execute(text(f"CREATE TABLE {name} PARTITION OF {table} {bounds}"))
        return True
    # Rows of the month wait in the default partition: take it off, create the month,
    # move the rows through the parent (which routes them), put the default back.
    conn.execute(text(f"ALTER TABLE {table} DETACH PARTITION {default}"))
    conn.execute(text(f"CREATE TABLE {name} PARTITION OF {table} {bounds}"))
    moving = f"FROM {default} WHERE {key} >= {lo} AND {key} < {hi}"
    conn.execute(text(f"INSERT INTO {table} SELECT * {moving}"))
    conn.execute(text(f"DELETE {moving}"))
    conn.execute(text(f"ALTER TABLE {table} ATTACH PARTITION {default} DEFAULT"))
    return True


def ensure(conn: Connection, at: int, ahead: int) -> list[str]:
    """Create the partitions of the CST month of `at` [Unix s] and of the `ahead` months
    after it, and those of months waiting in the default partitions; the names created.
    Nothing on SQLite."""
    if not is_partitioned(conn):
        return []
    this_month = cst_date(at).replace(day=1)
    coming = [add_months(this_month, n) for n in range(ahead + 1)]
    created = []
    for table in PARTITIONED:
        for month in sorted(set(coming) | set(months_in_default(conn, table))):
            if add_month(conn, table, month):
                created.append(month_name(table, month))
    return created


def cover(conn: Connection, first: int, last: int) -> list[str]:
    """Create the partitions of every CST month from the one holding `first` to the one
    holding `last` [Unix s] (a bulk load of past data: the demo city); the names created.
    Nothing on SQLite."""
    if not is_partitioned(conn):
        return []
    month, end = cst_date(first).replace(day=1), cst_date(last).replace(day=1)
    created = []
    while month <= end:
        for table in PARTITIONED:
            if add_month(conn, table, month):
                created.append(month_name(table, month))
        month = add_months(month, 1)
    return created


def describe(conn: Connection) -> list[Partition]:
    """Every partition of the partitioned tables, by table and bounds (none on SQLite)."""
    if not is_partitioned(conn):
        return []
    rows = conn.execute(
        text(
            "SELECT p.relname AS parent, c.relname AS name,"
            " pg_get_expr(c.relpartbound, c.oid) AS bounds,"
            " CAST(c.reltuples AS bigint) AS rows, pg_table_size(c.oid) AS table_bytes,"
            " pg_indexes_size(c.oid) AS index_bytes"
            " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " JOIN pg_class p ON p.oid = i.inhparent"
            " WHERE p.relname IN ('readings', 'uplink_archive')"
            " ORDER BY p.relname, c.relname"
        )
    )
    return [
        Partition(r.parent, r.name, r.bounds, r.rows, r.table_bytes, r.index_bytes) for r in rows
    ]
