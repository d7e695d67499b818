"""Quarantine: rejected records kept with their reason until re-processed or dismissed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, insert, select, update

from nenghao.standards.vocabulary import QuarantineStatus
from nenghao.store import audit
from nenghao.store.common import ConflictError, Page, page_of
from nenghao.store.schema import data_items, enterprises, quarantine
from nenghao.store.scope import Scope


@dataclass(frozen=True, slots=True)
class Entry:
    """A rejected record to keep: its position, item, JSON form and reason."""

    record_index: int
    item_code: str
    record: dict[str, Any]
    code: str
    message: str


def put(
    conn: Connection, archive_id: int, enterprise_id: int, entries: Sequence[Entry], at: int
) -> None:
    """Quarantine `entries` of archive `archive_id` (one batch insert)."""
    if not entries:
        return
    conn.execute(
        insert(quarantine),
        [
            {
                "archive_id": archive_id,
                "enterprise_id": enterprise_id,
                "record_index": e.record_index,
                "item_code": e.item_code[:64],
                "record": e.record,
                "code": e.code,
                "message": e.message,
                "status": "open",
                "created_at": at,
            }
            for e in entries
        ],
    )


def _named() -> Select[Any]:
    """Entries with the name of their enterprise and of their item (None when unregistered)."""
    item_name = (
        select(data_items.c.name)
        .where(
            data_items.c.enterprise_id == quarantine.c.enterprise_id,
            data_items.c.code == quarantine.c.item_code,
        )
        .order_by(data_items.c.active.desc(), data_items.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    enterprise_name = (
        select(enterprises.c.name)
        .where(enterprises.c.id == quarantine.c.enterprise_id)
        .scalar_subquery()
    )
    return select(
        quarantine, enterprise_name.label("enterprise_name"), item_name.label("item_name")
    )


def get(conn: Connection, scope: Scope, entry_id: int) -> dict[str, Any] | None:
    """One entry in `scope` with its names, or None (missing and outside scope look alike)."""
    row = conn.execute(
        _named().where(
            quarantine.c.id == entry_id, scope.enterprise_clause(quarantine.c.enterprise_id)
        )
    ).first()
    return dict(row._mapping) if row else None


def list_entries(
    conn: Connection,
    scope: Scope,
    *,
    enterprise_id: int | None = None,
    status: QuarantineStatus | None = None,
    code: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page:
    """Entries in `scope` matching the filters, newest first, with their names."""
    conditions = [scope.enterprise_clause(quarantine.c.enterprise_id)]
    for column, value in (
        (quarantine.c.enterprise_id, enterprise_id),
        (quarantine.c.status, status),
        (quarantine.c.code, code),
    ):
        if value is not None:
            conditions.append(column == value)
    query = _named().where(*conditions).order_by(quarantine.c.id.desc())
    return page_of(conn, query, offset=offset, limit=limit)


def resolve(
    conn: Connection,
    entry: dict[str, Any],
    *,
    status: QuarantineStatus,
    at: int,
    actor: str,
    resolution: Any,
    code: str | None = None,
    message: str | None = None,
    remote: str | None = None,
) -> dict[str, Any]:
    """Close (or keep open, with a new reason) an open entry; audited.

    Raises `ConflictError` when the entry is no longer open (closed concurrently).
    """
    values: dict[str, Any] = {"status": status, "resolution": resolution}
    if status != "open":
        values.update(resolved_at=at, resolved_by=actor[:64])
    if code is not None:
        values.update(code=code, message=message or code)
    changed = conn.execute(
        update(quarantine)
        .where(quarantine.c.id == entry["id"], quarantine.c.status == "open")
        .values(**values)
    )
    if changed.rowcount != 1:
        raise ConflictError(
            f"quarantine entry {entry['id']} is no longer open", code="quarantine_closed"
        )
    after = {**entry, **values}
    action = "reprocess" if status != "dismissed" else "dismiss"
    stored = set(quarantine.c.keys())
    before_row = {k: v for k, v in entry.items() if k in stored}
    after_row = {k: v for k, v in after.items() if k in stored}
    audit.record(conn, actor, action, "quarantine", entry["id"], before_row, after_row, remote)
    return after
