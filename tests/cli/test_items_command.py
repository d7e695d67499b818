"""``nenghao items``: add, list, change, deactivate, template and import."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from nenghao.cli.main import app
from nenghao.store import enterprises
from nenghao.store.credit_code import make_credit_code
from nenghao.store.schema import data_item_versions, data_items
from nenghao.store.scope import Scope

runner = CliRunner()
CODE = make_credit_code("210302", "MA0XTEM01")


@pytest.fixture
def plant(db_url, tmp_path, monkeypatch, engine) -> int:
    monkeypatch.setenv("NENGHAO_DATABASE_URL", db_url)
    monkeypatch.setenv("NENGHAO_DATA_DIR", str(tmp_path))
    with engine.begin() as conn:
        row = enterprises.create(
            conn,
            Scope.all(),
            {
                "credit_code": CODE,
                "name": "鞍山示例钢铁",
                "division_code": "210302",
                "industry_code": "3110",
            },
            actor="test",
        )
    return int(row["id"])


def _invoke(*args: str):
    return runner.invoke(app, ["items", *args])


def test_add_change_deactivate_and_list(plant, engine) -> None:
    added = _invoke(
        "add", "-e", CODE, "--name", "全厂电力消耗", "--measures", "energy",
        "--energy-kind", "电力", "--unit", "kWh", "--period", "hour",
        "--value-kind", "register", "--ct-ratio", "200", "--calibration-due", "2027-06-30",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "added ent.electricity 全厂电力消耗" in added.stdout
    wrong = _invoke(
        "add", "-e", CODE, "--name", "错", "--measures", "energy", "--energy-kind", "电力",
        "--unit", "t", "--period", "hour",
    )  # fmt: skip
    assert wrong.exit_code == 2
    assert "[unit_dimension_mismatch]" in wrong.output
    changed = _invoke("change", "-e", str(plant), "ent.electricity", "--ct-ratio", "400",
                      "--reason", "更换互感器")  # fmt: skip
    assert changed.exit_code == 0, changed.output
    missing = _invoke("change", "-e", CODE, "ent.coal", "--name", "x")
    assert missing.exit_code == 2
    assert "[item_not_found]" in missing.output
    stopped = _invoke("deactivate", "-e", CODE, "ent.electricity", "--reason", "拆除")
    assert "deactivated ent.electricity" in stopped.stdout
    assert "0 items" in _invoke("list", "-e", CODE).stdout
    listed = _invoke("list", "-e", CODE, "--all").stdout
    assert "1 items" in listed
    with engine.connect() as conn:
        ratio = conn.execute(select(data_items.c.ct_ratio)).scalar_one()
        reasons = conn.execute(
            select(data_item_versions.c.reason).order_by(data_item_versions.c.version)
        ).scalars()
        assert (ratio, list(reasons)) == (400.0, [None, "更换互感器", "拆除"])


def test_template_then_import(plant, tmp_path, engine) -> None:
    template = tmp_path / "items.xlsx"
    written = _invoke("template", "-e", CODE, "-o", str(template))
    assert written.exit_code == 0, written.output
    book = openpyxl.load_workbook(template)
    sheet = book["数据项"]
    sheet.append(["", "球团矿产量", "产品产量", "", "pellet", "", "最终使用", "pelletizing",
                  "t", "日"])  # fmt: skip
    sheet.append(["", "坏单位", "能源", "电力", "", "", "", "", "kg", "小时"])
    out = io.BytesIO()
    book.save(out)
    template.write_bytes(out.getvalue())
    result = _invoke("import", str(template), "-e", CODE)
    assert result.exit_code == 1, result.output
    assert "3 rows — accepted 2, duplicate 0, revised 0, rejected 1" in result.stdout
    assert "unit_dimension_mismatch" in result.output
    with engine.connect() as conn:
        codes = set(conn.execute(select(data_items.c.code)).scalars())
    assert codes == {"ent.electricity", "pelletizing.pellet"}
    not_a_book = tmp_path / "x.xlsx"
    not_a_book.write_bytes(b"nope")
    refused = _invoke("import", str(not_a_book), "-e", CODE)
    assert refused.exit_code == 2
    assert "[unreadable_file]" in refused.output
