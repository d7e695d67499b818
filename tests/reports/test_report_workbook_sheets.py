"""The monthly workbook's target-progress, reporting-rate and notes sheets, in Chinese, with
figures worked by hand (filed_city.py, both backends), and a district's workbook under the
district's name."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from filed_city import NAME, build
from openpyxl import load_workbook

from nenghao.reports.monthly_xlsx import monthly_report
from nenghao.store.scope import Scope

LATIN_ALLOWED = {
    "GB",
    "T",
    "A",
    "CO",
    "kgce",
    "kWh",
    "kg",
    "m",
    "MJ",
    "GJ",
    "t",
    "tC",
    "tCO",
    "MWh",
}
MARCH = date(2026, 1, 1)  # "today": March 2025 is long over


@pytest.fixture
def ids(engine):
    return build(engine)


def _book(engine, scope: Scope):
    with engine.connect() as conn:
        return load_workbook(io.BytesIO(monthly_report(conn, scope, 2025, 3, today=MARCH)))


def _rows(sheet, first: int = 3) -> list[tuple]:
    return [row for row in sheet.iter_rows(min_row=first, values_only=True) if any(row)]


def test_target_progress_sheet(engine, ids):
    book = _book(engine, Scope.all())
    sheet = book["目标进度"]
    assert sheet["A1"].value == "鞍山市重点用能单位能耗月报 2025年3月 · 目标进度（截至3月31日）"
    rows = {row[0]: row for row in _rows(sheet)}
    assert set(rows) == {NAME, "铁东区"}
    mine, district = rows[NAME], rows["铁东区"]
    assert mine[1:5] == ("企业", "能源消费总量", "tce", 3000)
    # 715.283 - 12.143 raw material - 12.29 renewable above a 0 kWh base
    assert mine[5] == pytest.approx(715.283 - 12.143 - 100_000 * 0.1229 / 1000, abs=0.006)
    assert mine[5] == pytest.approx(690.85, abs=0.006)
    # division 210302 adds b's 3 x 600 t coke x 0.9714 = 1 748.52 tce
    assert district[1:5] == ("区县", "能源消费总量", "tce", 8000)
    assert district[5] == pytest.approx(690.85 + 3 * 600 * 0.9714, abs=0.006)
    for row in (mine, district):
        assert row[7] == pytest.approx(round(row[6] / row[4] * 100, 2), abs=0.011)
        worded = "红色预警" if row[7] > 100 else "黄色预警" if row[7] > 95 else "正常"
        assert row[8] == worded


def test_reporting_rate_sheet(engine, ids):
    sheet = _book(engine, Scope.all())["上报率"]
    rows = _rows(sheet)
    enterprises = {row[1]: row for row in rows if row[0] and len(str(row[0])) == 18}
    a, b, c = (enterprises[n] for n in (NAME, "企业MA0000002", "企业MA0000003"))
    # a: 2900 of 2976 points, 2800 on time; b: 1000 of 1000, 900 on time; c: not evaluated
    assert a[2:9] == ("铁东区", 2976, 2900, pytest.approx(97.45), pytest.approx(96.55), 96.5, "A")
    assert a[5] == round(2900 / 2976 * 100, 2)
    assert a[6] == round(2800 / 2900 * 100, 2)
    assert b[3:7] == (1000, 1000, 100, 90)
    assert c[2] == "海城市"
    assert c[5] == "无评估结果"
    districts = {row[0]: row for row in rows if row[0] in ("铁东区", "海城市")}
    # 铁东区: (2900 + 1000) / (2976 + 1000) = 98.09 %, on time (2800 + 900) / 3900 = 94.87 %
    assert districts["铁东区"][1:7] == (2, 2, 3976, 3900, 98.09, 94.87)
    assert districts["海城市"][1:5] == (1, 0, 0, 0)


def test_notes_sheet_is_chinese_with_one_line_per_source(engine, ids):
    sheet = _book(engine, Scope.all())["说明"]
    texts = [str(cell) for row in _rows(sheet, 1) for cell in row if isinstance(cell, str)]
    joined = "\n".join(texts)
    assert "http" not in joined
    assert "www" not in joined
    latin = set(re.findall(r"[A-Za-z]+", joined))
    assert latin <= LATIN_ALLOWED, latin - LATIN_ALLOWED
    lines = {(row[0], row[1]): row for row in _rows(sheet) if len(row) > 5 and row[5]}
    assert lines[("原煤", "当量值、等价值")][2:] == (
        0.7143,
        "kgce/kg",
        "GB/T 2589-2020 附录A",
        "待核实",
    )
    assert lines[("电力", "当量值")][5] == "已核实"
    assert "待核实" in joined


def test_a_districts_workbook_bears_its_name(engine, ids):
    book = _book(engine, Scope("division", division_code="210302"))
    title = "铁东区重点用能单位能耗月报 2025年3月"
    assert book.properties.title == title
    assert all(str(sheet["A1"].value).startswith(title) for sheet in book.worksheets)
    rates = _rows(book["上报率"])
    assert "海城市" not in {row[2] for row in rates} | {row[0] for row in rates}
    names = {row[0] for row in _rows(book["目标进度"])}
    assert names == {NAME, "铁东区"}
