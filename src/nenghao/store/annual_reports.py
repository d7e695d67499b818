"""The annual report filing (能源利用状况报告): one report per enterprise and year, its versions,
the workflow draft → submitted → returned | accepted (returned → submitted again), and the
city's list with deadlines. Every write is audited in its own transaction; a report outside
the caller's scope is "not found"."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, false, insert, or_, select, true, update

from nenghao.store import audit, common, enterprises
from nenghao.store.annual_parts import REQUIRED_TO_SUBMIT, AnnualParts, missing
from nenghao.store.common import ConflictError, InvalidInputError, NotFoundError, Page, page_of
from nenghao.store.schema import annual_report_versions as versions_table
from nenghao.store.schema import annual_reports
from nenghao.store.schema import enterprises as enterprises_table
from nenghao.store.scope import Scope

EDITABLE = ("draft", "returned")
NOT_FILED = ("draft", "returned")
"""Statuses that count as not submitted for the deadline (with a report never opened)."""
NOT_STARTED = "not_started"
"""The status listed for an enterprise that has not opened its report."""
ENTITY = "annual_report"


def get(conn: Connection, scope: Scope, enterprise_id: int, year: int) -> dict[str, Any] | None:
    """The report, or None when there is none or it lies outside ``scope``."""
    row = conn.execute(
        select(annual_reports).where(
            annual_reports.c.enterprise_id == enterprise_id,
            annual_reports.c.year == year,
            scope.enterprise_clause(annual_reports.c.enterprise_id),
        )
    ).first()
    return dict(row._mapping) if row else None


def _existing(conn: Connection, scope: Scope, enterprise_id: int, year: int) -> dict[str, Any]:
    row = get(conn, scope, enterprise_id, year)
    if row is None:
        raise NotFoundError(
            f"enterprise {enterprise_id} has no annual report for {year}",
            code="annual_report_not_found",
        )
    return row


def open_draft(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    year: int,
    *,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """The report, created as an empty draft when the enterprise opens it the first time."""
    row = get(conn, scope, enterprise_id, year)
    if row is not None:
        return row
    if enterprises.get(conn, scope, enterprise_id) is None:
        raise NotFoundError(f"enterprise {enterprise_id} not found", code="enterprise_not_found")
    at = common.now()
    values = {
        "enterprise_id": enterprise_id,
        "year": year,
        "status": "draft",
        "version": 0,
        "parts": AnnualParts().model_dump(),
        "created_by": actor[:64],
        "created_at": at,
        "updated_at": at,
    }
    conn.execute(insert(annual_reports).values(**values))
    row = _existing(conn, scope, enterprise_id, year)
    audit.record(conn, actor, "annual_report.open", ENTITY, row["id"], None, _summary(row), remote)
    return row


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("enterprise_id", "year", "status", "version", "review_comment")
    return {key: row[key] for key in keys}


def _editable(row: dict[str, Any]) -> None:
    if row["status"] not in EDITABLE:
        raise ConflictError(
            f"the report is {row['status']}; only a draft or a returned report can be changed",
            code="report_not_editable",
            details={"status": row["status"]},
        )


def _next_version(
    conn: Connection, row: dict[str, Any], changes: dict[str, Any], version: dict[str, Any]
) -> dict[str, Any]:
    """Write version ``row.version + 1`` and the report's ``changes``; refuses (409) when the
    report changed since it was read."""
    number = row["version"] + 1
    done = conn.execute(
        update(annual_reports)
        .where(annual_reports.c.id == row["id"], annual_reports.c.version == row["version"])
        .values(version=number, updated_at=common.now(), **changes)
    )
    if done.rowcount != 1:
        raise ConflictError("the report changed meanwhile; reload it", code="report_changed")
    conn.execute(
        insert(versions_table).values(
            report_id=row["id"], version=number, created_at=common.now(), **version
        )
    )
    return {**row, **changes, "version": number}


def save(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    year: int,
    parts: AnnualParts,
    *,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Store the enterprise's parts as a new version (draft or returned reports only)."""
    row = _existing(conn, scope, enterprise_id, year)
    _editable(row)
    content = parts.model_dump()
    after = _next_version(
        conn,
        row,
        {"parts": content},
        {"event": "saved", "parts": content, "author": actor[:64]},
    )
    audit.record(
        conn, actor, "annual_report.save", ENTITY, row["id"], _summary(row), _summary(after), remote
    )
    return _existing(conn, scope, enterprise_id, year)


