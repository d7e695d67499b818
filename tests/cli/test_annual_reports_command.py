"""``nenghao annual-reports``: the year's list with the overdue, submit, return, accept and
the accepted PDF from the command line."""

from __future__ import annotations

import json

from cli_support import CREDIT_CODE, NAME
from sqlalchemy import select
from typer.testing import CliRunner

from nenghao.cli.main import app
from nenghao.store import annual_reports
from nenghao.store.annual_parts import AnnualParts
from nenghao.store.schema import audit_log
from nenghao.store.scope import Scope

runner = CliRunner()
YEAR = "2025"
PARTS = {
    "measures": ["空压站改造为变频控制"],
    "management": {"manager_name": "王工", "phone": "0412-5551234", "management_system": True}
    | {"metering_rate_pct": 98.5},
    "statement_confirmed": True,
}


def _reports(*args: str):
    return runner.invoke(app, ["annual-reports", *args])


def test_review_from_the_command_line(registered, engine, tmp_path) -> None:
    listed = json.loads(_reports("list", "--year", YEAR, "--json").stdout)
    assert [(r["enterprise_name"], r["status"]) for r in listed["items"]] == [(NAME, "not_started")]
    assert listed["due"] == "2026-03-31"  # 31 March 2026 is a Tuesday, a working day
    overdue = json.loads(_reports("list", "--year", YEAR, "--overdue", "--json").stdout)
    assert [r["enterprise_name"] for r in overdue["items"]] == [NAME]  # it is past 2026-03-31
    missing = _reports("show", "-e", CREDIT_CODE, YEAR)
    assert (missing.exit_code, "[annual_report_not_found]" in missing.output) == (2, True)
    with engine.begin() as conn:
        annual_reports.open_draft(conn, Scope.all(), registered, 2025, actor="企业")
    gaps = json.loads(_reports("show", "-e", CREDIT_CODE, YEAR, "--json").stdout)["missing"]
    assert "measures" in gaps
    early = _reports("submit", "-e", CREDIT_CODE, YEAR)
    assert (early.exit_code, "[report_incomplete]" in early.output) == (2, True)
    with engine.begin() as conn:
        parts = AnnualParts.model_validate(PARTS)
        annual_reports.save(conn, Scope.all(), registered, 2025, parts, actor="企业")
    not_yet = _reports("accept", "-e", CREDIT_CODE, YEAR)
    assert (not_yet.exit_code, "[report_not_submitted]" in not_yet.output) == (2, True)
    submitted = _reports("submit", "-e", CREDIT_CODE, YEAR)
    assert "2025年度 已提交 (submitted), version 2" in submitted.stdout, submitted.output
    returned = _reports("return", "-e", CREDIT_CODE, YEAR, "--comment", "补充节能项目")
    assert "审核意见 comment: 补充节能项目" in returned.stdout, returned.output
    unaccepted = _reports("pdf", "-e", CREDIT_CODE, YEAR, "-o", str(tmp_path / "r.pdf"))
    assert (unaccepted.exit_code, "[report_not_accepted]" in unaccepted.output) == (2, True)
    _reports("submit", "-e", CREDIT_CODE, YEAR)
    accepted = _reports("accept", "-e", str(registered), YEAR)
    assert "已受理 (accepted), version 3" in accepted.stdout, accepted.output
    out = tmp_path / "report.pdf"
    written = _reports("pdf", "-e", CREDIT_CODE, YEAR, "-o", str(out))
    assert written.exit_code == 0, written.output
    assert out.read_bytes().startswith(b"%PDF")
    assert "（第3版）" in written.stdout
    with engine.connect() as conn:
        actors = conn.execute(
            select(audit_log.c.action, audit_log.c.actor).where(
                audit_log.c.entity == "annual_report", audit_log.c.actor.startswith("cli")
            )
        ).all()
    assert [a for a, _ in actors] == [
        "annual_report." + a for a in ("submit", "return", "submit", "accept")
    ]
