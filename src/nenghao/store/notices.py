"""Notices (通知公告): send one, list and read them in scope, keep read receipts.

Who sees a notice: an enterprise's users when their enterprise is addressed and the notice
is published (``publish_at`` passed) and not expired; a district the notices its division's
regulators sent and those addressing an enterprise of its division; city-wide roles all.
Reading (`read`) by an enterprise user records the first reading of that user (the read
receipt); an enterprise has read a notice when one of its users has.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, exists, func, insert, or_, select, true

from nenghao.store import audit
from nenghao.store.common import InvalidInputError, NotFoundError, Page, now, page_of
from nenghao.store.notice_audience import check_audience, recipients
from nenghao.store.schema import enterprises
from nenghao.store.schema_notices import (
    notice_attachments,
    notice_receipts,
    notice_recipients,
    notices,
)
from nenghao.store.scope import Scope

ATTACHMENT_FIELDS = ("filename", "content_type", "size", "sha256")


def _addressed(enterprise_id: Any) -> ColumnElement[bool]:
    return exists().where(
        notice_recipients.c.notice_id == notices.c.id,
        notice_recipients.c.enterprise_id == enterprise_id,
    )


def _current(at: int) -> ColumnElement[bool]:
    return and_(
        or_(notices.c.publish_at.is_(None), notices.c.publish_at <= at),
        or_(notices.c.expire_at.is_(None), notices.c.expire_at > at),
    )


def visible(scope: Scope, at: int) -> ColumnElement[bool]:
    """A WHERE clause keeping the notices `scope` sees at the instant `at`."""
    if scope.kind == "all":
        return true()
    if scope.kind == "enterprise":
        return and_(_addressed(scope.enterprise_id), _current(at))
    in_division = select(enterprises.c.id).where(enterprises.c.division_code == scope.division_code)
    reaches = exists().where(
        notice_recipients.c.notice_id == notices.c.id,
        notice_recipients.c.enterprise_id.in_(in_division),
    )
    return or_(notices.c.sender_division == scope.division_code, reaches)


def send(
    conn: Connection,
    scope: Scope,
    sender: Mapping[str, Any],
    fields: Mapping[str, Any],
    attachments: Sequence[Mapping[str, Any]],
    remote: str | None = None,
) -> dict[str, Any]:
    """Store a notice, its recipients and attachments, audited, on `conn`'s transaction.

    `fields`: title, body, audience, audience_codes, publish_at, expire_at; `attachments`:
    checked files (filename, content_type, size, sha256, content).
    """
    codes = check_audience(scope, fields["audience"], fields.get("audience_codes") or [])
    publish_at, expire_at = fields.get("publish_at"), fields.get("expire_at")
    if expire_at is not None and expire_at <= (publish_at or now()):
        raise InvalidInputError(
            "expire_at must come after publish_at (or after now)",
            code="invalid_notice_dates",
            details={"field": "expire_at"},
        )
    addressed = recipients(conn, fields["audience"], codes)
    if not addressed:
        raise InvalidInputError(
            "the audience addresses no active enterprise; choose other divisions or industries",
            code="empty_audience",
            details={"field": "audience_codes"},
        )
    row = {
        "title": fields["title"],
        "body": fields["body"],
        "audience": fields["audience"],
        "audience_codes": codes,
        "sender": str(sender["username"])[:64],
        "sender_role": sender["role"],
        "sender_division": scope.division_code if scope.kind == "division" else None,
        "sent_at": now(),
        "publish_at": publish_at,
        "expire_at": expire_at,
    }
    key = conn.execute(insert(notices).values(**row)).inserted_primary_key
    assert key is not None
    notice_id = int(key[0])
    conn.execute(
        insert(notice_recipients),
        [{"notice_id": notice_id, "enterprise_id": e} for e in addressed],
    )
    for position, attachment in enumerate(attachments, start=1):
        values = {key: attachment[key] for key in (*ATTACHMENT_FIELDS, "content")}
        conn.execute(
            insert(notice_attachments).values(notice_id=notice_id, position=position, **values)
        )
    files = [{key: a[key] for key in ATTACHMENT_FIELDS} for a in attachments]
    after = {**row, "recipients": len(addressed), "attachments": files}
    audit.record(conn, row["sender"], "notice.send", "notice", notice_id, None, after, remote)
    found = get(conn, Scope.all(), notice_id)
    assert found is not None
    return found


def _counts() -> Any:
    """Columns: enterprises addressed and enterprises that read, per notice (in scope)."""
    read = exists().where(
        notice_receipts.c.notice_id == notice_recipients.c.notice_id,
        notice_receipts.c.enterprise_id == notice_recipients.c.enterprise_id,
    )
    return (
        func.count(notice_recipients.c.enterprise_id).label("addressed"),
        func.count(notice_recipients.c.enterprise_id).filter(read).label("read"),
    )


def _receipt_counts(conn: Connection, scope: Scope, ids: list[int]) -> dict[int, tuple[int, int]]:
    if not ids:
        return {}
    query = (
        select(notice_recipients.c.notice_id, *_counts())
        .where(
            notice_recipients.c.notice_id.in_(ids),
            scope.enterprise_clause(notice_recipients.c.enterprise_id),
        )
        .group_by(notice_recipients.c.notice_id)
    )
    return {row.notice_id: (row.addressed, row.read) for row in conn.execute(query)}


def _read_at(conn: Connection, user_id: int, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    query = select(notice_receipts.c.notice_id, notice_receipts.c.read_at).where(
        notice_receipts.c.user_id == user_id, notice_receipts.c.notice_id.in_(ids)
    )
    return {row.notice_id: row.read_at for row in conn.execute(query)}


def _attachment_lists(conn: Connection, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    query = (
        select(notice_attachments.c.id, notice_attachments.c.notice_id)
        .add_columns(*(notice_attachments.c[key] for key in ATTACHMENT_FIELDS))
        .where(notice_attachments.c.notice_id.in_(ids))
        .order_by(notice_attachments.c.notice_id, notice_attachments.c.position)
    )
    lists: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for row in conn.execute(query):
        item = dict(row._mapping)
        lists[item.pop("notice_id")].append(item)
    return lists


def _decorate(
    conn: Connection, scope: Scope, user_id: int, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """`rows` with their attachments, receipt counts (in scope) and the caller's reading."""
    ids = [row["id"] for row in rows]
    counts = _receipt_counts(conn, scope, ids)
    read_at = _read_at(conn, user_id, ids)
    files = _attachment_lists(conn, ids)
    out = []
    for row in rows:
        addressed, read = counts.get(row["id"], (0, 0))
        out.append(
            {
                **row,
                "attachments": files.get(row["id"], []),
                "addressed": addressed,
                "read_count": read,
                "read_at": read_at.get(row["id"]),
                "read": row["id"] in read_at,
            }
        )
    return out


