"""Rectification plans (整改方案) of two-high installations and their progress notes, scoped
through the installation's enterprise, every write audited.

A plan is open until a regulator confirms it completed (`complete`); at most one plan of an
installation is open. "Overdue" is derived: open, and its deadline (a CST day) has passed.
Changes carry the plan's ``version`` (optimistic locking): a change made against an older
version is refused (``rectification_plan_version_conflict``). The enterprise adds progress
notes to its own plans; the completion rule on measured data is the review layer's
(`nenghao.review.rectification`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, insert, select, update

from nenghao.store import alerts as alert_store
from nenghao.store import audit, common
from nenghao.store.common import ConflictError, InvalidInputError, NotFoundError, Page, page_of
from nenghao.store.register_rules import check_phone
from nenghao.store.schema import (
    alerts,
    enterprises,
    rectification_plans,
    rectification_updates,
    two_high_installations,
)
from nenghao.store.scope import Scope

_p = rectification_plans.c
_i = two_high_installations.c
FIELDS: tuple[str, ...] = ("measures", "target_unit_consumption", "deadline")
FIELDS += ("responsible_name", "responsible_phone")
OVERDUE_RULE = "rectification_overdue"
_LISTED = [
    *rectification_plans.c,
    _i.enterprise_id,
    _i.name.label("installation_name"),
    _i.sector,
    _i.product,
    _i.status.label("installation_status"),
    enterprises.c.name.label("enterprise_name"),
    enterprises.c.division_code,
]


def subject(plan_id: int) -> str:
    """The alert subject of a plan (its overdue alert)."""
    return f"rectification_plan:{plan_id}"


def _query(scope: Scope) -> Select[Any]:
    return (
        select(*_LISTED)
        .join(two_high_installations, _i.id == _p.installation_id)
        .join(enterprises, enterprises.c.id == _i.enterprise_id)
        .where(scope.enterprise_clause(_i.enterprise_id))
    )


def _rows(rows: Any) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in rows]


def get(conn: Connection, scope: Scope, plan_id: int) -> dict[str, Any]:
    """The plan in `scope` with its installation's and enterprise's names; raises
    NotFoundError (``rectification_plan_not_found``)."""
    row = conn.execute(_query(scope).where(_p.id == plan_id)).first()
    if row is None:
        raise NotFoundError(
            f"rectification plan {plan_id} not found",
            code="rectification_plan_not_found",
            zh=f"整改方案 {plan_id} 不存在，或不在您的数据范围内",
        )
    return dict(row._mapping)


def listing(
    conn: Connection,
    scope: Scope,
    *,
    installation_id: int | None = None,
    status: str | None = None,
    overdue_on: date | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> Page:
    """Plans in `scope`, earliest deadline first; `overdue_on`: the open plans whose deadline
    lies before that CST day."""
    query = _query(scope)
    if installation_id is not None:
        query = query.where(_p.installation_id == installation_id)
    if status is not None:
        query = query.where(_p.status == status)
    if overdue_on is not None:
        query = query.where(_p.status == "open", _p.deadline < overdue_on)
    query = query.order_by(_p.deadline, _p.id)
    return page_of(conn, query, offset=offset, limit=limit, items=_rows)


def open_plans(conn: Connection, scope: Scope) -> dict[int, dict[str, Any]]:
    """The open plan of each installation in `scope`, by installation id."""
    rows = listing(conn, scope, status="open").items
    return {row["installation_id"]: row for row in rows}


def _check(fields: Mapping[str, Any], today: date) -> None:
    if not str(fields.get("measures") or "").strip():
        raise InvalidInputError(
            "measures: say what will be done",
            details={"field": "measures"},
            zh="整改措施不能为空",
        )
    if not str(fields.get("responsible_name") or "").strip():
        raise InvalidInputError(
            "responsible_name: must not be blank",
            details={"field": "responsible_name"},
            zh="责任人姓名不能为空",
        )
    check_phone(str(fields.get("responsible_phone") or ""), "responsible_phone", "责任人电话")
    if fields["deadline"] < today:
        raise InvalidInputError(
            f"deadline {fields['deadline']} lies before today {today} (CST)",
            code="rectification_deadline_past",
            details={"field": "deadline", "today": today.isoformat()},
            zh=f"整改期限 {fields['deadline']} 早于今天（{today}）",
        )


def create(
    conn: Connection,
    scope: Scope,
    installation: Mapping[str, Any],
    fields: Mapping[str, Any],
    *,
    today: date,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Open a plan for `installation` (read in `scope`); audited. Raises ConflictError when
    the installation is closed (``installation_closed``) or has an open plan
    (``rectification_plan_exists``), InvalidInputError on a blank field, a bad phone or a
    deadline before `today`."""
    if installation["status"] != "active":
        raise ConflictError(
            f"installation {installation['id']} is closed",
            code="installation_closed",
            zh=f"装置“{installation['name']}”已关停，不再制定整改方案",
        )
    existing = open_plans(conn, scope).get(installation["id"])
    if existing is not None:
        raise ConflictError(
            f"installation {installation['id']} has open plan {existing['id']}",
            code="rectification_plan_exists",
            details={"plan_id": existing["id"]},
            zh=f"装置“{installation['name']}”已有未完成的整改方案（编号 {existing['id']}）",
        )
    values: dict[str, Any] = {key: fields[key] for key in FIELDS}
    for name in ("measures", "responsible_name", "responsible_phone"):
        values[name] = str(values[name]).strip()
    _check(values, today)
    at = common.now()
    key = conn.execute(
        insert(rectification_plans).values(
            installation_id=installation["id"],
            status="open",
            created_by=actor[:64],
            created_at=at,
            updated_at=at,
            version=1,
            **values,
        )
    ).inserted_primary_key
    assert key is not None
    plan = get(conn, scope, int(key[0]))
    after = {**values, "installation_id": installation["id"], "deadline": str(values["deadline"])}
    audit.record(conn, actor, "create", "rectification_plan", plan["id"], None, after, remote)
    return plan


