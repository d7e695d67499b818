"""Fault reports (故障报备): an enterprise reports a device fault with its cause and the date
it expects the repair, and closes the report when repaired. Every write is audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, insert, select, update

from nenghao.standards.calendar import cst_date
from nenghao.standards.fault_causes import FAULT_CAUSES, cause_code
from nenghao.store import audit, common
from nenghao.store.common import ConflictError, InvalidInputError, NotFoundError, Page, page_of
from nenghao.store.schema import device_credentials, enterprises, fault_reports
from nenghao.store.scope import Scope

_LISTED = [*fault_reports.c, enterprises.c.name.label("enterprise_name")]
_LISTED.append(enterprises.c.division_code)


def _with_names(rows: Any) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        data = dict(row._mapping)
        data["cause_name"], data["cause_name_en"] = FAULT_CAUSES[data["cause"]]
        out.append(data)
    return out


def _query(scope: Scope) -> Select[Any]:
    return (
        select(*_LISTED)
        .join(enterprises, enterprises.c.id == fault_reports.c.enterprise_id)
        .where(scope.enterprise_clause(fault_reports.c.enterprise_id))
    )


def get(conn: Connection, scope: Scope, report_id: int) -> dict[str, Any] | None:
    """A report in `scope`, or None."""
    rows = conn.execute(_query(scope).where(fault_reports.c.id == report_id)).all()
    return _with_names(rows)[0] if rows else None


def listing(
    conn: Connection,
    scope: Scope,
    *,
    enterprise_id: int | None = None,
    status: str | None = None,
    overdue_on: date | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> Page:
    """Reports in `scope`, newest first; `overdue_on`: open ones whose expected repair date
    lies before that CST date."""
    query = _query(scope)
    if enterprise_id is not None:
        query = query.where(fault_reports.c.enterprise_id == enterprise_id)
    if status is not None:
        query = query.where(fault_reports.c.status == status)
    if overdue_on is not None:
        query = query.where(
            fault_reports.c.status == "open", fault_reports.c.expected_repair < overdue_on
        )
    query = query.order_by(fault_reports.c.started_at.desc(), fault_reports.c.id.desc())
    return page_of(conn, query, offset=offset, limit=limit, items=_with_names)


def open_by_enterprise(
    conn: Connection, scope: Scope, enterprise_ids: list[int] | None = None
) -> dict[int, dict[str, Any]]:
    """The latest open report of each enterprise in `scope` (optionally of `enterprise_ids`)."""
    query = _query(scope).where(fault_reports.c.status == "open")
    if enterprise_ids is not None:
        query = query.where(fault_reports.c.enterprise_id.in_(enterprise_ids))
    out: dict[int, dict[str, Any]] = {}
    for row in _with_names(conn.execute(query.order_by(fault_reports.c.started_at)).all()):
        out[row["enterprise_id"]] = row
    return out


def report(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    fields: dict[str, Any],
    *,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Store a new open report of the enterprise; raises InvalidInputError saying why not."""
    at = common.now()
    cause = cause_code(str(fields["cause"]))
    if cause is None:
        names = "、".join(zh for zh, _en in FAULT_CAUSES.values())
        raise InvalidInputError(
            f"unknown cause {fields['cause']!r}; causes: {', '.join(FAULT_CAUSES)}",
            "unknown_fault_cause",
            {"causes": list(FAULT_CAUSES), "names": names},
        )
    started = int(fields["started_at"])
    if started > at + 300:
        raise InvalidInputError("the fault cannot start in the future", "fault_start_in_future")
    expected: date = fields["expected_repair"]
    if expected < cst_date(started):
        raise InvalidInputError(
            f"the expected repair date {expected} lies before the fault's start "
            f"{cst_date(started)}",
            "fault_repair_before_start",
        )
    text = (fields.get("cause_text") or "").strip() or None
    if cause == "other" and text is None:
        raise InvalidInputError("cause 'other' needs a description", "fault_cause_text_missing")
    key_id = fields.get("key_id")
    if key_id is not None and not _owns_key(conn, enterprise_id, key_id):
        raise InvalidInputError(
            f"device credential {key_id!r} is not one of this enterprise's", "fault_unknown_key"
        )
    result = conn.execute(
        insert(fault_reports).values(
            enterprise_id=enterprise_id,
            key_id=key_id,
            cause=cause,
            cause_text=text,
            started_at=started,
            expected_repair=expected,
            status="open",
            reported_by=actor[:64],
            reported_at=at,
            note=fields.get("note"),
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    row = get(conn, scope, int(key[0]))
    assert row is not None
    audit.record(conn, actor, "report", "fault_report", row["id"], None, _audited(row), remote)
    return row


def repair(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    report_id: int,
    *,
    note: str | None,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Mark an open report repaired; NotFoundError / ConflictError when it cannot be."""
    before = get(conn, scope, report_id)
    if before is None or before["enterprise_id"] != enterprise_id:
        raise NotFoundError(f"fault report {report_id} not found", "fault_not_found")
    if before["status"] != "open":
        raise ConflictError(f"fault report {report_id} is already repaired", "fault_closed")
    values: dict[str, Any] = {"status": "repaired", "repaired_at": common.now()}
    values["repaired_by"] = actor
    if note:
        values["note"] = note
    conn.execute(update(fault_reports).where(fault_reports.c.id == report_id).values(values))
    after = get(conn, scope, report_id)
    assert after is not None
    audit.record(
        conn, actor, "repair", "fault_report", report_id, _audited(before), _audited(after), remote
    )
    return after


def _owns_key(conn: Connection, enterprise_id: int, key_id: str) -> bool:
    found = conn.execute(
        select(device_credentials.c.id).where(
            device_credentials.c.key_id == key_id,
            device_credentials.c.enterprise_id == enterprise_id,
        )
    ).first()
    return found is not None


def _audited(row: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in row.items() if k not in ("enterprise_name", "cause_name_en")}
    data["expected_repair"] = str(data["expected_repair"])
    return data
