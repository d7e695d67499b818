"""The annual energy-utilisation report filing (能源利用状况报告): the enterprise opens its report
of a past year (prefilled from the monitored and filed data), fills in its parts and submits
it; a regulator or the district returns it with a comment or accepts it; the document is
issued from the accepted version. The city's list shows every enterprise's report with the
deadline and who is overdue."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import Field
from sqlalchemy import Connection

from nenghao.analytics.periods import today_cst
from nenghao.analytics.targets import Thresholds
from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, PagingDep, RemoteDep, SettingsDep
from nenghao.api.errors import ApiError
from nenghao.api.models.annual_reports import (
    AnnualListedReport,
    AnnualReportOut,
    AnnualVersionOut,
    ListedStatus,
)
from nenghao.api.params import YEAR_MAX, YEAR_MIN, Id, Year
from nenghao.api.routers.reports import PDF, download, file_answer
from nenghao.api.routing import JsonRoute
from nenghao.api.serialize import PageOut, Strict, page_out
from nenghao.config import Settings
from nenghao.monitor.deadlines import annual_deadline, configured_rule
from nenghao.reports.annual_figures import prefill
from nenghao.reports.annual_pdf import accepted_report
from nenghao.reports.errors import ReportFontError
from nenghao.standards.annual_report import DeadlineRule
from nenghao.store import annual_reports, common, enterprises
from nenghao.store.annual_parts import AnnualParts, missing
from nenghao.store.scope import Scope

router = APIRouter(tags=["annual reports"], route_class=JsonRoute)
Reader = Annotated[Principal, require("annual_reports:read")]
Writer = Annotated[Principal, require("annual_reports:write")]
Reviewer = Annotated[Principal, require("annual_reports:review")]
ReportYear = Annotated[int, Path(ge=YEAR_MIN, le=YEAR_MAX, description="the report's year")]
ONE = "/enterprises/{enterprise_id}/annual-reports/{year}"
Responses = dict[int | str, dict[str, Any]]
NOT_FOUND: Responses = {404: {"description": "enterprise_not_found, annual_report_not_found"}}


class ReturnIn(Strict):
    comment: str = Field(min_length=1, max_length=2000, description="what to change")


class AcceptIn(Strict):
    comment: str | None = Field(default=None, max_length=2000)


class AnnualReportPage(PageOut[AnnualListedReport]):
    year: int
    due: str = Field(description="the last day for filing (CST date)")
    deadline_passed: bool
    deadline_source: str
    deadline_status: str


def _rule(settings: Settings) -> DeadlineRule:
    return configured_rule(settings.annual_report_deadline)


def _passed(year: int, rule: DeadlineRule) -> tuple[str, bool]:
    due, passed = annual_deadline(year, rule, common.now())
    return due.isoformat(), passed


def _ended(year: int) -> None:
    if year >= today_cst().year:
        raise ApiError(
            422,
            "year_not_ended",
            f"the report of {year} can be filed from {year + 1}-01-01, once the year has ended",
            details={"year": year, "from": f"{year + 1}-01-01"},
            zh=f"{year}年度尚未结束，{year + 1}年1月1日起方可填报该年度报告",
        )


def _answer(
    conn: Connection, scope: Scope, report: dict[str, Any], settings: Settings
) -> dict[str, Any]:
    enterprise = enterprises.get(conn, scope, report["enterprise_id"])
    assert enterprise is not None
    figures = None
    if report["status"] not in annual_reports.EDITABLE:
        figures = annual_reports.submitted_figures(conn, report)
    source = "submitted" if figures is not None else "live"
    if figures is None:
        thresholds = Thresholds(settings.target_warning_yellow, settings.target_warning_red)
        figures = prefill(conn, scope, report["enterprise_id"], report["year"], thresholds)
    rule = _rule(settings)
    due, passed = _passed(report["year"], rule)
    return {
        **report,
        "enterprise_name": enterprise["name"],
        "figures": figures,
        "figures_source": source,
        "missing": missing(AnnualParts.model_validate(report["parts"] or {})),
        "deadline": {
            "due": due,
            "overdue": passed and report["status"] in annual_reports.NOT_FILED,
            "source": rule.source,
            "status": rule.status,
        },
    }


@router.get(
    ONE,
    response_model=AnnualReportOut,
    summary="Open an annual report",
    responses=NOT_FOUND,
)
def open_report(
    enterprise_id: Id,
    year: ReportYear,
    principal: Reader,
    engine: EngineDep,
    settings: SettingsDep,
    remote: RemoteDep,
) -> Any:
    """The report with its figures: read now from the monitored and filed data while the
    enterprise may change it, as submitted afterwards. The enterprise's first opening creates
    the draft; others see a report once the enterprise has opened it. A year not ended: 422."""
    _ended(year)
    with engine.begin() as conn:
        if principal.scope.kind == "enterprise":
            report = annual_reports.open_draft(
                conn, principal.scope, enterprise_id, year, actor=principal.username, remote=remote
            )
        else:
            found = annual_reports.get(conn, principal.scope, enterprise_id, year)
            if found is None:
                if enterprises.get(conn, principal.scope, enterprise_id) is None:
                    raise ApiError(
                        404, "enterprise_not_found", f"enterprise {enterprise_id} not found"
                    )
                raise ApiError(
                    404,
                    "annual_report_not_found",
                    f"enterprise {enterprise_id} has not opened its report of {year}",
                )
            report = found
        return _answer(conn, principal.scope, report, settings)


@router.put(
    ONE,
    response_model=AnnualReportOut,
    summary="Save the enterprise's parts",
    responses={**NOT_FOUND, 409: {"description": "report_not_editable"}},
)
def save_parts(
    enterprise_id: Id,
    year: ReportYear,
    body: AnnualParts,
    principal: Writer,
    engine: EngineDep,
    settings: SettingsDep,
    remote: RemoteDep,
) -> Any:
    """Keep the measures, projects, management, explanation and statement as a new version
    (a draft or returned report only); audited."""
    _ended(year)
    with engine.begin() as conn:
        report = annual_reports.save(
            conn,
            principal.scope,
            enterprise_id,
            year,
            body,
            actor=principal.username,
            remote=remote,
        )
        return _answer(conn, principal.scope, report, settings)


@router.post(
    f"{ONE}/submit",
    response_model=AnnualReportOut,
    summary="Submit the report",
    responses={
        **NOT_FOUND,
        409: {"description": "report_not_editable"},
        422: {"description": "report_incomplete: the required parts left empty"},
    },
)
def submit(
    enterprise_id: Id,
    year: ReportYear,
    principal: Writer,
    engine: EngineDep,
    settings: SettingsDep,
    remote: RemoteDep,
) -> Any:
    """Submit the report with the figures as of now kept in the new version; audited."""
    _ended(year)
    thresholds = Thresholds(settings.target_warning_yellow, settings.target_warning_red)
    with engine.begin() as conn:
        if annual_reports.get(conn, principal.scope, enterprise_id, year) is None:
            raise ApiError(404, "annual_report_not_found", f"no report of {year}: open it first")
        figures = prefill(conn, principal.scope, enterprise_id, year, thresholds)
        report = annual_reports.submit(
            conn,
            principal.scope,
            enterprise_id,
            year,
            figures,
            actor=principal.username,
            remote=remote,
        )
        return _answer(conn, principal.scope, report, settings)


def _review(
    decision: str,
    comment: str | None,
    enterprise_id: int,
    year: int,
    principal: Principal,
    engine: Any,
    settings: Settings,
    remote: str | None,
) -> dict[str, Any]:
    with engine.begin() as conn:
        report = annual_reports.review(
            conn,
            principal.scope,
            enterprise_id,
            year,
            decision,
            comment,
            actor=principal.username,
            remote=remote,
        )
        return _answer(conn, principal.scope, report, settings)


REVIEW_ERRORS: Responses = {**NOT_FOUND, 409: {"description": "report_not_submitted"}}


@router.post(
    f"{ONE}/return",
    response_model=AnnualReportOut,
    summary="Return the report with a comment",
    responses=REVIEW_ERRORS,
)
def return_report(
    enterprise_id: Id,
    year: ReportYear,
    body: ReturnIn,
    principal: Reviewer,
    engine: EngineDep,
    settings: SettingsDep,
    remote: RemoteDep,
) -> Any:
    """Send the submitted report back to the enterprise, saying what to change; audited."""
    return _review(
        "returned", body.comment, enterprise_id, year, principal, engine, settings, remote
    )


@router.post(
    f"{ONE}/accept",
    response_model=AnnualReportOut,
    summary="Accept the report",
    responses=REVIEW_ERRORS,
)
def accept_report(
    enterprise_id: Id,
    year: ReportYear,
    principal: Reviewer,
    engine: EngineDep,
    settings: SettingsDep,
    remote: RemoteDep,
    body: AcceptIn | None = None,
) -> Any:
    """Accept the submitted version (the document is issued from it); audited."""
    comment = body.comment if body else None
    return _review("accepted", comment, enterprise_id, year, principal, engine, settings, remote)


@router.get(
    f"{ONE}/versions",
    response_model=PageOut[AnnualVersionOut],
    summary="Versions of the report",
    responses=NOT_FOUND,
)
def versions(
    enterprise_id: Id, year: ReportYear, principal: Reader, engine: EngineDep, paging: PagingDep
) -> Any:
    """Each save and each submission, oldest first, with the review of each submission."""
    with engine.connect() as conn:
        page = annual_reports.versions(
            conn,
            principal.scope,
            enterprise_id,
            year,
            offset=paging.offset,
            limit=paging.page_size,
        )
    return page_out(page, paging.page_size)


@router.get(
    f"{ONE}/pdf",
    summary="The accepted report (PDF)",
    response_class=Response,
    responses={**file_answer(PDF), **NOT_FOUND, 409: {"description": "report_not_accepted"}},
)
def pdf(enterprise_id: Id, year: ReportYear, principal: Reader, engine: EngineDep) -> Response:
    """能源利用状况报告 of the accepted version, in Chinese, with its version number and the
    day it was accepted; 409 ``report_not_accepted`` before acceptance."""
    with engine.connect() as conn:
        report, version = annual_reports.accepted(conn, principal.scope, enterprise_id, year)
        enterprise = enterprises.get(conn, principal.scope, enterprise_id)
    assert enterprise is not None
    try:
        content = accepted_report(enterprise, report, version)
    except ReportFontError as exc:
        raise ApiError(503, "report_font_missing", str(exc)) from None
    name = f"{enterprise['name']}{year}年度能源利用状况报告（第{version['version']}版）.pdf"
    return download(content, PDF, name, f"annual-report-{enterprise_id}-{year}.pdf")


@router.get(
    "/annual-reports",
    response_model=AnnualReportPage,
    summary="Annual reports of a year, with the deadline",
)
def list_reports(
    principal: Reader,
    engine: EngineDep,
    settings: SettingsDep,
    paging: PagingDep,
    year: Year,
    status: Annotated[ListedStatus | None, Query()] = None,
    overdue: bool | None = None,
) -> Any:
    """Every enterprise in scope with its report of ``year`` (``not_started`` when it has not
    opened it) and whether it is overdue: the deadline has passed and the report is not
    submitted or accepted (a returned report counts as not submitted)."""
    rule = _rule(settings)
    due, passed = _passed(year, rule)
    with engine.connect() as conn:
        page = annual_reports.list_reports(
            conn,
            principal.scope,
            year,
            deadline_passed=passed,
            status=status,
            overdue=overdue,
            offset=paging.offset,
            limit=paging.page_size,
        )
    return {
        **page_out(page, paging.page_size),
        "year": year,
        "due": due,
        "deadline_passed": passed,
        "deadline_source": rule.source,
        "deadline_status": rule.status,
    }
