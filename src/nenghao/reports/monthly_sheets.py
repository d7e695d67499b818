"""Sheets of the monthly workbook beside the consumption tables (`nenghao.reports.monthly_xlsx`):
目标进度 (target progress), 上报率 (reporting rate) and 说明 (notes and coefficients), all in
Chinese. Figures come from `nenghao.analytics.targets` and the monitor's stored scores."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Connection

from nenghao.analytics.periods import Period
from nenghao.analytics.targets import (
    INDICATOR_UNITS,
    INDICATOR_ZH,
    TARGET_LEVEL_ZH,
    WARNING_ZH,
    Thresholds,
    progress,
    subject_name,
)
from nenghao.reports.coefficients import VERIFY_NOTE, coefficient_lines
from nenghao.reports.reporting import Reported, reported
from nenghao.reports.words import INDICATOR_QUANTITY, division_name
from nenghao.standards.calendar import cst_midnight
from nenghao.standards.precision import SHOWN, Quantity, excel_format, round_to, rounded
from nenghao.store import enterprises, quality
from nenghao.store import targets as stored_targets
from nenghao.store.scope import Scope

RATES = ("应报数据点", "实报数据点", "上报率 (%)", "按时率 (%)")
WARNED = ("预计/目标 (%)", "状态")
RATE_NOTE = (
    "注：应报、实报数据点来自在线监测数据质量评估（上报率 = 实报 / 应报，不超过 100%）；"
    "无评估结果的企业不计入区县合计。"
)
BOLD = Font(bold=True)
HEAD = PatternFill("solid", fgColor="DDEBF7")
PER_CENT = Quantity.RATE
NOTES_ZH = (
    (
        "综合能耗 当量值",
        "企业边界的综合能源消费量，按当量值折标准煤（GB/T 2589-2020）：购入能源与耗能工质之和"
        "减去外供能源。",
    ),
    (
        "综合能耗 等价值",
        "同上，按等价值折标准煤：电力按统计年度的等价值系数；尚无等价值系数的能源品种（如热力）"
        "不计入等价值合计，并在概览表中列出。",
    ),
    (
        "CO2排放",
        "化石燃料燃烧、外购电力（当年电网排放因子）、外购热力及工业生产过程排放；外供电力和热力"
        "不抵扣，可再生能源电力不计排放（GB/T 32150-2015）。",
    ),
    ("原料用能", "作为原料使用的能源，计入综合能耗并单列，考核时扣除（发改环资〔2022〕803号）。"),
    ("同比、环比", "本期与上年同期、上期的同一已过天数相比；基期数据覆盖不足时不给出变化率。"),
    (
        "目标进度",
        "按年度目标计算截至统计期末的完成值和全年预计值，预计超过目标的比例达到预警线时预警。",
    ),
    (
        "上报率",
        "实报数据点 / 应报数据点（在线监测数据质量评估的完整性指标），按时率为按时上报的比例。",
    ),
)
"""What each figure of the workbook is, in Chinese, one line each."""


def title_row(sheet: Worksheet, title: str, size: int = 13) -> None:
    """The sheet's first row: its title, in bold."""
    sheet.append([title])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=size)


def head_row(sheet: Worksheet, names: list[str]) -> None:
    """A shaded, bold, wrapped head row."""
    sheet.append(names)
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = BOLD, HEAD
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _widths(sheet: Worksheet, widths: dict[str, int]) -> None:
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width


def _put(sheet: Worksheet, row: list[Any], formats: dict[int, Quantity]) -> None:
    sheet.append(row)
    for column, quantity in formats.items():
        sheet.cell(sheet.max_row, column).number_format = excel_format(quantity)


def per_cent(share: float | None) -> float | None:
    """A share as per cent (18.97 for 0.1897), rounded after the division."""
    return None if share is None else round_to(share * 100.0, SHOWN[PER_CENT])


