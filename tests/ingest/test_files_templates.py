"""Templates and reports: what they hold, and that a filled template parses cleanly."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import openpyxl
import pytest

from nenghao.ingest.files.importing import parse_file
from nenghao.ingest.files.layout import COLUMNS
from nenghao.ingest.templates import (
    last_complete_start,
    report_file,
    template_csv,
    template_xlsx,
)

NOW = datetime(2026, 11, 25, 3, 7, tzinfo=UTC)  # 11:07 CST
ITEMS = [
    {"code": "E-01", "name": "用电", "unit": "kWh", "period": "month", "value_kind": "interval"},
    {"code": "G-1", "name": "煤气", "unit": "m3", "period": "15min", "value_kind": "register"},
]


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("15min", "2026-11-25 10:45"),
        ("hour", "2026-11-25 10:00"),
        ("day", "2026-11-24 00:00"),
        ("month", "2026-10-01 00:00"),
        ("year", "2025-01-01 00:00"),
    ],
)
def test_last_complete_start_in_cst(period, expected) -> None:
    assert last_complete_start(period, NOW).strftime("%Y-%m-%d %H:%M") == expected


def test_filled_csv_template_parses_cleanly() -> None:
    lines = template_csv(ITEMS, NOW).decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == [c.header for c in COLUMNS]
    assert lines[1] == "E-01,用电,month,2026-10-01 00:00,,kWh,,"
    filled = "\n".join(
        [lines[0], lines[1].replace(",,kWh", ",15.5,kWh"), lines[2].replace(",m3,,", ",m3,0,")]
    )
    parsed = parse_file(filled.encode("utf-8-sig"), "t.csv")
    assert parsed.errors == ()
    assert [(r.item, r.value, r.register) for r in parsed.records] == [
        ("E-01", 15.5, None),
        ("G-1", None, 0.0),
    ]


def test_unfilled_template_rows_are_errors_not_silence() -> None:
    parsed = parse_file(template_csv(ITEMS, NOW), "t.csv")
    assert [(e.row, e.code) for e in parsed.errors] == [(2, "no_value"), (3, "no_value")]


def test_xlsx_template_sheets() -> None:
    book = openpyxl.load_workbook(
        io.BytesIO(template_xlsx({"name": "鞍钢", "credit_code": "X"}, ITEMS, NOW))
    )
    assert book.sheetnames == ["数据", "数据项", "说明"]
    notes = [row[0] for row in book["说明"].iter_rows(values_only=True)]
    assert {c.zh for c in COLUMNS} <= set(notes)
    assert "示例 example" in notes
    listing = list(book["数据项"].iter_rows(min_row=2, values_only=True))
    assert listing[1][:4] == ("G-1", "煤气", "m3", "15min")


def test_report_lists_every_result() -> None:
    results = [
        {"row": 2, "status": "accepted", "item": "E-01", "revision": 1},
        {"row": 3, "status": "rejected", "column": "数值", "code": "not_finite", "message": "NaN"},
    ]
    text = report_file(results, "csv").decode("utf-8-sig").splitlines()
    assert text[1] == "2,accepted,E-01,,,1,,,"
    assert text[2] == "3,rejected,,,,,数值,not_finite,NaN"
    sheet = openpyxl.load_workbook(io.BytesIO(report_file(results, "xlsx"))).active
    assert sheet.max_row == 3
