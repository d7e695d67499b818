"""``nenghao annual-reports``: the annual energy-utilisation reports (能源利用状况报告) —
a year's list with the deadline, one report, submit, return, accept, and the accepted PDF.
The enterprise fills its own parts in the dashboard or through the API."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.table import Table

from nenghao.analytics.periods import today_cst
from nenghao.analytics.targets import Thresholds
from nenghao.cli.common import (
    AsJson,
    Enterprise,
    actor,
    console,
    fail,
    print_json,
    say,
    session,
    settings,
    when,
)
from nenghao.cli.users import resolve_enterprise
from nenghao.monitor.deadlines import annual_deadline, configured_rule
from nenghao.reports.annual_figures import prefill
from nenghao.reports.annual_pdf import accepted_report
from nenghao.reports.errors import ReportFontError
from nenghao.store import annual_reports, common, enterprises
from nenghao.store.annual_parts import AnnualParts, missing
from nenghao.store.scope import Scope

app = typer.Typer(
    help="Annual energy-utilisation reports (能源利用状况报告).", no_args_is_help=True
)
Year = Annotated[int, typer.Argument(min=1990, max=2100, help="The report's year.")]
ListedStatus = Literal["not_started", "draft", "submitted", "returned", "accepted"]
STATUS_ZH = {
    "not_started": "未开始",
    "draft": "填写中",
    "submitted": "已提交",
    "returned": "已退回",
    "accepted": "已受理",
}


def _deadline(year: int) -> tuple[str, bool]:
    due, passed = annual_deadline(
        year, configured_rule(settings().annual_report_deadline), common.now()
    )
    return due.isoformat(), passed


def _show(report: dict[str, Any], verb: str) -> None:
    due, passed = _deadline(report["year"])
    overdue = passed and report["status"] in annual_reports.NOT_FILED
    say(
        f"{verb}: {report['year']}年度 {STATUS_ZH[report['status']]} ({report['status']}),"
        f" version {report['version']}, 截止 due {due}" + (" 已逾期 overdue" if overdue else "")
    )
    if report["review_comment"]:
        say(f"审核意见 comment: {report['review_comment']}")


def _review(enterprise: str, year: int, decision: str, comment: str | None) -> dict[str, Any]:
    with session(write=True) as conn:
        enterprise_id = resolve_enterprise(conn, enterprise)
        return annual_reports.review(
            conn, Scope.all(), enterprise_id, year, decision, comment, actor=actor()
        )


@app.command("list")
def list_command(
    year: Annotated[int, typer.Option(min=1990, max=2100, help="The reports' year.")],
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only those past the deadline, not filed.")
    ] = False,
    status: Annotated[ListedStatus | None, typer.Option()] = None,
    as_json: AsJson = False,
) -> None:
    """Every active enterprise with its report of the year and whether it is overdue."""
    due, passed = _deadline(year)
    with session() as conn:
        page = annual_reports.list_reports(
            conn,
            Scope.all(),
            year,
            deadline_passed=passed,
            status=status,
            overdue=True if overdue else None,
            limit=None,
        )
    if as_json:
        print_json({"year": year, "due": due, "deadline_passed": passed, "items": page.items})
        return
    table = Table(title=f"{year}年度能源利用状况报告: {page.total} enterprises, 截止 due {due}")
    for column in ("enterprise", "status", "version", "submitted", "overdue"):
        table.add_column(column)
    for row in page.items:
        table.add_row(
            row["enterprise_name"],
            STATUS_ZH[row["status"]],
            "" if row["version"] is None else str(row["version"]),
            when(row["submitted_at"]),
            "已逾期" if row["overdue"] else "",
        )
    console.print(table)


@app.command("show")
def show(enterprise: Enterprise, year: Year, as_json: AsJson = False) -> None:
    """The report's status, version, review comment and the parts still missing."""
    with session() as conn:
        enterprise_id = resolve_enterprise(conn, enterprise)
        report = annual_reports.get(conn, Scope.all(), enterprise_id, year)
    if report is None:
        fail(
            f"{enterprise} 尚未打开 {year} 年度报告 has no report of {year}"
            " [annual_report_not_found]"
        )
    gaps = missing(AnnualParts.model_validate(report["parts"] or {}))
    if as_json:
        print_json({**report, "missing": gaps})
        return
    _show(report, str(enterprise))
    if gaps:
        say(f"未填 missing: {', '.join(gaps)}")


@app.command("submit")
def submit(enterprise: Enterprise, year: Year) -> None:
    """Submit the enterprise's report with the figures as of now (its parts complete)."""
    if year >= today_cst().year:
        fail(f"{year}年度尚未结束 the year {year} has not ended [year_not_ended]")
    current = settings()
    thresholds = Thresholds(current.target_warning_yellow, current.target_warning_red)
    with session(write=True) as conn:
        enterprise_id = resolve_enterprise(conn, enterprise)
        figures = prefill(conn, Scope.all(), enterprise_id, year, thresholds)
        report = annual_reports.submit(
            conn, Scope.all(), enterprise_id, year, figures, actor=actor()
        )
    _show(report, "submitted")


@app.command("return")
def return_command(
    enterprise: Enterprise,
    year: Year,
    comment: Annotated[str, typer.Option(help="What to change (required).")],
) -> None:
    """Return the submitted report to the enterprise with a comment."""
    _show(_review(enterprise, year, "returned", comment), "returned")


@app.command("accept")
def accept(
    enterprise: Enterprise,
    year: Year,
    comment: Annotated[str | None, typer.Option(help="The reviewer's comment.")] = None,
) -> None:
    """Accept the submitted version (the document is issued from it)."""
    _show(_review(enterprise, year, "accepted", comment), "accepted")


@app.command("pdf")
def pdf(
    enterprise: Enterprise,
    year: Year,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the PDF.")],
) -> None:
    """Write the accepted report (能源利用状况报告) as a PDF."""
    with session() as conn:
        enterprise_id = resolve_enterprise(conn, enterprise)
        report, version = annual_reports.accepted(conn, Scope.all(), enterprise_id, year)
        row = enterprises.get(conn, Scope.all(), enterprise_id)
    assert row is not None
    try:
        content = accepted_report(row, report, version)
    except ReportFontError as exc:
        fail(f"{exc} [report_font_missing]")
    try:
        output.write_bytes(content)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    say(f"{output}: {row['name']}{year}年度能源利用状况报告（第{version['version']}版）")
