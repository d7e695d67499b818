"""An enterprise's data items (采集数据项): scoped listing, validated, versioned and audited
writes.

A change never rewrites history: attributes that interpret stored readings
(`item_rules.INTERPRETING`) change only while the item has no readings; the others are
versioned from an effective date (`data_item_versions`), see docs/items.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection, exists, insert, or_, select, update

from nenghao.standards.calendar import cst_date
from nenghao.store import audit, enterprises, outbox
from nenghao.store.common import ConflictError, InvalidInputError, NotFoundError, Page, now, page_of
from nenghao.store.item_rules import (
    INTERPRETING,
    VERSIONED,
    WRITABLE,
    boundary_of,
    check_code,
    check_item,
    propose_code,
)
from nenghao.store.schema import data_item_versions, data_items, readings, register_readings
from nenghao.store.scope import Scope

ATTRIBUTES = (*INTERPRETING, *VERSIONED)


def enterprise_in_scope(conn: Connection, scope: Scope, enterprise_id: int) -> dict[str, Any]:
    """The enterprise; `NotFoundError` when it is missing or outside `scope`."""
    row = enterprises.get(conn, scope, enterprise_id)
    if row is None:
        raise NotFoundError(f"enterprise {enterprise_id} not found", code="enterprise_not_found")
    return row


def list_items(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    *,
    active: bool | None = None,
    q: str | None = None,
    offset: int = 0,
    limit: int | None = 50,
) -> Page:
    """The items of an enterprise in `scope`, ordered by code; `q` searches code and name
    (`limit` None: all)."""
    enterprise_in_scope(conn, scope, enterprise_id)
    conditions = [data_items.c.enterprise_id == enterprise_id]
    if active is not None:
        conditions.append(data_items.c.active.is_(active))
    if q:
        conditions.append(
            or_(
                data_items.c.code.icontains(q, autoescape=True),
                data_items.c.name.icontains(q, autoescape=True),
            )
        )
    query = select(data_items).where(*conditions).order_by(data_items.c.code)
    return page_of(conn, query, offset=offset, limit=limit)


def get(conn: Connection, scope: Scope, enterprise_id: int, item_id: int) -> dict[str, Any]:
    """The item; `NotFoundError` when it or its enterprise lies outside `scope`."""
    enterprise_in_scope(conn, scope, enterprise_id)
    row = conn.execute(
        select(data_items).where(
            data_items.c.id == item_id, data_items.c.enterprise_id == enterprise_id
        )
    ).first()
    if row is None:
        raise NotFoundError(f"data item {item_id} not found", code="item_not_found")
    return dict(row._mapping)


def get_by_code(conn: Connection, scope: Scope, enterprise_id: int, code: str) -> dict[str, Any]:
    """The item with `code`; `NotFoundError` when absent or outside `scope`."""
    enterprise_in_scope(conn, scope, enterprise_id)
    row = conn.execute(
        select(data_items.c.id).where(
            data_items.c.enterprise_id == enterprise_id, data_items.c.code == code
        )
    ).first()
    if row is None:
        raise NotFoundError(f"no data item {code}", code="item_not_found")
    return get(conn, scope, enterprise_id, int(row[0]))


def codes_of(conn: Connection, enterprise_id: int) -> set[str]:
    """Every code the enterprise's items hold (inactive ones included: codes are not reused)."""
    query = select(data_items.c.code).where(data_items.c.enterprise_id == enterprise_id)
    return set(conn.execute(query).scalars())


def enterprise_items(conn: Connection, enterprise_id: int) -> list[dict[str, Any]]:
    """Every item of the enterprise (inactive ones included), by id; unscoped."""
    query = select(data_items).where(data_items.c.enterprise_id == enterprise_id)
    return [dict(row._mapping) for row in conn.execute(query.order_by(data_items.c.id))]


def has_readings(conn: Connection, item_id: int) -> bool:
    """Whether any reading (interval or register) of the item is stored."""
    stored = or_(
        exists().where(readings.c.item_id == item_id),
        exists().where(register_readings.c.item_id == item_id),
    )
    return bool(conn.execute(select(stored)).scalar())


