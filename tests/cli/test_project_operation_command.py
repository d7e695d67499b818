"""``nenghao project-operation link|operation|acceptance-pdf``: exit codes and output on the
worked example of tests/review/operating_project.py (2 000 t raw coal and 100 万kWh a year
approved: 1 551.5 tce 当量值; metered 7 t coal and 1 000 kWh a day in January and February
2025: 5.1230 tce a day, 59 days scaled to 365: 1 869.895 tce, +20.52 %); bad input exits 2
with the message and its code."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from environment import skip_outside_ci
from factories import add_item
from nenghao.cli.main import app
from nenghao.store.rollups import rebuild

sys.path.insert(0, str(Path(__file__).parents[1] / "review"))
from operating_project import approved_project, metering_items, put_days
from project_support import cast

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, ["project-operation", *args])


@pytest.fixture
def approved(db_url, engine, monkeypatch, tmp_path) -> dict:
    """An approved project of e1 with its three metered items (January and February 2025),
    not yet linked; the command pointed at the database."""
    monkeypatch.setenv("NENGHAO_DATABASE_URL", db_url)
    monkeypatch.setenv("NENGHAO_DATA_DIR", str(tmp_path))
    with engine.begin() as conn:
        people = cast(conn)
        pid = approved_project(conn, people)
        items = metering_items(conn, people["e1"])
        for key, value in (("coal", 7.0), ("elec", 1000.0), ("out", 140.0)):
            put_days(conn, items[key], date(2025, 1, 1), date(2025, 2, 28), value)
        rebuild(conn, items.values())
        foreign = add_item(conn, people["e2"], "Q.ELEC", energy_kind="electricity", unit="kWh")
    return {"id": str(pid), "items": items, "foreign": str(foreign)}


def _link(project: dict) -> None:
    args = [f"--item={i}" for i in project["items"].values()]
    linked = _run("link", project["id"], *args, "--commissioned-on", "2025-01-01", "-u", "city")
    assert linked.exit_code == 0, linked.output


def test_link_names_the_items_and_the_date(approved) -> None:
    items = approved["items"]
    args = [f"--item={i}" for i in items.values()]
    done = _run("link", approved["id"], *args, "--commissioned-on", "2025-01-01", "-u", "city")
    assert done.exit_code == 0, done.output
    assert "投产日期 2025-01-01；已关联 3 个数据项" in done.stdout
    for item in items.values():
        assert f"  {item}  " in done.stdout


def test_operation_compares_the_months_with_the_approval(approved) -> None:
    _link(approved)
    shown = _run("operation", approved["id"], "--as-of", "2025-03-01")
    assert shown.exit_code == 0, shown.output
    out = shown.stdout
    assert "2025-01" in out
    assert "2025-02" in out
    # 当量值: approved 1 551.50 tce, actual 1 869.90 tce, +20.5 %, over the 10 % limit
    assert "年综合能源消费量（当量值）：批复 1,551.50 tce，实际 1,869.90 tce" in out
    assert "偏差 +20.5%，超过 10% 的限值" in out
    # 等价值: 1 832.60 against 1 972.50 tce, +7.6 %, for reference only
    assert "年综合能源消费量（等价值）：批复 1,832.60 tce，实际 1,972.50 tce" in out
    assert "（仅供参考，不作预警）" in out
    assert "注：" in out  # the caveats (partial annualisation, unverified threshold)
    answer = json.loads(_run("operation", approved["id"], "--json", "--as-of", "2025-03-01").stdout)
    compared = answer["comparison"]
    assert compared["months_used"] == 2
    by_key = {f["key"]: f for f in compared["figures"]}
    assert by_key["equivalent_tce"]["actual"] == pytest.approx(1869.895)


def test_acceptance_pdf_is_written(approved, tmp_path) -> None:
    _link(approved)
    target = tmp_path / "验收报告.pdf"
    done = _run("acceptance-pdf", approved["id"], "-o", str(target), "--as-of", "2025-03-01")
    if done.exit_code != 0 and "font" in done.output.lower():
        skip_outside_ci(done.output)
    assert done.exit_code == 0, done.output
    assert target.read_bytes().startswith(b"%PDF")
    assert f"wrote {target}" in done.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--commissioned-on", "2025-13-01", "-u", "city"), "not a day"),
        (("--commissioned-on", "2025-01-01", "-u", "ent1"), "is not a regulator's account"),
        (("--commissioned-on", "2025-01-01", "-u", "nobody"), "is not a regulator's account"),
    ],
)
def test_link_refuses_bad_input_with_exit_2(approved, args, said) -> None:
    item = str(approved["items"]["elec"])
    refused = _run("link", approved["id"], "--item", item, *args)
    assert refused.exit_code == 2
    assert said in refused.output


def test_link_refusals_carry_their_code(approved) -> None:
    elec = str(approved["items"]["elec"])
    other = _run("link", approved["id"], "-i", approved["foreign"], "-u", "city")
    assert other.exit_code == 2
    assert "project_item_not_linkable" in other.output
    missing = _run("link", "999", "-i", elec, "--commissioned-on", "2025-01-01", "-u", "city")
    assert missing.exit_code == 2
    assert "project_not_found" in missing.output
    undated = _run("link", approved["id"], "-i", elec, "-u", "city")
    assert undated.exit_code == 2
    assert "project_step_incomplete" in undated.output


@pytest.mark.parametrize(
    "args",
    [
        ("operation", "999"),
        ("operation", "{id}", "--as-of", "März"),
        ("acceptance-pdf", "999", "-o", "{out}"),
        ("operation", "0"),
    ],
)
def test_operation_and_pdf_refuse_bad_input_with_exit_2(approved, tmp_path, args) -> None:
    filled = [a.format(id=approved["id"], out=tmp_path / "x.pdf") for a in args]
    refused = _run(*filled)
    assert refused.exit_code == 2, refused.output
    assert refused.output.strip()
    assert not (tmp_path / "x.pdf").exists()
