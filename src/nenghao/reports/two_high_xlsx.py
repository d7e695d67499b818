"""The ledger of existing two-high installations (存量两高项目台账) as an XLSX workbook.

Sheet 两高装置台账: a title row with the place, the period read and the export date, a 说明
row (period, partial or not, the levels' document and status), then one row per
installation; sheet 未登记装置: the enterprises of two-high industries with no installation
registered. The figures are `nenghao.review.two_high_ledger`'s; the workbook lays them out.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Connection

from nenghao.analytics.periods import today_cst
from nenghao.review.two_high_ledger import ledger, unregistered
from nenghao.standards.precision import Quantity, excel_format, rounded
from nenghao.store.scope import Scope

HEADERS = (
    "序号",
    "企业名称",
    "区县",
    "两高行业",
    "装置名称",
    "产品（工序）",
    "产能",
    "投产年份",
    "装置状态",
    "单位产品能耗 (kgce/t)",
    "标杆值 (kgce/t)",
    "基准值 (kgce/t)",
    "标杆/基准依据",
    "核实状态",
    "所处水平",
    "整改方案",
)
WIDTHS = (6, 30, 12, 12, 14, 16, 14, 10, 10, 14, 12, 12, 22, 10, 20, 22)
UNREGISTERED_HEADERS = ("序号", "企业名称", "区县", "行业", "两高行业", "提示")
_FIGURES = (10, 11, 12)
_BOLD = Font(bold=True)
_HEAD = PatternFill("solid", fgColor="DDEBF7")


def title_of(place: str, answer: dict[str, Any], today: date) -> str:
    """鞍山市存量两高项目台账（统计期 2025-12-01 至 2026-11-30，导出日期 2026-12-05）."""
    through = f"，{answer['through']}" if answer["partial"] else ""
    return (
        f"{place}存量两高项目台账（统计期 {answer['start']} 至 {answer['end']}{through}，"
        f"导出日期 {today.isoformat()}）"
    )


def notes_text(answer: dict[str, Any]) -> str:
    """说明: what the figures are, the period, the levels' source and status."""
    span = f"统计期 {answer['start']} 至 {answer['end']}"
    if answer["partial"]:
        span += f"，期间未结束，为部分期间数据（{answer['through']}）"
    return (
        f"说明：{span}。单位产品能耗为监测数据计算的工序边界综合能耗（当量值）除以合格产品产量；"
        "标杆值、基准值依据《工业重点领域能效标杆水平和基准水平（2023年版）》（发改产业〔2023〕723号），"
        "“未核实”表示该数值尚未与文件原文核对。能耗高于基准值即“低于基准水平”，须制定整改方案。"
    )


def _plan_text(row: dict[str, Any]) -> str:
    if row["open_plan_id"] is not None:
        return f"整改中（编号 {row['open_plan_id']}，期限 {row['open_plan_deadline']}）"
    return row["flag_zh"] or ""


def _cells(number: int, row: dict[str, Any]) -> list[Any]:
    capacity = f"{row['capacity']:g} {row['capacity_unit']}" if row["capacity"] is not None else ""
    return [
        number,
        row["enterprise_name"],
        row["division_name"],
        row["sector_name"],
        row["name"],
        row["product_name"] or "",
        capacity,
        row["commissioned_year"],
        row["status_zh"],
        _figure(row["unit_consumption"]),
        row["benchmark"],
        row["baseline"],
        row["level_document"] or "",
        row["level_status_zh"] or "",
        row["position_zh"],
        _plan_text(row),
    ]


def _figure(value: float | None) -> float | None:
    return None if value is None else rounded(value, Quantity.UNIT_PRODUCT)


def _head(sheet: Worksheet, row: int) -> None:
    for cell in sheet[row]:
        cell.font, cell.fill = _BOLD, _HEAD
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def write_ledger(sheet: Worksheet, title: str, answer: dict[str, Any]) -> None:
    """Title, 说明, headers and one row per installation."""
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([notes_text(answer)])
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    sheet.row_dimensions[2].height = 48
    sheet.append(list(HEADERS))
    _head(sheet, 3)
    for number, row in enumerate(answer["rows"], start=1):
        sheet.append(_cells(number, row))
        for column in _FIGURES:
            sheet.cell(sheet.max_row, column).number_format = excel_format(Quantity.UNIT_PRODUCT)
    if not answer["rows"]:
        sheet.append(["", "尚未登记两高装置"])
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "C4"


def write_unregistered(sheet: Worksheet, rows: list[dict[str, Any]]) -> None:
    """The enterprises of two-high industries without an installation (未登记装置)."""
    sheet.append(["两高行业企业中未登记装置的单位"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(UNREGISTERED_HEADERS))
    _head(sheet, 2)
    for number, row in enumerate(rows, start=1):
        sheet.append(
            [
                number,
                row["enterprise_name"],
                row["division_name"],
                row["industry_name"],
                row["sector_name"],
                row["hint_zh"],
            ]
        )
    for letter, width in zip("ABCDEF", (6, 30, 12, 24, 12, 12), strict=True):
        sheet.column_dimensions[letter].width = width


def ledger_workbook(
    connection: Connection,
    scope: Scope,
    place: str,
    *,
    year: int | None = None,
    today: date | None = None,
) -> bytes:
    """The ledger of the installations in `scope` as XLSX (two sheets)."""
    exported = today or today_cst()
    answer = ledger(connection, scope, year=year, today=exported)
    book = Workbook()
    sheet = book.active
    sheet.title = "两高装置台账"
    write_ledger(sheet, title_of(place, answer, exported), answer)
    missing = unregistered(connection, scope, limit=None).items
    write_unregistered(book.create_sheet("未登记装置"), missing)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