def _effective(valid_from: date | None, latest: date | None = None) -> date:
    today = cst_date(now())
    day = valid_from or today
    if day > today:
        raise InvalidInputError(
            f"valid_from: {day} lies in the future; record a change on or after its day",
            code="effective_date_in_future",
            details={"field": "valid_from"},
        )
    if latest is not None and day < latest:
        raise InvalidInputError(
            f"valid_from: {day} precedes the version in force since {latest}; "
            "a change cannot reach behind a later one",
            code="effective_date_before_version",
            details={"field": "valid_from"},
        )
    return day


def _latest_from(conn: Connection, item_id: int) -> date | None:
    """The date the item's newest version took effect (None: no version recorded)."""
    return conn.execute(
        select(data_item_versions.c.valid_from)
        .where(data_item_versions.c.item_id == item_id)
        .order_by(data_item_versions.c.version.desc())
        .limit(1)
    ).scalar()


def _first_version(conn: Connection, item: Mapping[str, Any], actor: str) -> None:
    """Record an item older than versions (migration 0009) as it stands, from its creation."""
    if _latest_from(conn, item["id"]) is None:
        _add_version(conn, item, cst_date(item["created_at"]), actor, None)


def snapshot(item: Mapping[str, Any]) -> dict[str, Any]:
    """The item's code, active flag and attributes, JSON-ready (versions, audit, plans)."""
    out = {name: item[name] for name in ("code", "active", *ATTRIBUTES)}
    due = out.get("calibration_due")
    out["calibration_due"] = due.isoformat() if isinstance(due, date) else due
    return out


def _add_version(
    conn: Connection, item: Mapping[str, Any], valid_from: date, actor: str, reason: str | None
) -> None:
    latest = conn.execute(
        select(data_item_versions.c.version)
        .where(data_item_versions.c.item_id == item["id"])
        .order_by(data_item_versions.c.version.desc())
        .limit(1)
    ).scalar()
    conn.execute(
        insert(data_item_versions).values(
            item_id=item["id"],
            version=(latest or 0) + 1,
            valid_from=valid_from,
            attributes=snapshot(item),
            changed_by=actor[:64],
            changed_at=now(),
            reason=reason,
        )
    )


def versions(
    conn: Connection, scope: Scope, enterprise_id: int, item_id: int
) -> list[dict[str, Any]]:
    """Every version of the item, oldest first."""
    get(conn, scope, enterprise_id, item_id)
    query = (
        select(data_item_versions)
        .where(data_item_versions.c.item_id == item_id)
        .order_by(data_item_versions.c.version)
    )
    return [dict(row._mapping) for row in conn.execute(query)]


def version_on(conn: Connection, item_id: int, day: date) -> dict[str, Any] | None:
    """The attributes in force on `day` (None: before the first recorded version)."""
    row = conn.execute(
        select(data_item_versions.c.attributes)
        .where(data_item_versions.c.item_id == item_id, data_item_versions.c.valid_from <= day)
        .order_by(data_item_versions.c.valid_from.desc(), data_item_versions.c.version.desc())
        .limit(1)
    ).first()
    return None if row is None else dict(row[0])


def _changed(item: Mapping[str, Any]) -> str:
    """The approval state after a change: an approved item stays in force and is listed as
    changed in the next collection plan; a draft one stays a draft (docs/plans.md)."""
    return "changed" if item["approval"] == "approved" else str(item["approval"])


def _unknown(values: Mapping[str, Any]) -> None:
    unknown = sorted(set(values) - set(WRITABLE))
    if unknown:
        raise InvalidInputError(
            f"unknown data-item fields: {', '.join(unknown)}", details={"fields": unknown}
        )


