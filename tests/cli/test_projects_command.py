"""``nenghao projects``: create from a file, attach, every review step, inbox; bad input
exits 2 with the message."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from nenghao.cli.main import app
from nenghao.store import users
from notice_files import EXE, PDF

runner = CliRunner()
PROJECT_TOML = """
name = "焦炉煤气综合利用项目"
industry_code = "2641"
construction_type = "new"
first_full_year = 2030

[[energy]]
energy = "raw_coal"
quantity = 2000
unit = "t"

[[energy]]
energy = "electricity"
quantity = 100
unit = "万kWh"
"""


def _projects(*args: str):
    return runner.invoke(app, ["projects", *args])


@pytest.fixture
def people(registered, engine) -> int:
    with engine.begin() as conn:
        for name, role, scope in (
            ("qiye", "enterprise", {"enterprise_id": registered}),
            ("shi", "regulator", {}),
        ):
            users.create(conn, username=name, password="Secret-pass-1", role=role, actor="t",
                         **scope)  # fmt: skip
    return registered


def test_a_project_from_file_to_approval(people, tmp_path) -> None:
    path = tmp_path / "project.toml"
    path.write_text(PROJECT_TOML, encoding="utf-8")
    made = _projects("create", "--file", str(path), "--user", "qiye")
    assert made.exit_code == 0, made.output
    assert "地方节能审查" in made.stdout
    pid = json.loads(_projects("list", "--json").stdout)[0]["id"]
    report = tmp_path / "节能报告.pdf"
    report.write_bytes(PDF)
    assert _projects("attach", str(pid), str(report), "--user", "qiye").exit_code == 0
    assert _projects("submit", str(pid), "--user", "qiye").exit_code == 0
    waiting = json.loads(_projects("inbox", "--user", "shi", "--json").stdout)
    assert [(p["id"], p["actions"]) for p in waiting] == [(pid, ["return", "accept"])]
    assert _projects("accept", str(pid), "--user", "shi").exit_code == 0
    said = _projects("opinion", str(pid), "--user", "shi", "--expert", "王工", "--text", "同意")
    assert "专家意见" in said.stdout, said.output
    done = _projects("approve", str(pid), "--user", "shi", "--conditions", "一年内验收")
    assert "审查通过" in done.stdout, done.output
    shown = _projects("show", str(pid))
    assert "占本市" in shown.stdout or "未设定" in shown.stdout, shown.output
    late = _projects("withdraw", str(pid), "--user", "qiye")
    assert late.exit_code == 2
    assert "project_transition_not_allowed" in late.output


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (PROJECT_TOML.replace("quantity = 2000", "quantity = -5"), "invalid_project"),
        (PROJECT_TOML.replace('"raw_coal"', '"moonshine"'), "unknown_energy_kind"),
        ("name = [", "invalid_file"),
    ],
)
def test_bad_files_exit_2_with_the_reason(people, tmp_path, text, code) -> None:
    path = tmp_path / "project.toml"
    path.write_text(text, encoding="utf-8")
    refused = _projects("create", "--file", str(path), "--user", "qiye")
    assert refused.exit_code == 2
    assert code in refused.output


def test_a_forbidden_attachment_exits_2(people, tmp_path) -> None:
    path = tmp_path / "project.toml"
    path.write_text(PROJECT_TOML, encoding="utf-8")
    _projects("create", "--file", str(path), "--user", "qiye")
    exe = tmp_path / "report.pdf"
    exe.write_bytes(EXE)
    refused = _projects("attach", "1", str(exe), "--user", "qiye")
    assert refused.exit_code == 2
    assert "attachment_type_forbidden" in refused.output
