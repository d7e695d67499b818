"""``nenghao report ...`` and ``nenghao rollups rebuild`` write their files (both backends)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete
from typer.testing import CliRunner

from environment import skip_outside_ci
from nenghao.cli.main import app
from nenghao.reports.errors import ReportFontError
from nenghao.reports.fonts import cjk_font
from nenghao.standards.calendar import month_start
from nenghao.store.rollups import rollup_total
from nenghao.store.schema import rollups

runner = CliRunner()


@pytest.fixture
def city(engine, db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("NENGHAO_DATABASE_URL", db_url)
    monkeypatch.setenv("NENGHAO_DATA_DIR", str(tmp_path))
    path = Path(__file__).resolve().parents[1] / "analytics" / "worked_city.py"
    spec = importlib.util.spec_from_file_location("worked_city", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build(engine)


def test_rollups_rebuild_command(engine, city):
    _ids, items = city
    with engine.begin() as conn:
        conn.execute(delete(rollups))
    result = runner.invoke(app, ["rollups", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "rebuilt" in result.output
    with engine.connect() as conn:
        total = rollup_total(
            conn, items["b:ent.coke"], "year", month_start(2024, 1), month_start(2025, 1)
        )
    assert total == pytest.approx(12 * 600.0)


def test_report_commands(city, tmp_path):
    ids, _ = city
    out = tmp_path / "m.xlsx"
    result = runner.invoke(
        app, ["report", "monthly", "--year", "2025", "--month", "1", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames[:4] == ["概览", "按区县", "按行业", "按企业"]
    missing = runner.invoke(app, ["report", "enterprise", "999999", "--year", "2025"])
    assert missing.exit_code == 2
    assert "subject_not_found" in missing.stderr
    try:
        cjk_font()
    except ReportFontError:
        skip_outside_ci("no CJK font installed")
    pdf = tmp_path / "e.pdf"
    result = runner.invoke(
        app, ["report", "enterprise", str(ids["a"]), "--year", "2025", "--out", str(pdf)]
    )
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF")