def create(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    values: Mapping[str, Any],
    *,
    actor: str,
    valid_from: date | None = None,
    remote: str | None = None,
    approved: bool = False,
) -> dict[str, Any]:
    """A new item of the enterprise; its code is proposed when not given, else checked.

    A new item is a draft until a collection plan approves it; `approved` is for an item the
    platform registers itself for a figure filed by hand (reviewed with its filing)."""
    enterprise_in_scope(conn, scope, enterprise_id)
    _unknown(values)
    day = _effective(valid_from)
    clean = check_item({name: values.get(name) for name in ATTRIBUTES})
    taken = codes_of(conn, enterprise_id)
    code = values.get("code")
    code = propose_code(clean, taken) if not code else check_code(clean, code)
    if code in taken:
        raise ConflictError(
            f"code: the enterprise already has an item {code} (proposed: "
            f"{propose_code(clean, taken)})",
            code="duplicate_item_code",
            details={"field": "code"},
        )
    result = conn.execute(
        insert(data_items).values(
            **clean,
            code=code,
            enterprise_id=enterprise_id,
            boundary=boundary_of(clean),
            created_at=now(),
            approval="approved" if approved else "draft",
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    row = get(conn, Scope.all(), enterprise_id, int(key[0]))
    _add_version(conn, row, day, actor, None)
    audit.record(conn, actor, "create", "data_item", row["id"], None, snapshot(row), remote)
    outbox.item_saved(conn, row)
    return row


def change(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    item_id: int,
    changes: Mapping[str, Any],
    *,
    actor: str,
    valid_from: date | None = None,
    reason: str | None = None,
    remote: str | None = None,
) -> dict[str, Any]:
    """Apply `changes` from `valid_from` (default today, CST) as a new version."""
    before = get(conn, scope, enterprise_id, item_id)
    _unknown(changes)
    if not before["active"]:
        raise ConflictError(f"data item {before['code']} is deactivated", code="item_inactive")
    differing = {k: v for k, v in changes.items() if before[k] != v}
    if not differing:
        return before
    interpreting = sorted(set(differing) & {*INTERPRETING, "code"})
    if interpreting and has_readings(conn, item_id):
        raise ConflictError(
            f"{', '.join(interpreting)}: data item {before['code']} has stored readings, "
            "which keep the meaning they were stored under; deactivate it and create a new "
            "item from the date of the change",
            code="item_has_readings",
            details={"fields": interpreting},
        )
    day = _effective(valid_from, _latest_from(conn, item_id))
    _first_version(conn, before, actor)
    clean = check_item({name: differing.get(name, before[name]) for name in ATTRIBUTES})
    code = differing.get("code") or before["code"]
    if code != before["code"] or interpreting:
        taken = codes_of(conn, enterprise_id) - {before["code"]}
        if "code" not in differing:
            code = propose_code(clean, taken)
        check_code(clean, code)
        if code in taken:
            raise ConflictError(
                f"code: the enterprise already has an item {code}",
                code="duplicate_item_code",
                details={"field": "code"},
            )
    conn.execute(
        update(data_items)
        .where(data_items.c.id == item_id)
        .values(**clean, code=code, boundary=boundary_of(clean), approval=_changed(before))
    )
    after = get(conn, Scope.all(), enterprise_id, item_id)
    _add_version(conn, after, day, actor, reason)
    audit.record(
        conn, actor, "update", "data_item", item_id, snapshot(before), snapshot(after), remote
    )
    outbox.item_saved(conn, after, before["code"])
    return after


def deactivate(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    item_id: int,
    *,
    actor: str,
    valid_from: date | None = None,
    reason: str | None = None,
    remote: str | None = None,
) -> dict[str, Any]:
    """Stop the item from `valid_from`: it accepts no further data; its readings stay."""
    before = get(conn, scope, enterprise_id, item_id)
    if not before["active"]:
        return before
    day = _effective(valid_from, _latest_from(conn, item_id))
    _first_version(conn, before, actor)
    stop = {"active": False, "approval": _changed(before)}
    conn.execute(update(data_items).where(data_items.c.id == item_id).values(**stop))
    after = get(conn, Scope.all(), enterprise_id, item_id)
    _add_version(conn, after, day, actor, reason)
    audit.record(
        conn,
        actor,
        "deactivate",
        "data_item",
        item_id,
        snapshot(before),
        snapshot(after),
        remote,
    )
    outbox.item_saved(conn, after)
    return after
