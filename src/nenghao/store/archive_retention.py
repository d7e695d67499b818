"""Retention of the raw archive: bodies older than N months are compressed (gzip), never
deleted; readings are kept whole.

The archive keeps every payload byte for byte (docs/uplink-protocol.md); after
``archive_compress_after_months`` CST months (a setting, 0: never) the maintenance job
(`nenghao.store.maintenance`) and ``nenghao db archive-compress`` replace the bodies of
processed and rejected messages by their gzip (``body_encoding = 'gzip'``). `body_of` gives
back the bytes as received, whose ``sha256`` is unchanged; a held message (``received``) is
never compressed. Each batch is a transaction of its own, so the job never holds a long lock.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, bindparam, select, update

from nenghao.standards.calendar import add_months, cst_date, month_start
from nenghao.store.schema import uplink_archive

GZIP = "gzip"
BATCH = 500


@dataclass(frozen=True)
class Compressed:
    """What one pass compressed."""

    bodies: int
    bytes_before: int
    bytes_after: int


def body_of(row: Any) -> bytes:
    """The body of archive row `row` (a mapping with ``body`` and ``body_encoding``) as it
    was received."""
    body: bytes = row["body"]
    return gzip.decompress(body) if row.get("body_encoding") == GZIP else body


def cutoff(at: int, months: int) -> int:
    """[Unix s] the start of the CST month `months` before the month of `at`: bodies received
    before it are compressed."""
    first = add_months(cst_date(at), -months)
    return month_start(first.year, first.month)


def compress_bodies(engine: Engine, before: int, batch: int = BATCH) -> Compressed:
    """Compress the bodies of processed and rejected archives received before `before`
    [Unix s], `batch` rows a transaction, until none is left."""
    a = uplink_archive.c
    pending = (
        select(a.id, a.received_at, a.body)
        .where(a.received_at < before, a.body_encoding.is_(None), a.status != "received")
        .order_by(a.received_at, a.id)
        .limit(batch)
    )
    replace = (
        update(uplink_archive)
        .where(and_(a.id == bindparam("k_id"), a.received_at == bindparam("k_at")))
        .values(body=bindparam("new_body"), body_encoding=GZIP)
    )
    bodies = before_bytes = after_bytes = 0
    while True:
        with engine.begin() as conn:
            rows = conn.execute(pending).all()
            if not rows:
                return Compressed(bodies, before_bytes, after_bytes)
            changes = [
                {"k_id": r.id, "k_at": r.received_at, "new_body": gzip.compress(r.body, 6)}
                for r in rows
            ]
            conn.execute(replace, changes)
        bodies += len(rows)
        before_bytes += sum(len(r.body) for r in rows)
        after_bytes += sum(len(c["new_body"]) for c in changes)
