"""``nenghao two-high``: register an installation, read the ledger (table, JSON, XLSX), make
a plan, add progress, the refused completion and the overdue list.

The enterprise's 4号高炉 burns 500 t of coke over 971.4 t of hot metal in the month before
last: 500 x 971.4 kgce / 971.4 t = 500.00 kgce/t > baseline 435 -> 低于基准水平.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from nenghao.analytics.periods import today_cst
from nenghao.cli.main import app
from nenghao.standards.calendar import add_months
from nenghao.store import two_high_plans
from nenghao.store.rollups import rebuild
from nenghao.store.scope import Scope
from two_high_city import furnace

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, ["two-high", *args])


def test_register_ledger_plan_and_refusals(registered, engine, tmp_path) -> None:
    last_but_one = add_months(today_cst(), -2)
    with engine.begin() as conn:
        item = furnace(conn, registered, "bf4", {(last_but_one.year, last_but_one.month): 500.0})
        rebuild(conn)
    added = _run(
        "add-installation", "-e", str(registered), "--sector", "steel", "--name", "4号高炉",
        "--product", "hot_metal", "--item-id", str(item),
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    twice = _run(
        "add-installation", "-e", str(registered), "--sector", "steel", "--name", "4号高炉"
    )
    assert twice.exit_code == 2
    assert "[duplicate_installation]" in twice.output
    rows = json.loads(_run("ledger", "--json").stdout)["rows"]
    assert [r["position"] for r in rows] == ["worse_than_baseline"]
    assert rows[0]["unit_consumption"] == pytest.approx(500.0)
    table = _run("ledger")
    assert table.exit_code == 0
    assert "存量两高项目台账" in table.stdout
    target = tmp_path / "ledger.xlsx"
    assert _run("ledger", "--xlsx", str(target)).exit_code == 0
    sheet = load_workbook(target)["两高装置台账"]
    assert sheet.cell(4, 10).value == 500.0
    deadline = (today_cst() + timedelta(days=30)).isoformat()
    made = _run(
        "plan", str(rows[0]["id"]), "--measures", "更换高效热风炉", "--deadline", deadline,
        "--responsible", "王工", "--phone", "13800000000",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "目标 435 kgce/t" in made.stdout
    with engine.connect() as conn:
        plan_id = two_high_plans.listing(conn, Scope.all()).items[0]["id"]
    assert _run("update", str(plan_id), "--text", "热风炉已招标").exit_code == 0
    refused = _run("complete", str(plan_id))
    assert refused.exit_code == 2
    assert "[rectification_target_not_met]" in refused.output
    overdue = json.loads(_run("overdue", "--json").stdout)
    assert overdue == []