def _open_at(plan: Mapping[str, Any], version: int | None) -> None:
    if plan["status"] != "open":
        raise ConflictError(
            f"rectification plan {plan['id']} is completed",
            code="rectification_plan_completed",
            zh=f"整改方案 {plan['id']} 已确认完成，不能再修改",
        )
    if version is not None and version != plan["version"]:
        raise ConflictError(
            f"rectification plan {plan['id']} is at version {plan['version']}, not {version}:"
            " reload it and apply the change again",
            code="rectification_plan_version_conflict",
            details={"version": plan["version"]},
            zh=f"整改方案已被他人修改（当前版本 {plan['version']}），请刷新后重试",
        )


def _bump(conn: Connection, plan: Mapping[str, Any], values: Mapping[str, Any]) -> None:
    done = conn.execute(
        update(rectification_plans)
        .where(_p.id == plan["id"], _p.version == plan["version"])
        .values(updated_at=common.now(), version=plan["version"] + 1, **values)
    )
    if done.rowcount != 1:  # changed by someone else meanwhile
        _open_at({**plan, "version": -1}, plan["version"])


def change(
    conn: Connection,
    scope: Scope,
    plan_id: int,
    changes: Mapping[str, Any],
    *,
    version: int,
    today: date,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Change an open plan made at `version`; audited with the fields before and after. A
    new deadline may not lie before `today`."""
    plan = get(conn, scope, plan_id)
    _open_at(plan, version)
    merged = {key: plan[key] for key in FIELDS} | {
        key: value.strip() if isinstance(value, str) else value
        for key, value in changes.items()
        if key in FIELDS
    }
    changed = {key: value for key, value in merged.items() if plan[key] != value}
    if not changed:
        return plan
    _check({**merged, "deadline": merged["deadline"] if "deadline" in changed else today}, today)
    _bump(conn, plan, changed)
    old = {key: str(plan[key]) if key == "deadline" else plan[key] for key in changed}
    new = {key: str(value) if key == "deadline" else value for key, value in changed.items()}
    audit.record(conn, actor, "update", "rectification_plan", plan_id, old, new, remote)
    return get(conn, scope, plan_id)


def complete(
    conn: Connection,
    scope: Scope,
    plan_id: int,
    *,
    version: int | None,
    note: str | None,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Mark an open plan completed (the regulator's confirmation) and resolve its overdue
    alert, if one is active; audited."""
    plan = get(conn, scope, plan_id)
    _open_at(plan, version)
    at = common.now()
    values = {"status": "completed", "completed_at": at, "completed_by": actor[:64]}
    _bump(conn, plan, values | {"completion_note": note})
    audit.record(
        conn,
        actor,
        "complete",
        "rectification_plan",
        plan_id,
        {"status": "open"},
        {"status": "completed", "note": note},
        remote,
    )
    active = conn.execute(
        select(alerts.c.id).where(
            alerts.c.rule == OVERDUE_RULE,
            alerts.c.subject == subject(plan_id),
            alerts.c.status.in_(alert_store.ACTIVE),
        )
    ).all()
    for (alert_id,) in active:
        alert_store.transition(
            conn,
            Scope.all(),
            alert_id,
            "resolve",
            actor=actor,
            comment="整改已确认完成 / rectification confirmed completed",
            remote=remote,
            closes_regulated=True,
        )
    return get(conn, scope, plan_id)


def add_update(
    conn: Connection,
    scope: Scope,
    plan_id: int,
    fields: Mapping[str, Any],
    *,
    actor: str,
    role: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Add a progress note (``on_date``, ``text``) to a plan in `scope`; audited. A completed
    plan takes no more notes."""
    plan = get(conn, scope, plan_id)
    _open_at(plan, None)
    text = str(fields.get("text") or "").strip()
    if not text:
        raise InvalidInputError(
            "text: say what progress was made", details={"field": "text"}, zh="进展说明不能为空"
        )
    values = {"plan_id": plan_id, "on_date": fields["on_date"], "text": text}
    values |= {"actor": actor[:64], "actor_role": role[:16], "created_at": common.now()}
    key = conn.execute(insert(rectification_updates).values(**values)).inserted_primary_key
    assert key is not None
    after = {"plan_id": plan_id, "on_date": str(values["on_date"]), "text": text}
    audit.record(conn, actor, "create", "rectification_update", int(key[0]), None, after, remote)
    return {**values, "id": int(key[0])}


def updates(
    conn: Connection, scope: Scope, plan_id: int, *, offset: int = 0, limit: int | None = None
) -> Page:
    """The plan's progress notes, newest first."""
    get(conn, scope, plan_id)
    u = rectification_updates.c
    query = (
        select(rectification_updates)
        .where(u.plan_id == plan_id)
        .order_by(u.on_date.desc(), u.id.desc())
    )
    return page_of(conn, query, offset=offset, limit=limit)