def list_notices(
    conn: Connection,
    scope: Scope,
    user_id: int,
    *,
    unread: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> Page:
    """The notices `scope` sees, newest first; `unread`: those the user has not read."""
    query = select(notices).where(visible(scope, now()))
    if unread:
        query = query.where(~_read_by(user_id))
    query = query.order_by(notices.c.sent_at.desc(), notices.c.id.desc())
    page = page_of(conn, query, offset=offset, limit=limit)
    return Page(_decorate(conn, scope, user_id, page.items), page.total, offset, limit)


def _read_by(user_id: int) -> ColumnElement[bool]:
    return exists().where(
        notice_receipts.c.notice_id == notices.c.id, notice_receipts.c.user_id == user_id
    )


def unread_count(conn: Connection, scope: Scope, user_id: int) -> int:
    """How many notices the user sees and has not read (enterprise users; 0 for others)."""
    if scope.kind != "enterprise":
        return 0
    query = select(func.count()).where(visible(scope, now()), ~_read_by(user_id))
    return int(conn.execute(query.select_from(notices)).scalar_one())


def get(conn: Connection, scope: Scope, notice_id: int, user_id: int = 0) -> dict[str, Any] | None:
    """One notice in scope with attachments and counts, or None."""
    query = select(notices).where(notices.c.id == notice_id, visible(scope, now()))
    row = conn.execute(query).mappings().first()
    return None if row is None else _decorate(conn, scope, user_id, [dict(row)])[0]


def read(conn: Connection, scope: Scope, notice_id: int, user: Mapping[str, Any]) -> dict[str, Any]:
    """The notice for `user`; an enterprise user's first reading is recorded and audited."""
    found = get(conn, scope, notice_id, user["id"])
    if found is None:
        raise NotFoundError(f"notice {notice_id} not found", code="notice_not_found")
    if scope.kind == "enterprise" and not found["read"]:
        at = now()
        conn.execute(
            insert(notice_receipts).values(
                notice_id=notice_id,
                user_id=user["id"],
                enterprise_id=scope.enterprise_id,
                read_at=at,
            )
        )
        receipt = {"user_id": user["id"], "enterprise_id": scope.enterprise_id, "read_at": at}
        audit.record(conn, str(user["username"]), "notice.read", "notice", notice_id, None, receipt)
        found = {**found, "read": True, "read_at": at}
    return found


def attachment(conn: Connection, scope: Scope, attachment_id: int) -> dict[str, Any]:
    """An attachment with its bytes, when its notice is in scope; else `NotFoundError`."""
    query = (
        select(notice_attachments)
        .join(notices, notices.c.id == notice_attachments.c.notice_id)
        .where(notice_attachments.c.id == attachment_id, visible(scope, now()))
    )
    row = conn.execute(query).mappings().first()
    if row is None:
        raise NotFoundError(f"attachment {attachment_id} not found", code="attachment_not_found")
    return dict(row)


def receipts(conn: Connection, scope: Scope, notice_id: int) -> dict[str, Any]:
    """Who of the addressed enterprises in scope read the notice (first reading), who not."""
    if scope.kind == "enterprise" or get(conn, scope, notice_id) is None:
        raise NotFoundError(f"notice {notice_id} not found", code="notice_not_found")
    first = (
        select(
            notice_receipts.c.enterprise_id,
            func.min(notice_receipts.c.read_at).label("read_at"),
            func.count().label("readers"),
        )
        .where(notice_receipts.c.notice_id == notice_id)
        .group_by(notice_receipts.c.enterprise_id)
        .subquery()
    )
    query = (
        select(
            enterprises.c.id.label("enterprise_id"),
            enterprises.c.name.label("enterprise_name"),
            enterprises.c.division_code,
            first.c.read_at,
            func.coalesce(first.c.readers, 0).label("readers"),
        )
        .join(notice_recipients, notice_recipients.c.enterprise_id == enterprises.c.id)
        .outerjoin(first, first.c.enterprise_id == enterprises.c.id)
        .where(notice_recipients.c.notice_id == notice_id, scope.enterprise_clause())
        .order_by(enterprises.c.name, enterprises.c.id)
    )
    rows = [dict(row) for row in conn.execute(query).mappings()]
    read = [row for row in rows if row["read_at"] is not None]
    unread = [row for row in rows if row["read_at"] is None]
    return {
        "notice_id": notice_id,
        "addressed": len(rows),
        "read_count": len(read),
        "read": read,
        "unread": unread,
    }
