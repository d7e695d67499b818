"""Report files open and carry the worked figures (XLSX read back; PDF text and fonts)."""

from __future__ import annotations

import importlib.util
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from environment import skip_outside_ci
from nenghao.reports.enterprise_pdf import enterprise_report
from nenghao.reports.errors import ReportFontError
from nenghao.reports.fonts import cjk_font
from nenghao.reports.monthly_xlsx import monthly_report
from nenghao.store.scope import Scope


def _worked_city():
    path = Path(__file__).resolve().parents[1] / "analytics" / "worked_city.py"
    spec = importlib.util.spec_from_file_location("worked_city", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def city(engine):
    return _worked_city().build(engine)


def test_monthly_workbook_figures(engine, city):
    ids, _ = city
    with engine.connect() as conn:
        content = monthly_report(conn, Scope.all(), 2025, 3)
    book = load_workbook(io.BytesIO(content))
    summary = {row[0]: row[1] for row in book["概览"].iter_rows(values_only=True) if row}
    march = 1.3e6 * 0.1229 / 1000 + 71.43 + 582.84  # a + b: 814.04 tce
    assert summary["综合能耗 当量值"] == pytest.approx(march, abs=1e-3)
    assert summary["综合能耗同比"] == pytest.approx(round((march / (194.33 + 582.84) - 1) * 100, 2))
    rows = {row[0]: row for row in book["按企业"].iter_rows(min_row=3, values_only=True)}
    a = rows[str(ids["a"])]
    assert a[2] == pytest.approx(231.2, abs=1e-3)  # March, equivalent
    q1 = 252.883 + (147.48 + 71.43 + 12.29) + 231.2
    assert a[7] == pytest.approx(q1, abs=1e-3)  # year to date
    assert book["按区县"]._charts
    assert book["按行业"]._charts


def test_enterprise_pdf_embeds_its_chinese_font(engine, city, tmp_path):
    ids, _ = city
    try:
        cjk_font()
    except ReportFontError as exc:
        skip_outside_ci(str(exc))
    with engine.connect() as conn:
        content = enterprise_report(conn, Scope.all(), ids["a"], 2025)
    assert content.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    if shutil.which("pdffonts") is None or shutil.which("pdftotext") is None:
        skip_outside_ci("poppler-utils (pdffonts, pdftotext) not installed")
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    cjk = [line for line in fonts.stdout.splitlines() if "WenQuanYi" in line or "CJK" in line]
    assert cjk
    assert all(line.split()[-5] == "yes" for line in cjk)  # emb column
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "能源利用状况报告" in text
    assert "单位产品能耗与限额" in text
    assert "51.15" in text  # sinter kgce/t
