"""The carbon-peak pathway (碳达峰路径) as an XLSX workbook.

Sheets: 碳达峰路径 (each year to 2035: actual CO2 and every scenario), 情景与峰值 (each
scenario's base year, peak year and value), 基准年排放 (the base year by sector and source) and
政策措施 (each policy measure with its annual effect and whether its saving is verified). The
figures are `nenghao.pathway`'s; the workbook lays them out in Chinese.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Connection

from nenghao.pathway.answers import pathway_answer, scenario_answer
from nenghao.reports.xlsx_tables import titled_table
from nenghao.standards.precision import Quantity, excel_format, rounded
from nenghao.store.scope import Scope

KIND_ZH = {"bau": "基准情景", "policy": "政策情景"}
MEASURE_ZH = {
    "retrofit": "节能改造",
    "fuel_switch": "燃料替代",
    "renewable_electricity": "可再生能源电力",
    "capacity_change": "产能变化",
}
SOURCES_ZH = (
    ("fuels", "化石燃料燃烧"),
    ("electricity", "净购入电力"),
    ("heat", "净购入热力"),
    ("process", "工业生产过程"),
)
_CO2 = excel_format(Quantity.CO2)


def _co2(value: float | None) -> float | None:
    return None if value is None else rounded(value, Quantity.CO2)


def _table(sheet: Worksheet, title: str, headers: list[str], rows: list[list[Any]]) -> None:
    titled_table(sheet, title, headers, rows, _CO2, {"A": 14}, width=16)


def _pathway_rows(answer: dict[str, Any]) -> list[list[Any]]:
    actual = {a["year"]: a for a in answer["actual"]}
    planned = [{y["year"]: y["tco2"] for y in s["years"]} for s in answer["scenarios"]]
    years = sorted({*actual, *(y for p in planned for y in p)})
    rows = []
    for year in years:
        seen = actual.get(year)
        span = "" if seen is None else (f"截至 {seen['through']}" if seen["partial"] else "全年")
        rows.append(
            [
                year,
                _co2(seen["tco2"]) if seen else None,
                span,
                *(_co2(p.get(year)) for p in planned),
            ]
        )
    return rows


def pathway_workbook(connection: Connection, scope: Scope, today: date) -> bytes:
    """Every scenario against actual CO2, their peaks, base years and measures, as XLSX."""
    answer = pathway_answer(connection, scope, today)
    book = Workbook()
    sheet = book.active
    sheet.title = "碳达峰路径"
    names = [s["name"] for s in answer["scenarios"]]
    _table(
        sheet,
        f"碳达峰路径：重点用能单位二氧化碳排放（tCO2，导出日期 {today.isoformat()}）",
        ["年份", "实际排放 (tCO2)", "实际数据期间", *(f"{n} (tCO2)" for n in names)],
        _pathway_rows(answer),
    )
    peaks = [
        [
            s["name"],
            KIND_ZH[s["kind"]],
            s["base_year"],
            s["peak_year"],
            _co2(s["peak_tco2"]),
            "是" if s["peaked_by_2035"] else "否（2035年前未达峰）",
        ]
        for s in answer["scenarios"]
    ]
    _table(
        book.create_sheet("情景与峰值"),
        "各情景达峰年份与峰值",
        ["情景", "类型", "基准年", "达峰年份", "峰值 (tCO2)", "2035年前达峰"],
        peaks,
    )
    base_rows: list[list[Any]] = []
    measure_rows: list[list[Any]] = []
    seen_years: set[int] = set()
    for line in answer["scenarios"]:
        detail = scenario_answer(connection, scope, line["id"])
        if line["base_year"] not in seen_years:
            seen_years.add(line["base_year"])
            for s in detail["base"]["sectors"]:
                figures = [_co2(s[f"{code}_tco2"]) for code, _zh in SOURCES_ZH]
                base_rows.append([line["base_year"], s["name_zh"], *figures, _co2(s["tco2"])])
        sectors = {s["sector"]: s["name_zh"] for s in detail["base"]["sectors"]}
        for measure, effect in zip(
            detail["scenario"].get("measures", []), detail["measure_effects"], strict=True
        ):
            status = {"verified": "已核实", "claimed": "仅申报（未核实）"}.get(
                measure["status"] or "", ""
            )
            measure_rows.append(
                [
                    line["name"],
                    measure["name"],
                    MEASURE_ZH[measure["kind"]],
                    sectors.get(measure["sector"], measure["sector"]),
                    measure["year"],
                    _co2(effect["tco2_per_year"]),
                    status,
                ]
            )
    _table(
        book.create_sheet("基准年排放"),
        "基准年排放：按行业和排放源（tCO2）",
        ["基准年", "行业", *(f"{zh} (tCO2)" for _c, zh in SOURCES_ZH), "合计 (tCO2)"],
        base_rows,
    )
    _table(
        book.create_sheet("政策措施"),
        "政策情景的措施及其年排放变化（负值为减排）",
        ["情景", "措施", "类型", "行业", "实施年份", "年排放变化 (tCO2)", "节能量核实状态"],
        measure_rows,
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
