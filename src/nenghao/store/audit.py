"""The audit log: one row per write, recorded in the same transaction as the write."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from nenghao.standards.digits import is_digits
from nenghao.store.common import Page, now, page_of
from nenghao.store.schema import audit_log, enterprises, users

SECRET_KEYS = frozenset(
    {"password", "password_hash", "secret", "secret_hash", "token", "token_hash"}
)
"""Keys never written to the log, at any depth of `before`/`after`."""


def redact(value: Any) -> Any:
    """`value` with every secret key removed, recursively."""
    if isinstance(value, dict):
        return {k: redact(v) for k, v in value.items() if str(k).lower() not in SECRET_KEYS}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    return value


def record(
    conn: Connection,
    actor: str,
    action: str,
    entity: str,
    entity_id: Any,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    remote: str | None = None,
    detail: str | None = None,
) -> int:
    """Append an audit row on `conn` (the write's own transaction); returns its id."""
    result = conn.execute(
        insert(audit_log).values(
            at=now(),
            actor=actor[:64],
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            before=redact(before),
            after=redact(after),
            remote=remote[:64] if remote else None,
            detail=detail,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def list_entries(
    conn: Connection,
    *,
    actor: str | None = None,
    action: str | None = None,
    entity: str | None = None,
    entity_id: str | None = None,
    since: int | None = None,
    until: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page:
    """Audit rows matching the filters, newest first; `since` inclusive, `until` exclusive."""
    conditions = []
    for column, value in (
        (audit_log.c.actor, actor),
        (audit_log.c.action, action),
        (audit_log.c.entity, entity),
        (audit_log.c.entity_id, entity_id),
    ):
        if value is not None:
            conditions.append(column == value)
    if since is not None:
        conditions.append(audit_log.c.at >= since)
    if until is not None:
        conditions.append(audit_log.c.at < until)
    query = select(audit_log).where(*conditions).order_by(audit_log.c.id.desc())
    return page_of(conn, query, offset=offset, limit=limit)


def with_entity_names(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` with ``entity_name``: the name of the enterprise or the user (display name,
    else username) the row is about; None for other entities."""
    out = [{**row, "entity_name": None} for row in rows]
    wanted = {
        (row["entity"], int(row["entity_id"]))
        for row in out
        if row["entity"] in ("enterprise", "user") and is_digits(str(row["entity_id"] or ""))
    }
    names: dict[tuple[str, int], str] = {}
    if ids := {i for kind, i in wanted if kind == "enterprise"}:
        query = select(enterprises.c.id, enterprises.c.name).where(enterprises.c.id.in_(ids))
        names |= {("enterprise", i): name for i, name in conn.execute(query)}
    if ids := {i for kind, i in wanted if kind == "user"}:
        people = select(users.c.id, users.c.display_name, users.c.username)
        for person in conn.execute(people.where(users.c.id.in_(ids))):
            names[("user", person.id)] = person.display_name or person.username
    for row in out:
        if is_digits(str(row["entity_id"] or "")):
            row["entity_name"] = names.get((row["entity"], int(row["entity_id"])))
    return out