def submit(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    year: int,
    figures: dict[str, Any],
    *,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Submit the report with ``figures`` (the prefill as of now) kept in the new version.

    Raises ConflictError (``report_not_editable``) unless draft or returned, and
    InvalidInputError (``report_incomplete``, with each missing part) when a required part
    is empty.
    """
    row = _existing(conn, scope, enterprise_id, year)
    _editable(row)
    parts = AnnualParts.model_validate(row["parts"] or {})
    gaps = missing(parts)
    if gaps:
        raise InvalidInputError(
            f"the report lacks required parts: {', '.join(gaps)}",
            code="report_incomplete",
            details=[{"field": key, "message": REQUIRED_TO_SUBMIT[key]} for key in gaps],
        )
    content = parts.model_dump()
    changes = {"status": "submitted", "submitted_at": common.now(), "review_comment": None}
    version = {"event": "submitted", "parts": content, "figures": figures, "author": actor[:64]}
    after = _next_version(conn, row, changes, version)
    audit.record(
        conn,
        actor,
        "annual_report.submit",
        ENTITY,
        row["id"],
        _summary(row),
        _summary(after),
        remote,
    )
    return _existing(conn, scope, enterprise_id, year)


def review(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    year: int,
    decision: str,
    comment: str | None,
    *,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Accept or return (``decision``: accepted | returned, a comment required) the submitted
    version; ConflictError (``report_not_submitted``) when nothing awaits review."""
    row = _existing(conn, scope, enterprise_id, year)
    if row["status"] != "submitted":
        raise ConflictError(
            f"the report is {row['status']}; only a submitted report is reviewed",
            code="report_not_submitted",
            details={"status": row["status"]},
        )
    text = (comment or "").strip() or None
    if decision == "returned" and text is None:
        raise InvalidInputError(
            "a returned report needs a comment saying what to change",
            code="comment_required",
            details={"field": "comment"},
        )
    at = common.now()
    conn.execute(
        update(versions_table)
        .where(versions_table.c.report_id == row["id"], versions_table.c.version == row["version"])
        .values(review=decision, review_comment=text, reviewed_by=actor[:64], reviewed_at=at)
    )
    changes: dict[str, Any] = {"status": decision, "reviewed_at": at, "review_comment": text}
    if decision == "accepted":
        changes["accepted_version"] = row["version"]
    conn.execute(update(annual_reports).where(annual_reports.c.id == row["id"]).values(**changes))
    after = _existing(conn, scope, enterprise_id, year)
    audit.record(
        conn,
        actor,
        f"annual_report.{'accept' if decision == 'accepted' else 'return'}",
        ENTITY,
        row["id"],
        _summary(row),
        _summary(after),
        remote,
    )
    return after


def versions(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    year: int,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> Page:
    """The report's versions, oldest first (NotFoundError when there is no report)."""
    row = _existing(conn, scope, enterprise_id, year)
    query = (
        select(versions_table)
        .where(versions_table.c.report_id == row["id"])
        .order_by(versions_table.c.version)
    )
    return page_of(conn, query, offset=offset, limit=limit)


def accepted(
    conn: Connection, scope: Scope, enterprise_id: int, year: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The accepted report and its accepted version; ConflictError (``report_not_accepted``)
    when the report is not accepted."""
    row = _existing(conn, scope, enterprise_id, year)
    if row["status"] != "accepted":
        raise ConflictError(
            f"the report is {row['status']}; the document is issued from the accepted version",
            code="report_not_accepted",
            details={"status": row["status"]},
        )
    found = conn.execute(
        select(versions_table).where(
            versions_table.c.report_id == row["id"],
            versions_table.c.version == row["accepted_version"],
        )
    ).one()
    return row, dict(found._mapping)


def _overdue_clause(overdue: bool, deadline_passed: bool) -> ColumnElement[bool]:
    late = or_(annual_reports.c.id.is_(None), annual_reports.c.status.in_(NOT_FILED))
    if overdue:
        return late if deadline_passed else false()
    return ~late if deadline_passed else true()


def list_reports(
    conn: Connection,
    scope: Scope,
    year: int,
    *,
    deadline_passed: bool,
    status: str | None = None,
    overdue: bool | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> Page:
    """Every active enterprise in scope with its report of ``year`` (status ``not_started``
    when it has none) and whether it is overdue: the deadline has passed and the report is
    not submitted or accepted (a returned report counts as not submitted)."""
    joined = enterprises_table.outerjoin(
        annual_reports,
        and_(
            annual_reports.c.enterprise_id == enterprises_table.c.id,
            annual_reports.c.year == year,
        ),
    )
    query = (
        select(
            enterprises_table.c.id.label("enterprise_id"),
            enterprises_table.c.name.label("enterprise_name"),
            enterprises_table.c.division_code,
            annual_reports.c.id.label("report_id"),
            annual_reports.c.status,
            annual_reports.c.version,
            annual_reports.c.submitted_at,
            annual_reports.c.reviewed_at,
            annual_reports.c.accepted_version,
        )
        .select_from(joined)
        .where(enterprises_table.c.active.is_(True), scope.enterprise_clause())
        .order_by(enterprises_table.c.division_code, enterprises_table.c.id)
    )
    if status == NOT_STARTED:
        query = query.where(annual_reports.c.id.is_(None))
    elif status is not None:
        query = query.where(annual_reports.c.status == status)
    if overdue is not None:
        query = query.where(_overdue_clause(overdue, deadline_passed))
    page = page_of(conn, query, offset=offset, limit=limit)
    for item in page.items:
        item["status"] = item["status"] or NOT_STARTED
        item["overdue"] = deadline_passed and item["status"] in (NOT_STARTED, *NOT_FILED)
    return page


def submitted_figures(conn: Connection, report: dict[str, Any]) -> dict[str, Any] | None:
    """The figures kept with the report's latest submitted version (None if never submitted)."""
    query = (
        select(versions_table.c.figures)
        .where(versions_table.c.report_id == report["id"], versions_table.c.event == "submitted")
        .order_by(versions_table.c.version.desc())
        .limit(1)
    )
    found = conn.execute(query).scalar_one_or_none()
    return dict(found) if found else None
