"""The documents compare the same elapsed span and say so (like_city.py, both backends)."""

from __future__ import annotations

import importlib.util
import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from environment import skip_outside_ci
from nenghao.reports.enterprise_pdf import enterprise_report
from nenghao.reports.errors import ReportFontError
from nenghao.reports.fonts import cjk_font
from nenghao.reports.monthly_xlsx import monthly_report
from nenghao.standards.calendar import cst_midnight
from nenghao.store import common
from nenghao.store.scope import Scope


def _like_city():
    path = Path(__file__).resolve().parents[1] / "analytics" / "like_city.py"
    spec = importlib.util.spec_from_file_location("like_city", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def city(engine, monkeypatch):
    module = _like_city()
    ids = module.build(engine)
    monkeypatch.setattr(common, "now", lambda: cst_midnight(module.TODAY) + 10 * 3600)
    return module, ids


def test_monthly_workbook_of_a_month_in_progress(engine, city):
    module, _ids = city
    with engine.connect() as conn:
        content = monthly_report(conn, Scope.all(), 2026, 12)
    book = load_workbook(io.BytesIO(content))
    sheet = book["概览"]
    assert sheet["A1"].value.endswith("2026年12月（截至 12月4日）")
    summary = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row}
    assert summary["统计期"][1:] == ("2026年12月1日至2026年12月4日", "截至 12月4日")
    a = module.values_a()
    now = module.in_span(a, date(2026, 12, 1), date(2026, 12, 4))  # 4 800 kWh (b: none)
    before = module.in_span(a, date(2025, 12, 1), date(2025, 12, 4)) + module.in_span(
        module.values_b(), date(2025, 12, 1), date(2025, 12, 4)
    )  # 4 000 + 4 000 kWh
    assert summary["综合能耗 当量值"][0] == pytest.approx(now * 0.1229 / 1000, abs=1e-3)
    assert summary["综合能耗同比"][0] == pytest.approx(round((now / before - 1) * 100, 2))


def test_monthly_workbook_says_base_incomplete(engine, city):
    _module, ids = city
    with engine.connect() as conn:
        content = monthly_report(conn, Scope.all(), 2025, 1)
    sheet = load_workbook(io.BytesIO(content))["按企业"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows[str(ids["b"])][5] == "基期数据不完整"  # January 2024: no data at all


def test_annual_pdf_against_a_base_of_27_days(engine, city, tmp_path):
    _module, ids = city
    try:
        cjk_font()
    except ReportFontError as exc:
        skip_outside_ci(str(exc))
    with engine.connect() as conn:
        content = enterprise_report(conn, Scope.all(), ids["b"], 2025)
        partial = enterprise_report(conn, Scope.all(), ids["a"], 2026)
    if shutil.which("pdftotext") is None:
        skip_outside_ci("poppler-utils (pdftotext) not installed")

    def text(pdf: bytes) -> str:
        path = tmp_path / "report.pdf"
        path.write_bytes(pdf)
        run = ["pdftotext", "-layout", str(path), "-"]
        return subprocess.run(run, capture_output=True, text=True, check=True).stdout

    full = text(content)
    assert "基期数据不完整" in full
    table = full.split("二、", 1)[1].split("注：", 1)[0]
    assert "+1,251.85%" not in table
    assert "%" not in table
    assert "约 92.62%" in full  # 339 000 of 366 000 kWh estimated on days without data
    through = text(partial)
    assert "截至 12月4日" in through
    assert "2026年1月1日至2026年12月4日" in through
