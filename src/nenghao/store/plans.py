"""An enterprise's collection plan (采集方案): numbered versions submitted by the enterprise
and approved or returned by the district or the city, every step audited.

The plan is the enterprise's data items. A version keeps the items as submitted and the
change from the last approved version; approving it approves the items that still stand as
submitted (`data_items.approval`). Only approved items accept uplink data
(`nenghao.ingest.validation`); see docs/plans.md.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import Connection, insert, select, update

from nenghao.store import audit, items
from nenghao.store.common import ConflictError, InvalidInputError, NotFoundError, Page, now, page_of
from nenghao.store.plan_diff import counts, diff_of, plan_entry, same_as_submitted
from nenghao.store.schema import data_items, enterprises, plan_versions
from nenghao.store.scope import Scope

Decision = Literal["approved", "returned"]
_v = plan_versions.c
_SUMMARY = [_v.id, _v.enterprise_id, _v.version, _v.status, _v.diff, _v.submitted_by]
_SUMMARY += [_v.submitted_at, _v.note, _v.reviewed_by, _v.reviewed_at, _v.comment]


def _summary(row: Any) -> dict[str, Any]:
    out = dict(row._mapping)
    out["counts"] = counts(out["diff"])
    return out


def _latest(conn: Connection, enterprise_id: int) -> dict[str, Any] | None:
    row = conn.execute(
        select(*_SUMMARY)
        .where(_v.enterprise_id == enterprise_id)
        .order_by(_v.version.desc())
        .limit(1)
    ).first()
    return None if row is None else _summary(row)


def _approved_entries(conn: Connection, enterprise_id: int) -> dict[int, dict[str, Any]]:
    """The items of the last approved version by id (empty before the first approval)."""
    found = conn.execute(
        select(_v["items"])
        .where(_v.enterprise_id == enterprise_id, _v.status == "approved")
        .order_by(_v.version.desc())
        .limit(1)
    ).scalar()
    return {int(entry["id"]): entry for entry in found or []}


def current(conn: Connection, scope: Scope, enterprise_id: int) -> dict[str, Any]:
    """The plan now: its status, the latest version, the pending change and every item's
    approval state. Status: submitted or returned as the latest version is; else draft while
    a change waits to be submitted (or no item is registered), else approved."""
    enterprise = items.enterprise_in_scope(conn, scope, enterprise_id)
    rows = items.enterprise_items(conn, enterprise_id)
    diff = diff_of(rows, _approved_entries(conn, enterprise_id))
    latest = _latest(conn, enterprise_id)
    pending = any(diff.values())
    if latest is not None and latest["status"] in ("submitted", "returned"):
        status = latest["status"]
    else:
        status = "draft" if pending or not any(r["active"] for r in rows) else "approved"
    listed = [
        {key: row[key] for key in ("id", "code", "name", "active", "approval")} for row in rows
    ]
    return {
        "enterprise_id": enterprise_id,
        "enterprise_name": enterprise["name"],
        "status": status,
        "latest": latest,
        "pending": diff,
        "pending_counts": counts(diff),
        "plan_items": listed,
    }


def list_versions(
    conn: Connection, scope: Scope, enterprise_id: int, *, offset: int = 0, limit: int = 50
) -> Page:
    """The enterprise's plan versions, newest first (without their item snapshots)."""
    items.enterprise_in_scope(conn, scope, enterprise_id)
    query = select(*_SUMMARY).where(_v.enterprise_id == enterprise_id).order_by(_v.version.desc())
    return page_of(
        conn, query, offset=offset, limit=limit, items=lambda rows: [_summary(r) for r in rows]
    )


def get_version(conn: Connection, scope: Scope, enterprise_id: int, version: int) -> dict[str, Any]:
    """One version with its items as submitted (``snapshot``) and its diff; 404
    ``plan_version_not_found``."""
    items.enterprise_in_scope(conn, scope, enterprise_id)
    row = conn.execute(
        select(plan_versions).where(_v.enterprise_id == enterprise_id, _v.version == version)
    ).first()
    if row is None:
        raise NotFoundError(
            f"the collection plan has no version {version}", code="plan_version_not_found"
        )
    out = _summary(row)
    out["snapshot"] = out.pop("items")
    return out


