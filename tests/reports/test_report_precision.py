"""Report figures carry their quantity's decimals (docs/accounting.md, Precision)."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from test_report_files import _worked_city

from nenghao.reports.monthly_xlsx import monthly_report
from nenghao.store.scope import Scope

# Shown decimals and stored decimals, from the table in docs/accounting.md.
TCE_FORMAT, PER_CENT_FORMAT = "#,##0.00", "#,##0.00"


@pytest.fixture
def city(engine):
    return _worked_city().build(engine)


def _decimals(value: float) -> int:
    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    return max(0, -exponent)


def test_monthly_workbook_number_formats_and_values(engine, city):
    ids, _ = city
    with engine.connect() as conn:
        content = monthly_report(conn, Scope.all(), 2025, 3)
    book = load_workbook(io.BytesIO(content))
    summary = {row[0].value: row for row in book["概览"].iter_rows() if row[0].value}
    total = summary["综合能耗 当量值"][1]
    assert total.number_format == TCE_FORMAT
    # 1.3e6 kWh x 0.1229 / 1000 + 71.43 + 582.84 = 814.04 tce; 814.0400000000001 before
    assert total.value == 814.04
    assert summary["可再生能源电力"][1].number_format == "#,##0.00"
    rate = summary["综合能耗同比"][1]
    # (814.04 / (194.33 + 582.84) - 1) x 100 = 4.744135...%, rounded after the division
    assert rate.value == 4.74
    assert rate.number_format == PER_CENT_FORMAT
    sheet = book["按企业"]
    row = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == str(ids["a"]))
    assert [cell.number_format for cell in row[2:]] == [TCE_FORMAT] * 7
    for sheet in book.worksheets[:4]:
        for line in sheet.iter_rows(values_only=True):
            for value in line:
                if isinstance(value, float):
                    assert _decimals(value) <= 4, (sheet.title, line)


def test_pdf_rates_and_figures_never_use_an_exponent():
    from nenghao.standards.precision import Quantity, shown

    assert shown(2.2737367544323206e-13, Quantity.TCE) == "0.00"
    assert shown(1.23456789e7, Quantity.TCE) == "12,345,678.90"
    assert shown(0.04744135774669635, Quantity.RATE, signed=True) == "+4.74%"
    assert not re.search(r"e[+-]", shown(1e-7, Quantity.RATE))
