"""The list of enterprises above their quota (超限额用能企业清单) as an XLSX sheet.

A workbook of its own (the download of the 超限额 page) and a sheet of the monthly report.
The figures are those of `nenghao.analytics.quota_compliance`; the sheet only lays them out,
titled with the city or the district, with a 说明 row giving the editions and their status
and saying when the period is partial.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Connection

from nenghao.analytics.items import Filters
from nenghao.analytics.periods import Period
from nenghao.analytics.quota_compliance import quota_compliance
from nenghao.standards import get_catalog
from nenghao.standards.precision import Quantity, excel_format, rounded
from nenghao.store.scope import Scope

CITY = "鞍山市"
SHEET = "超限额"
HEADERS = (
    "序号",
    "企业名称",
    "区县",
    "行业",
    "产品（工序）",
    "合格产品产量 (t)",
    "单位产品综合能耗 (kgce/t)",
    "限额限定值 (3级, kgce/t)",
    "超出限定值 (kgce/t)",
    "能耗等级",
    "限额标准",
    "标准状态",
)
WIDTHS = (6, 30, 12, 24, 18, 14, 16, 16, 14, 10, 16, 10)
LEVELS_ZH = {"L1": "1级", "L2": "2级", "L3": "3级", "above_limit": "超限额"}
STATUS_ZH = {"confirmed": "已核对", "unverified": "待核实"}
_FIGURES = {6: Quantity.ENERGY} | dict.fromkeys((7, 8, 9), Quantity.UNIT_PRODUCT)
"""Figure columns (1-based) and their quantities."""
_BOLD = Font(bold=True)
_HEAD = PatternFill("solid", fgColor="DDEBF7")


def place_name(scope: Scope, filters: Filters | None) -> str:
    """The district the list is about (a district user's, or the division filter), else the
    city."""
    code = (filters.division if filters else None) or scope.division_code
    division = get_catalog().divisions.get(code or "")
    return division.name_zh if division else CITY


def sheet_title(place: str, answer: dict[str, Any]) -> str:
    """鞍山市超限额用能企业清单 2026年（截至 12月3日）."""
    through = f"（{answer['through']}）" if answer["partial"] else ""
    return f"{place}超限额用能企业清单 {_period_zh(answer['period'])}{through}"


def write_sheet(sheet: Worksheet, title: str, answer: dict[str, Any]) -> None:
    """The title, the 说明 row, the headers and one row per product of ``answer``."""
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([notes_text(answer)])
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    sheet.row_dimensions[2].height = 64
    sheet.append(list(HEADERS))
    for cell in sheet[3]:
        cell.font, cell.fill = _BOLD, _HEAD
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for number, row in enumerate(answer["rows"], start=1):
        sheet.append(_cells(number, row))
        for column, quantity in _FIGURES.items():
            sheet.cell(sheet.max_row, column).number_format = excel_format(quantity)
    if not answer["rows"]:
        sheet.append(["", "本期无超限额的产品" if answer["only_exceeders"] else "本期无产品数据"])
    for letter, width in zip("ABCDEFGHIJKL", WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "C4"


def notes_text(answer: dict[str, Any]) -> str:
    """说明: the days read, partial or not, the editions applied with their status."""
    span = f"统计期 {answer['start']} 至 {answer['end']}"
    if answer["partial"]:
        span += f"，期间未结束，为部分期间数据（{answer['through']}）"
    editions = sorted(
        {
            (row["edition"], row["edition_title"] or "", row["edition_status"])
            for row in answer["rows"]
            if row["edition_status"] is not None
        }
    )
    listed = "；".join(
        f"{number} {title}（{STATUS_ZH[status]}）" for number, title, status in editions
    )
    return (
        f"说明：{span}。单位产品综合能耗为工序边界综合能耗（当量值，扣除外供能源，不计原料用能）"
        f"除以合格产品产量；限额限定值为 {answer['quota_date']} 在效标准的3级（含已适用的修正）。"
        f"适用标准：{listed or '无'}。“待核实”的限额值尚未与标准原文逐条核对。"
    )


def compliance_workbook(
    connection: Connection,
    scope: Scope,
    period: Period | None = None,
    filters: Filters | None = None,
    product: str | None = None,
    only_exceeders: bool = True,
) -> bytes:
    """The list as an XLSX workbook of one sheet (the exceeders, or every product)."""
    answer = quota_compliance(connection, scope, period, filters, product, only_exceeders)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET if only_exceeders else "产品限额对照"
    write_sheet(sheet, sheet_title(place_name(scope, filters), answer), answer)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def add_exceeders_sheet(
    book: Workbook, connection: Connection, scope: Scope, period: Period, title: str
) -> None:
    """Append the 超限额 sheet of ``period`` to a workbook (the monthly report's), headed
    ``title`` and the period read ("（截至 …）" when partial)."""
    answer = quota_compliance(connection, scope, period, only_exceeders=True)
    through = f"（{answer['through']}）" if answer["partial"] else ""
    write_sheet(book.create_sheet(SHEET), f"{title}{through}", answer)


def _cells(number: int, row: dict[str, Any]) -> list[Any]:
    status = row["edition_status"]
    return [
        number,
        row["enterprise_name"],
        row["division_name"],
        row["industry_name"],
        row["product_name"],
        rounded(row["output_t"], Quantity.ENERGY),
        _figure(row["unit_consumption"]),
        _figure(row["limit"]),
        _figure(row["excess"]),
        LEVELS_ZH.get(row["level"] or "", "未评价"),
        row["edition"] or "",
        STATUS_ZH[status] if status else "",
    ]


def _figure(value: float | None) -> float | None:
    return None if value is None else rounded(value, Quantity.UNIT_PRODUCT)


def _period_zh(label: str) -> str:
    """2026 -> 2026年, 2026-03 -> 2026年3月; other labels as written."""
    period = Period.parse(label)
    if period.kind == "year":
        return f"{period.start.year}年"
    if period.kind == "month":
        return f"{period.start.year}年{period.start.month}月"
    return label.replace("..", " 至 ")