def submit(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    *,
    actor: str,
    note: str | None = None,
    remote: str | None = None,
) -> dict[str, Any]:
    """Submit the enterprise's items for review as the next version."""
    items.enterprise_in_scope(conn, scope, enterprise_id)
    latest = _latest(conn, enterprise_id)
    if latest is not None and latest["status"] == "submitted":
        raise ConflictError(
            f"version {latest['version']} of the collection plan awaits review; it cannot be "
            "submitted again until it is approved or returned",
            code="plan_already_submitted",
        )
    rows = items.enterprise_items(conn, enterprise_id)
    active = [row for row in rows if row["active"]]
    if not active:
        raise InvalidInputError(
            "the collection plan has no active data items: register the items first",
            code="plan_empty",
        )
    diff = diff_of(rows, _approved_entries(conn, enterprise_id))
    number = (latest["version"] if latest else 0) + 1
    stamp = now()
    conn.execute(
        insert(plan_versions).values(
            enterprise_id=enterprise_id,
            version=number,
            status="submitted",
            items=[plan_entry(row) for row in active],
            diff=diff,
            submitted_by=actor[:64],
            submitted_at=stamp,
            note=note,
        )
    )
    made = get_version(conn, Scope.all(), enterprise_id, number)
    after = {"enterprise_id": enterprise_id, "version": number, "status": "submitted"}
    after |= {"counts": counts(diff), "note": note}
    audit.record(conn, actor, "submit", "collection_plan", made["id"], None, after, remote)
    return made


def review(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    decision: Decision,
    *,
    actor: str,
    comment: str | None = None,
    remote: str | None = None,
) -> dict[str, Any]:
    """Approve or return the submitted version; a return needs a comment. Approval approves
    the items that still stand as submitted (a later change waits for the next version)."""
    items.enterprise_in_scope(conn, scope, enterprise_id)
    comment = (comment or "").strip() or None
    if decision == "returned" and comment is None:
        raise InvalidInputError(
            "comment: say what to change when returning a collection plan",
            code="plan_comment_required",
            details={"field": "comment"},
        )
    latest = _latest(conn, enterprise_id)
    if latest is None or latest["status"] != "submitted":
        raise ConflictError(
            "the collection plan has no version awaiting review", code="plan_not_submitted"
        )
    version = get_version(conn, Scope.all(), enterprise_id, latest["version"])
    done = conn.execute(
        update(plan_versions)
        .where(_v.id == version["id"], _v.status == "submitted")
        .values(status=decision, reviewed_by=actor[:64], reviewed_at=now(), comment=comment)
    )
    if done.rowcount != 1:  # reviewed by someone else meanwhile
        raise ConflictError(
            "the collection plan has no version awaiting review", code="plan_not_submitted"
        )
    approved = _approve_items(conn, enterprise_id, version) if decision == "approved" else []
    before = {"status": "submitted", "version": version["version"]}
    after = {"status": decision, "version": version["version"], "comment": comment}
    after["approved_items"] = approved
    action = "approve" if decision == "approved" else "return"
    audit.record(conn, actor, action, "collection_plan", version["id"], before, after, remote)
    return get_version(conn, Scope.all(), enterprise_id, version["version"])


def _approve_items(conn: Connection, enterprise_id: int, version: dict[str, Any]) -> list[int]:
    """Approve the version's items that still stand as submitted, and the deactivations it
    lists; the ids approved."""
    rows = {row["id"]: row for row in items.enterprise_items(conn, enterprise_id)}
    ids = [
        entry["id"]
        for entry in version["snapshot"]
        if entry["id"] in rows and same_as_submitted(rows[entry["id"]], entry)
    ]
    ids += [
        gone["id"]
        for gone in version["diff"].get("deactivated", [])
        if gone["id"] in rows and not rows[gone["id"]]["active"]
    ]
    ids = sorted(i for i in set(ids) if rows[i]["approval"] != "approved")
    if ids:
        conn.execute(update(data_items).where(data_items.c.id.in_(ids)).values(approval="approved"))
    return ids


def awaiting(
    conn: Connection,
    scope: Scope,
    *,
    status: str | None = "submitted",
    offset: int = 0,
    limit: int | None = 50,
) -> Page:
    """Plan versions in `scope` (by default those awaiting review), oldest submission first,
    with the enterprise's name."""
    query = (
        select(*_SUMMARY, enterprises.c.name.label("enterprise_name"), enterprises.c.division_code)
        .join(enterprises, enterprises.c.id == _v.enterprise_id)
        .where(scope.enterprise_clause(_v.enterprise_id))
    )
    if status is not None:
        query = query.where(_v.status == status)
    query = query.order_by(_v.submitted_at, _v.id)
    return page_of(
        conn, query, offset=offset, limit=limit, items=lambda rows: [_summary(r) for r in rows]
    )
