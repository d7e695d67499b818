"""The raw archive: every uplink payload byte for byte, committed before it is processed.

Status ``received`` (archived, not yet processed: re-processed at start-up), ``processed``
(its records were written in the same transaction that set this status) or ``rejected``
(a whole-message error; nothing of it was written).
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Connection, insert, select, update

from nenghao.standards.vocabulary import DEVICE_CHANNELS, ArchiveStatus
from nenghao.store import status_counts
from nenghao.store.archive_retention import body_of
from nenghao.store.common import Page, page_of
from nenghao.store.schema import uplink_archive
from nenghao.store.scope import Scope

_LISTED = [c for c in uplink_archive.c if c.name not in ("body", "records", "body_encoding")]


def add(
    conn: Connection,
    *,
    body: bytes,
    channel: str,
    enterprise_id: int,
    actor: str,
    received_at: int,
    status: ArchiveStatus,
    message_id: str | None = None,
    records: bytes | None = None,
    error_code: str | None = None,
    summary: Any = None,
) -> int:
    """Archive `body` as received; returns the archive id."""
    result = conn.execute(
        _INSERT,
        {
            "received_at": received_at,
            "channel": channel,
            "enterprise_id": enterprise_id,
            "actor": actor[:64],
            "message_id": message_id,
            "sha256": hashlib.sha256(body).hexdigest(),
            "size": len(body),
            "body": body,
            "records": records,
            "status": status,
            "processed_at": None if status == "received" else received_at,
            "error_code": error_code,
            "summary": summary,
        },
    )
    key = result.inserted_primary_key
    assert key is not None
    if channel in DEVICE_CHANNELS:
        status_counts.touch(conn, enterprise_id, received_at)
    return int(key[0])


_INSERT = insert(uplink_archive)
"""Built once: the statement is compiled once (and cached) instead of per message."""


def claim(conn: Connection, archive_id: int, at: int) -> bool:
    """Start processing a ``received`` archive; the first write of the transaction.

    On SQLite this write takes the database's write lock, so the reads that follow see every
    committed reading and no other writer can interleave. False when it is not ``received``.
    """
    result = conn.execute(
        update(uplink_archive)
        .where(uplink_archive.c.id == archive_id, uplink_archive.c.status == "received")
        .values(processed_at=at)
    )
    return result.rowcount == 1


def finish(conn: Connection, archive_id: int, *, at: int, summary: Any) -> None:
    """Mark an archive processed, with its result summary (same transaction as the writes)."""
    conn.execute(
        update(uplink_archive)
        .where(uplink_archive.c.id == archive_id)
        .values(status="processed", processed_at=at, summary=summary)
    )


def pending(conn: Connection, *, received_before: int | None = None) -> list[int]:
    """Ids of archives still ``received`` (not processed), in arrival order (an archive
    held after a failed transaction may get its id after later arrivals); with
    `received_before` [Unix s], only those received earlier."""
    query = select(uplink_archive.c.id).where(uplink_archive.c.status == "received")
    if received_before is not None:
        query = query.where(uplink_archive.c.received_at < received_before)
    rows = conn.execute(query.order_by(uplink_archive.c.received_at, uplink_archive.c.id))
    return [int(row.id) for row in rows]


def load(conn: Connection, archive_id: int) -> dict[str, Any] | None:
    """One archive row, its body as received (decompressed when the retention policy
    compressed it, `nenghao.store.archive_retention`)."""
    row = conn.execute(select(uplink_archive).where(uplink_archive.c.id == archive_id)).first()
    if row is None:
        return None
    return {**row._mapping, "body": body_of(row._mapping), "body_encoding": None}


def list_uploads(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    *,
    status: ArchiveStatus | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page:
    """The enterprise's archived uploads in `scope`, newest first, without their bodies."""
    conditions = [
        uplink_archive.c.enterprise_id == enterprise_id,
        scope.enterprise_clause(uplink_archive.c.enterprise_id),
    ]
    if status is not None:
        conditions.append(uplink_archive.c.status == status)
    query = select(*_LISTED).where(*conditions).order_by(uplink_archive.c.id.desc())
    return page_of(conn, query, offset=offset, limit=limit)
