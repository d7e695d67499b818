"""The monthly city report (月度能耗统计报表) as an XLSX workbook.

Sheets: 概览 (summary), 按区县 (by division, with a bar chart), 按行业 (by industry, with a
bar chart), 按企业 (by enterprise), 目标进度 (target progress), 上报率 (reporting rate),
超限额 (products above their quota, year to date; `nenghao.reports.quota_exceeders`) and
说明 (notes and coefficients; `nenghao.reports.monthly_sheets`). Figures come from
:mod:`nenghao.analytics`; the workbook only lays them out. A district's workbook is titled
with the district's name.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Connection

from nenghao.analytics import comparison, statistics
from nenghao.analytics.periods import Period
from nenghao.analytics.targets import Thresholds
from nenghao.reports.monthly_sheets import (
    BOLD,
    head_row,
    notes_sheet,
    per_cent,
    reporting_sheet,
    targets_sheet,
    title_row,
)
from nenghao.reports.quota_exceeders import add_exceeders_sheet
from nenghao.reports.words import chinese_day, energy_name, official, scope_title
from nenghao.standards.precision import Quantity, excel_format, rounded
from nenghao.store.scope import Scope

HEADERS = (
    "代码",
    "名称",
    "当月综合能耗 当量值 (tce)",
    "当月综合能耗 等价值 (tce)",
    "当月CO2排放 (tCO2)",
    "同比 (%)",
    "环比 (%)",
    "年累计综合能耗 当量值 (tce)",
    "年累计CO2排放 (tCO2)",
)
PER_CENT = Quantity.RATE
"""The rate columns hold per cent (18.97 for 18.97 %), rounded after the division."""
COLUMNS = (Quantity.TCE, Quantity.TCE, Quantity.CO2, PER_CENT, PER_CENT, Quantity.TCE, Quantity.CO2)
"""The quantity of each figure column, from C on."""
UNITS = {
    "tce": Quantity.TCE,
    "tCO2": Quantity.CO2,
    "万kWh": Quantity.ENERGY,
    "万元": Quantity.MONEY,
}
SHEETS = (("按区县", "division"), ("按行业", "industry"), ("按企业", "enterprise"))


def _rate(change: dict[str, Any]) -> float | str | None:
    """The rate in per cent, or why it is withheld for an incomplete base."""
    if change["reason"] == "base_incomplete":
        return comparison.BASE_INCOMPLETE_ZH
    return per_cent(change["rate"])


def _table(connection: Connection, scope: Scope, month: Period, by: str) -> list[tuple[Any, ...]]:
    compared = comparison.compare(connection, scope, month, by)
    shown = comparison.compared_period(compared) or month
    to_date = Period("range", date(month.start.year, 1, 1), shown.end)
    cumulative = {
        row["key"]: row for row in statistics.consumption(connection, scope, to_date, by)["rows"]
    }
    rows = []
    for row in compared["rows"]:
        eq = row["equivalent_tce"]
        ytd = cumulative.get(row["key"], {})
        rows.append(
            (
                str(row["key"]),
                row["name"],
                rounded(eq["current"], Quantity.TCE),
                rounded(row["equal_tce"]["current"], Quantity.TCE),
                rounded(row["tco2"]["current"], Quantity.CO2),
                _rate(eq["year_on_year"]),
                _rate(eq["period_on_period"]),
                rounded(ytd.get("equivalent_tce", 0.0), Quantity.TCE),
                rounded(ytd.get("tco2", 0.0), Quantity.CO2),
            )
        )
    return rows


def _write(sheet: Worksheet, title: str, rows: list[tuple[Any, ...]]) -> None:
    title_row(sheet, title)
    head_row(sheet, list(HEADERS))
    for row in rows:
        sheet.append(list(row))
        for cell, quantity in zip(sheet[sheet.max_row][2:], COLUMNS, strict=True):
            cell.number_format = excel_format(quantity)
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 34
    for column in "CDEFGHI":
        sheet.column_dimensions[column].width = 18
    sheet.freeze_panes = "C3"


def _chart(sheet: Worksheet, title: str, count: int, anchor: str) -> None:
    if count == 0:
        return
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = "tce"
    chart.height, chart.width = 9, 18
    data = Reference(sheet, min_col=3, max_col=3, min_row=2, max_row=2 + count)
    labels = Reference(sheet, min_col=2, min_row=3, max_row=2 + count)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(labels)
    sheet.add_chart(chart, anchor)


def report_title(connection: Connection, scope: Scope, year: int, month: int) -> str:
    """ "鞍山市重点用能单位能耗月报 2025年3月", with a district's or enterprise's name for
    a caller who sees only that."""
    return f"{scope_title(connection, scope)}重点用能单位能耗月报 {year}年{month}月"


def monthly_report(
    connection: Connection,
    scope: Scope,
    year: int,
    month: int,
    thresholds: Thresholds | None = None,
    today: date | None = None,
) -> bytes:
    """The workbook of ``year``-``month`` for the enterprises in ``scope``, as XLSX bytes,
    titled with the scope's name (`report_title`). ``today`` is the CST day whose data is
    still coming in (default: today)."""
    period = Period.month(year, month)
    compared = comparison.compare(connection, scope, period, "city", today=today)
    shown = comparison.compared_period(compared) or period
    through = comparison.partial_label(compared)
    label = report_title(connection, scope, year, month) + (f"（{through}）" if through else "")
    book = Workbook()
    book.properties.title = label
    summary = book.active
    summary.title = "概览"
    answer = statistics.consumption(connection, scope, shown, "city")
    total = answer["total"]
    city = compared["rows"][0] if compared["rows"] else None
    title_row(summary, label, 14)
    span = f"{chinese_day(shown.start)}至{chinese_day(shown.last_day)}"
    summary.append(["统计期", f"{year}年{month}月", span, through])
    lines: list[tuple[str, Any, str]] = [
        ("综合能耗 当量值", total["equivalent_tce"], "tce"),
        ("综合能耗 等价值", total["equal_tce"], "tce"),
        ("CO2排放", total["tco2"], "tCO2"),
        ("原料用能", total["raw_material_tce"], "tce"),
        ("外供能源", total["exported_tce"], "tce"),
        ("可再生能源电力", official(total["renewable_electricity_kwh"], "kWh")[0], "万kWh"),
        ("工业总产值", total["output_value_10k_yuan"], "万元"),
        ("工业增加值", total["added_value_10k_yuan"], "万元"),
    ]
    if city is not None:
        eq = city["equivalent_tce"]
        lines += [
            ("综合能耗同比", _rate(eq["year_on_year"]), "%"),
            ("综合能耗环比", _rate(eq["period_on_period"]), "%"),
        ]
    for name, value, unit in lines:
        quantity = UNITS.get(unit, PER_CENT)
        figure = rounded(value, quantity) if isinstance(value, float) and unit != "%" else value
        summary.append([name, figure, unit])
        summary.cell(summary.max_row, 2).number_format = excel_format(quantity)
    for cell in summary["A"][2:]:
        cell.font = BOLD
    summary.column_dimensions["A"].width = 22
    summary.column_dimensions["B"].width = 20
    if total["equal_value_unconverted"]:
        summary.append([])
        summary.append(["等价值未折算的能源（目录中无等价值系数）"])
        for entry in total["equal_value_unconverted"]:
            summary.append(
                [
                    energy_name(entry["energy_kind"]),
                    rounded(entry["quantity"], Quantity.ENERGY),
                    entry["unit"],
                ]
            )
            summary.cell(summary.max_row, 2).number_format = excel_format(Quantity.ENERGY)
    for sheet_name, by in SHEETS:
        sheet = book.create_sheet(sheet_name)
        rows = _table(connection, scope, period, by)
        _write(sheet, f"{label} · {sheet_name}", rows)
        if by != "enterprise":
            _chart(sheet, f"{sheet_name}当月综合能耗（当量值）", len(rows), "K3")

    targets_sheet(book, connection, scope, shown.last_day, label, thresholds)
    reporting_sheet(book, connection, scope, period, label)
    add_exceeders_sheet(
        book,
        connection,
        scope,
        Period("range", date(year, 1, 1), period.end),
        f"{label} · 超限额（{year}年1月至{month}月累计）",
    )
    notes_sheet(book, answer["coefficients"], label)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
