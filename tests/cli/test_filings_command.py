"""``nenghao filings``: a month filed from the command line through the uplink pipeline,
compared with the online sum, revised with a reason, its history and the flagged list."""

from __future__ import annotations

import json
from datetime import date

import pytest
from cli_support import CREDIT_CODE
from sqlalchemy import func, insert, select
from typer.testing import CliRunner

from nenghao.cli.main import app
from nenghao.standards.calendar import cst_midnight
from nenghao.store import items, rollups
from nenghao.store.schema import audit_log, filings, readings
from nenghao.store.scope import Scope

runner = CliRunner()
HOUR = 3600
NOV_START = cst_midnight(date(2025, 11, 1))
ONLINE = 20 * 24 * 100.0 + 10 * 24 * 150.0  # 84 000 kWh
ITEM = {"name": "全厂电力", "measures": "energy", "energy_kind": "电力", "unit": "kWh"}


@pytest.fixture
def metered(registered, engine) -> int:
    """An hourly electricity meter: 100 kWh each hour of November's first 20 days, 150 after."""
    with engine.begin() as conn:
        item = items.create(conn, Scope.all(), registered, ITEM | {"period": "hour"}, actor="t")
        rows = [
            {"item_id": item["id"], "period": "hour", "period_start": NOV_START + h * HOUR}
            | {"value": 100.0 if h < 20 * 24 else 150.0, "source": "http", "received_at": 0}
            for h in range(30 * 24)
        ]
        conn.execute(insert(readings), rows)
        rollups.rebuild(conn, [item["id"]])
    return registered


def _filings(*args: str):
    return runner.invoke(app, ["filings", *args])


def test_file_compare_revise_and_history(metered, engine) -> None:
    form = json.loads(_filings("show", "-e", CREDIT_CODE, "2025-11", "--json").stdout)
    assert form["filing"] is None
    assert [(x["subject"], x["mode"], x["online"]) for x in form["lines"]] == [
        ("electricity", "compared", ONLINE)
    ]
    assert "未填报" in _filings("show", "-e", CREDIT_CODE, "2025-11").stdout
    lines = ("--line", "电力=90000 kWh", "--line", "output_value=1250 万元")
    filed = _filings("file", "-e", CREDIT_CODE, "2025-11", *lines)
    assert filed.exit_code == 0, filed.output
    assert "revision 1 需复核" in filed.stdout
    assert f"{90000 / ONLINE - 1:+.1%}" in filed.stdout  # +7.1 %
    flagged = json.loads(_filings("flagged", "--json").stdout)
    assert [(f["label"], f["revision"]) for f in flagged] == [("2025-11", 1)]
    again = _filings("file", "-e", CREDIT_CODE, "2025-11", *lines)
    assert (again.exit_code, "[revision_reason_required]" in again.output) == (2, True)
    revised = _filings(
        "file", "-e", str(metered), "2025-11", "--line", "电力=84000 kWh", "--reason", "抄表更正"
    )
    assert "revision 2 已填报" in revised.stdout, revised.output
    assert json.loads(_filings("flagged", "--json").stdout) == []
    history = json.loads(_filings("history", "-e", CREDIT_CODE, "2025-11", "--json").stdout)
    assert [(r["revision"], r["reason"]) for r in history] == [(2, "抄表更正"), (1, None)]
    shown = _filings("history", "-e", CREDIT_CODE, "2025-11")
    assert "原因 reason: 抄表更正" in shown.stdout
    with engine.connect() as conn:
        actors = conn.execute(
            select(audit_log.c.actor).where(audit_log.c.entity == "filing")
        ).scalars()
        assert all(actor.startswith("cli") for actor in actors)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("2025-11", "--line", "电力84000 kWh"), "invalid_filing_line"),
        (("2025-11", "--line", "电力=-5 kWh"), "invalid_filing_line"),
        (("2099-01", "--line", "电力=1 kWh"), "future_period"),
        (("2025-11", "--line", "电力=1 m3"), "unit_dimension_mismatch"),
        (("2025-13", "--line", "电力=1 kWh"), "invalid_period"),
    ],
)
def test_bad_filings_store_nothing(metered, engine, args, code) -> None:
    refused = _filings("file", "-e", CREDIT_CODE, *args)
    assert refused.exit_code == 2, refused.output
    assert f"[{code}]" in refused.output
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(filings)).scalar() == 0
    missing = _filings("history", "-e", CREDIT_CODE, "2025-11")
    assert (missing.exit_code, "[filing_not_found]" in missing.output) == (2, True)
