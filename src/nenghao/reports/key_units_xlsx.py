"""The key energy-using unit list of a year (重点用能单位名录) as an XLSX workbook.

Sheets: 名录 (every enterprise in scope: consumption of the year and the year before,
registered and actual level, finding), 新增 (additions against the year before), 移出
(removals), 说明 (threshold with its source, data coverage). Figures come from
:mod:`nenghao.analytics.key_units`; the workbook only lays them out.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Connection

from nenghao.analytics.key_units import key_units
from nenghao.reports.words import ACTUAL_LEVEL_ZH as ACTUAL_ZH
from nenghao.reports.words import FINDING_ZH
from nenghao.reports.words import KEY_UNIT_LEVEL_ZH as LEVEL_ZH
from nenghao.reports.xlsx_tables import titled_table
from nenghao.standards import get_catalog
from nenghao.standards.precision import Quantity, excel_format, rounded
from nenghao.store.scope import Scope

_BOLD = Font(bold=True)
_HEAD = PatternFill("solid", fgColor="DDEBF7")
_TCE = excel_format(Quantity.TCE)


def place_name(scope: Scope, city_code: str) -> str:
    """The district of a district scope, else the city (its Chinese name)."""
    divisions = get_catalog().divisions
    code = scope.division_code if scope.kind == "division" and scope.division_code else city_code
    found = divisions.get(code)
    return found.name_zh if found else code


def _division(code: str) -> str:
    found = get_catalog().divisions.get(code)
    return found.name_zh if found else code


def _sheet(sheet: Worksheet, title: str, headers: list[str], rows: list[list[Any]]) -> None:
    """Title in A1, bold headers in row 2, the rows; tce columns formatted."""
    titled_table(sheet, title, headers, rows, _TCE, {"A": 34, "B": 16})


def _coverage_text(entry: dict[str, Any]) -> str:
    state = "已结束" if entry["over"] else "未结束（为截至目前累计）"
    return f"{entry['year']}年：{state}，{entry['months_with_data']}个月有能耗数据"


def key_units_report(connection: Connection, scope: Scope, year: int, place: str) -> bytes:
    """The workbook of ``year`` for the enterprises in ``scope``, titled with ``place``."""
    answer = key_units(connection, scope, year)
    before = answer["previous_year"]
    label = f"{place}{year}年重点用能单位名录"
    book = Workbook()
    listing = book.active
    listing.title = "名录"
    headers = [
        "企业名称",
        "区县",
        f"{year}年综合能耗 当量值 (tce)",
        f"{before}年综合能耗 当量值 (tce)",
        "登记类别",
        f"{year}年实际档次",
        "判定",
    ]
    rows = sorted(answer["rows"], key=lambda r: -r["actual_tce"])
    _sheet(
        listing,
        label,
        headers,
        [
            [
                r["name"],
                _division(r["division_code"]),
                rounded(r["actual_tce"], Quantity.TCE),
                rounded(r["previous_tce"], Quantity.TCE),
                LEVEL_ZH[r["registered_level"]],
                ACTUAL_ZH[r["actual_level"]],
                FINDING_ZH[r["finding"]],
            ]
            for r in rows
        ],
    )
    change_headers = headers[:4]
    for name, key in (("新增", "additions"), ("移出", "removals")):
        _sheet(
            book.create_sheet(name),
            f"{label} · {name}（与{before}年相比）",
            change_headers,
            [
                [
                    r["name"],
                    _division(r["division_code"]),
                    rounded(r["actual_tce"], Quantity.TCE),
                    rounded(r["previous_tce"], Quantity.TCE),
                ]
                for r in answer[key]
            ],
        )
    notes = book.create_sheet("说明")
    thresholds = answer["thresholds"]
    for line in (
        ["项目", "说明"],
        ["重点用能单位标准", f"年综合能耗 ≥ {thresholds['key_tce']:,.0f} tce"],
        [
            "省指定范围",
            f"年综合能耗 {thresholds['designated_tce']:,.0f}～{thresholds['key_tce']:,.0f} tce",
        ],
        ["依据", thresholds["source"]],
        ["口径", "企业边界综合能耗，当量值；按中国标准时间自然年累计"],
        ["新增/移出", f"{year}年按实际能耗达到标准而{before}年未达到的为新增，反之为移出"],
        *(["数据覆盖", _coverage_text(entry)] for entry in answer["coverage"]),
    ):
        notes.append(line)
    notes["A1"].font = notes["B1"].font = _BOLD
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
