"""``nenghao status`` and ``nenghao faults``: the city's list, one enterprise, a fault
reported, listed as overdue and repaired."""

from __future__ import annotations

import json
from datetime import date, timedelta

from cli_support import CREDIT_CODE, NAME
from sqlalchemy import select
from typer.testing import CliRunner

from nenghao.cli.main import app
from nenghao.store.schema import audit_log

runner = CliRunner()


def _invoke(*args: str):
    return runner.invoke(app, list(args))


def test_status_list_and_show(registered) -> None:
    listed = _invoke("status", "list", "--json")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert [(r["enterprise_name"], r["state"]) for r in rows] == [(NAME, "never")]
    assert json.loads(_invoke("status", "list", "--state", "online", "--json").stdout) == []
    elsewhere = _invoke("status", "list", "--division", "210303", "--json")
    assert json.loads(elsewhere.stdout) == []
    bad = _invoke("status", "list", "--division", "21")
    assert (bad.exit_code, "[invalid_division]" in bad.output) == (2, True)
    shown = _invoke("status", "show", "-e", CREDIT_CODE, "--days", "3")
    assert shown.exit_code == 0, shown.output
    assert f"{NAME}: 从未上线 (never)" in shown.stdout
    detail = json.loads(_invoke("status", "show", "-e", str(registered), "--json").stdout)
    assert len(detail["days"]) == 30
    unknown = _invoke("status", "show", "-e", "999")
    assert (unknown.exit_code, "[unknown_enterprise]" in unknown.output) == (2, True)


def test_fault_report_overdue_and_repair(registered, engine) -> None:
    started = (date.today() - timedelta(days=5)).isoformat()
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    args = ("faults", "report", "-e", CREDIT_CODE, "--cause", "通信中断", "--started", started)
    early = _invoke(*args, "--expected-repair", "2000-01-01")
    assert (early.exit_code, "[fault_repair_before_start]" in early.output) == (2, True)
    unknown = _invoke(*args[:4], "--cause", "雷击", *args[6:], "--expected-repair", yesterday)
    assert (unknown.exit_code, "[unknown_fault_cause]" in unknown.output) == (2, True)
    reported = _invoke(*args, "--expected-repair", yesterday, "--note", "光纤被挖断")
    assert reported.exit_code == 0, reported.output
    assert "通信中断 未修复" in reported.stdout
    overdue = json.loads(_invoke("faults", "list", "--overdue", "--json").stdout)
    assert [(f["enterprise_name"], f["cause"], f["note"]) for f in overdue] == [
        (NAME, "communication", "光纤被挖断")
    ]
    fault_id = str(overdue[0]["id"])
    status = json.loads(_invoke("status", "list", "--json").stdout)
    assert status[0]["open_fault"]["id"] == overdue[0]["id"]
    repaired = _invoke("faults", "repair", "-e", CREDIT_CODE, fault_id, "--note", "已熔接")
    assert "已修复" in repaired.stdout, repaired.output
    again = _invoke("faults", "repair", "-e", CREDIT_CODE, fault_id)
    assert (again.exit_code, "[fault_closed]" in again.output) == (2, True)
    assert json.loads(_invoke("faults", "list", "--overdue", "--json").stdout) == []
    assert "1 fault reports" in _invoke("faults", "list").stdout
    with engine.connect() as conn:
        actions = conn.execute(
            select(audit_log.c.action, audit_log.c.actor).where(
                audit_log.c.entity == "fault_report"
            )
        ).all()
    assert [a for a, _ in actions] == ["report", "repair"]
    assert all(actor.startswith("cli") for _, actor in actions)
