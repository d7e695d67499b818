"""monthly partitions of readings and the raw archive (PostgreSQL); archive body encoding

On PostgreSQL ``readings`` becomes a table partitioned by range of ``period_start`` and
``uplink_archive`` one partitioned by range of ``received_at``, a partition per CST month
(`nenghao.store.partitions`) and a default partition. The primary keys include the partition
key: readings' already does; the archive's becomes (id, received_at), ids still from the same
sequence, so an id stays unique. A foreign key cannot reference (id) alone then: quarantine's
``archive_id`` loses its foreign key on PostgreSQL (SQLite keeps it). Each table is converted by
creating the partitioned table beside it, copying the rows, and swapping the names; its
foreign keys and indexes are recreated from the catalogue's definitions.

On both backends ``uplink_archive`` gains ``body_encoding`` (NULL: the body as received;
``gzip``: compressed by the retention policy, `nenghao.store.archive_retention`). The downgrade
decompresses the bodies before it drops the column.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import gzip
import time

import sqlalchemy as sa
from alembic import op

from nenghao.standards.calendar import CST_OFFSET_S
from nenghao.store.partitions import PARTITIONED, add_default, add_month, ensure

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

PRIMARY_KEYS = {"readings": ("item_id", "period", "period_start"), "uplink_archive": ("id",)}
"""The primary keys of the tables before 0020 (after it, with the partition key)."""
ARCHIVE_FOREIGN_KEY = "fk_quarantine_archive_id_uplink_archive"
MONTHS_AHEAD = 3


def upgrade() -> None:
    op.add_column("uplink_archive", sa.Column("body_encoding", sa.String(length=8)))
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    conn.execute(sa.text("SET LOCAL statement_timeout = 0"))  # a copy of every row
    op.drop_constraint(ARCHIVE_FOREIGN_KEY, "quarantine", type_="foreignkey")
    for table, key in PARTITIONED.items():
        columns = PRIMARY_KEYS[table]
        _rebuild(table, (*columns, key) if key not in columns else columns, partition_key=key)
    ensure(conn, int(time.time()), MONTHS_AHEAD)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SET LOCAL statement_timeout = 0"))
        for table in PARTITIONED:
            _rebuild(table, PRIMARY_KEYS[table], partition_key=None)
        op.create_foreign_key(
            ARCHIVE_FOREIGN_KEY, "quarantine", "uplink_archive", ["archive_id"], ["id"]
        )
    _decompress_bodies()
    with op.batch_alter_table("uplink_archive") as batch:
        batch.drop_column("body_encoding")


def _rebuild(table: str, primary_key: tuple[str, ...], partition_key: str | None) -> None:
    """Replace `table` by a copy partitioned by month on `partition_key` (None: a plain
    table), with the same columns, defaults, checks, foreign keys, indexes and rows."""
    conn = op.get_bind()
    old = f"{table}_before_0020" if partition_key else f"{table}_partitioned"
    fks = conn.execute(
        sa.text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = CAST(:t AS regclass) AND contype = 'f'"
        ),
        {"t": table},
    ).all()
    pk_name = conn.execute(
        sa.text(
            "SELECT conname FROM pg_constraint"
            " WHERE conrelid = CAST(:t AS regclass) AND contype = 'p'"
        ),
        {"t": table},
    ).scalar_one()
    indexes = conn.execute(
        sa.text(
            "SELECT indexname, indexdef FROM pg_indexes"
            " WHERE schemaname = current_schema() AND tablename = :t AND indexname <> :pk"
        ),
        {"t": table, "pk": pk_name},
    ).all()
    serial = conn.execute(
        sa.text(
            "SELECT column_name, pg_get_serial_sequence(:t, column_name)"
            " FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = :t"
        ),
        {"t": table},
    ).all()
    conn.execute(sa.text(f"ALTER TABLE {table} RENAME TO {old}"))
    conn.execute(sa.text(f"ALTER INDEX {pk_name} RENAME TO {pk_name}_old"))
    for name, _definition in indexes:
        conn.execute(sa.text(f"DROP INDEX {name}"))
    like = "INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMPRESSION"
    partitioning = f" PARTITION BY RANGE ({partition_key})" if partition_key else ""
    conn.execute(sa.text(f"CREATE TABLE {table} (LIKE {old} {like}){partitioning}"))
    conn.execute(
        sa.text(
            f"ALTER TABLE {table} ADD CONSTRAINT {pk_name} PRIMARY KEY ({', '.join(primary_key)})"
        )
    )
    for name, definition in fks:
        conn.execute(sa.text(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"))
    for _name, definition in indexes:  # ON ONLY: a partitioned parent's index
        conn.execute(sa.text(definition.replace(" ON ONLY ", " ON ")))
    if partition_key:
        add_default(conn, table)
        for (month,) in conn.execute(
            sa.text(
                f"SELECT DISTINCT date_trunc('month', to_timestamp({partition_key}"
                f" + {CST_OFFSET_S}) AT TIME ZONE 'UTC') FROM {old}"
            )
        ):
            add_month(conn, table, month.date())
    conn.execute(sa.text(f"INSERT INTO {table} SELECT * FROM {old}"))
    for column, sequence in serial:
        if sequence:
            conn.execute(sa.text(f"ALTER SEQUENCE {sequence} OWNED BY {table}.{column}"))
    conn.execute(sa.text(f"DROP TABLE {old}"))
    conn.execute(sa.text(f"ANALYZE {table}"))


def _decompress_bodies() -> None:
    """Put the bodies the retention policy compressed back as they were received."""
    conn = op.get_bind()
    archive = sa.table(
        "uplink_archive", sa.column("id"), sa.column("body"), sa.column("body_encoding")
    )
    rows = conn.execute(
        sa.select(archive.c.id, archive.c.body).where(archive.c.body_encoding == "gzip")
    ).all()
    for archive_id, body in rows:
        conn.execute(
            sa.update(archive)
            .where(archive.c.id == archive_id)
            .values(body=gzip.decompress(body), body_encoding=None)
        )