def targets_sheet(
    book: Workbook,
    connection: Connection,
    scope: Scope,
    as_of: date,
    label: str,
    thresholds: Thresholds | None = None,
) -> Worksheet:
    """目标进度: each target of ``as_of``'s year in scope, one row per indicator set."""
    sheet = book.create_sheet("目标进度")
    title_row(sheet, f"{label} · 目标进度（截至{as_of.month}月{as_of.day}日）")
    head_row(
        sheet,
        ["对象", "类别", "指标", "单位", "目标值", "截至统计期末完成", "全年预计", *WARNED],
    )
    listed = stored_targets.list_targets(connection, scope, year=as_of.year).items
    for target in listed:
        answer = progress(connection, target, as_of, thresholds)
        name = subject_name(connection, target)
        for key, entry in answer["indicators"].items():
            if entry["target"] is None:
                continue
            quantity = INDICATOR_QUANTITY[key]
            _put(
                sheet,
                [
                    name,
                    TARGET_LEVEL_ZH.get(target["level"], target["level"]),
                    INDICATOR_ZH[key],
                    INDICATOR_UNITS[key],
                    rounded(entry["target"], quantity),
                    rounded(entry["to_date"], quantity),
                    rounded(entry["projected"], quantity),
                    per_cent(entry["ratio"]),
                    WARNING_ZH.get(entry["level"] or "", "未判定"),
                ],
                {5: quantity, 6: quantity, 7: quantity, 8: PER_CENT},
            )
    if not listed:
        sheet.append([f"平台未登记{as_of.year}年度的节能目标。"])
    _widths(sheet, {"A": 26, "B": 8, "C": 18, "D": 12, "E": 14, "F": 16, "G": 14, "H": 14})
    sheet.freeze_panes = "A3"
    return sheet


def reporting_sheet(
    book: Workbook, connection: Connection, scope: Scope, month: Period, label: str
) -> Worksheet:
    """上报率: expected and received data points of the month per enterprise and district."""
    sheet = book.create_sheet("上报率")
    title_row(sheet, f"{label} · 数据上报率")
    lo, hi = cst_midnight(month.start), cst_midnight(month.end)
    scores = {
        row["enterprise_id"]: row for row in quality.scores_between(connection, scope, lo, hi)
    }
    listed = enterprises.list_enterprises(connection, scope, limit=None).items
    head_row(
        sheet,
        ["统一社会信用代码", "企业名称", "所在区县", *RATES, "数据质量得分", "等级"],
    )
    by_division: dict[str, list[dict[str, Any]]] = defaultdict(list)
    counted: dict[str, int] = defaultdict(int)
    for enterprise in listed:
        counted[enterprise["division_code"]] += 1
        score = scores.get(enterprise["id"])
        names = [
            enterprise["credit_code"],
            enterprise["name"],
            division_name(enterprise["division_code"]),
        ]
        if score is None:
            sheet.append([*names, None, None, "无评估结果"])
            continue
        by_division[enterprise["division_code"]].append(score)
        _reported_row(sheet, names, reported([score]), score)
    sheet.append([])
    head_row(
        sheet,
        ["区县", "企业数", "已评估企业数", *RATES],
    )
    for code in sorted(counted):
        sums = reported(by_division.get(code, []))
        _reported_row(sheet, [division_name(code), counted[code], sums.months], sums, None)
    sheet.append([])
    sheet.append([RATE_NOTE])
    _widths(sheet, {"A": 22, "B": 30, "C": 14, "D": 12, "E": 12, "F": 11, "G": 11, "H": 12})
    sheet.freeze_panes = "A3"
    return sheet


def _reported_row(
    sheet: Worksheet, names: list[Any], sums: Reported, score: dict[str, Any] | None
) -> None:
    row = [*names, sums.expected, sums.received, per_cent(sums.rate), per_cent(sums.timely)]
    if score is not None:
        row += [rounded(score["score"], Quantity.SCORE), score["grade"]]
    _put(sheet, row, {len(names) + 3: PER_CENT, len(names) + 4: PER_CENT})


def notes_sheet(book: Workbook, used: list[dict[str, Any]], label: str) -> Worksheet:
    """说明: what each figure is, and every coefficient and factor with its source."""
    sheet = book.create_sheet("说明")
    title_row(sheet, f"{label} · 说明")
    head_row(sheet, ["项目", "说明"])
    for name, text in NOTES_ZH:
        sheet.append([name, text])
    sheet.append([])
    head_row(sheet, ["能源品种", "折算/因子", "数值", "单位", "出处", "状态"])
    for line in coefficient_lines(used, factors=True):
        sheet.append([line.energy, line.what, line.value, line.unit, line.citation, line.status])
    sheet.append([])
    sheet.append([VERIFY_NOTE])
    _widths(sheet, {"A": 18, "B": 60, "C": 12, "D": 12, "E": 56, "F": 8})
    return sheet
