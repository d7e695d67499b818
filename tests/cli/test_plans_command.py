"""``nenghao plans``: show, submit, return (comment required), approve, pending."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from nenghao.cli.main import app
from nenghao.store import enterprises, items
from nenghao.store.credit_code import make_credit_code
from nenghao.store.schema import audit_log, data_items
from nenghao.store.scope import Scope

runner = CliRunner()
CODE = make_credit_code("210302", "MA0XPLN01")
ELECTRICITY = {"name": "全厂电力消耗", "measures": "energy", "energy_kind": "电力"}
ELECTRICITY |= {"unit": "kWh", "period": "hour"}


@pytest.fixture
def plant(db_url, tmp_path, monkeypatch, engine) -> int:
    monkeypatch.setenv("NENGHAO_DATABASE_URL", db_url)
    monkeypatch.setenv("NENGHAO_DATA_DIR", str(tmp_path))
    with engine.begin() as conn:
        row = enterprises.create(
            conn,
            Scope.all(),
            {"credit_code": CODE, "name": "鞍山示例焦化", "division_code": "210302"}
            | {"industry_code": "3110"},
            actor="test",
        )
    return int(row["id"])


def _invoke(*args: str):
    return runner.invoke(app, ["plans", *args])


def test_submit_return_approve_from_the_command_line(plant, engine) -> None:
    empty = _invoke("submit", "-e", CODE)
    assert (empty.exit_code, "[plan_empty]" in empty.output) == (2, True)
    with engine.begin() as conn:
        items.create(conn, Scope.all(), plant, ELECTRICITY, actor="test")
    shown = _invoke("show", "-e", CODE)
    assert shown.exit_code == 0, shown.output
    assert "采集方案 草稿" in shown.stdout
    assert "待审核" in shown.stdout
    submitted = _invoke("submit", "-e", str(plant), "--note", "首次提交")
    assert "submitted: version 1 已提交 (新增 1 · 变更 0 · 停用 0)" in submitted.stdout
    waiting = _invoke("pending")
    assert "鞍山示例焦化" in waiting.stdout
    assert "1 plans awaiting review" in waiting.stdout
    bare = _invoke("return", "-e", CODE, "--comment", " ")
    assert (bare.exit_code, "[plan_comment_required]" in bare.output) == (2, True)
    returned = _invoke("return", "-e", CODE, "--comment", "补充计量器具信息")
    assert "审核意见 comment: 补充计量器具信息" in returned.stdout
    assert _invoke("approve", "-e", CODE).exit_code == 2  # nothing awaits review
    _invoke("submit", "-e", CODE)
    approved = _invoke("approve", "-e", CODE)
    assert "approved: version 2 已批准" in approved.stdout, approved.output
    with engine.connect() as conn:
        assert conn.execute(select(data_items.c.approval)).scalars().all() == ["approved"]
        actions = conn.execute(
            select(audit_log.c.action).where(audit_log.c.entity == "collection_plan")
        ).scalars()
        assert list(actions) == ["submit", "return", "submit", "approve"]
