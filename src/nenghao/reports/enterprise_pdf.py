"""The enterprise annual energy-utilisation report (能源利用状况报告) as PDF.

Sections: basic facts, comprehensive consumption (equivalent and equal value) and CO2 with
the year-on-year change, energy mix, consumption per 10 000 yuan, unit-product consumption
against the quota in force, key-unit status, a monthly chart, and the coefficients used.
The Chinese font is embedded (subset) so the file reads the same on any machine.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy import Connection

from nenghao.analytics import comparison, statistics
from nenghao.analytics.errors import SubjectNotFoundError
from nenghao.analytics.items import Filters
from nenghao.analytics.key_units import key_units
from nenghao.analytics.periods import Period
from nenghao.analytics.unit_products import unit_products
from nenghao.reports.fonts import cjk_font
from nenghao.reports.key_unit_words import ACTUAL_ZH, FINDING_ZH, LEVEL_ZH
from nenghao.standards import get_catalog
from nenghao.standards.precision import Quantity, written
from nenghao.standards.precision import shown as figure
from nenghao.store import enterprises
from nenghao.store.scope import Scope

QUOTA_ZH = {"L1": "1级（先进）", "L2": "2级（准入）", "L3": "3级（限定）", "above_limit": "超限额"}


def _rate(current: float, previous: float, incomplete: bool) -> str:
    """The change in per cent, divided at full precision and then rounded."""
    if incomplete:
        return comparison.BASE_INCOMPLETE_ZH
    return "—" if not previous else figure((current - previous) / previous, RATE, signed=True)


TCE, RATE, ENERGY = Quantity.TCE, Quantity.RATE, Quantity.ENERGY
FIGURES = (
    ("综合能耗 当量值 (tce)", "equivalent_tce", TCE),
    ("综合能耗 等价值 (tce)", "equal_tce", TCE),
    ("其中原料用能 (tce)", "raw_material_tce", TCE),
    ("外供能源 (tce)", "exported_tce", TCE),
    ("可再生能源电力 (kWh)", "renewable_electricity_kwh", ENERGY),
    ("二氧化碳排放 (tCO2)", "tco2", Quantity.CO2),
    ("工业总产值 (万元)", "output_value_10k_yuan", Quantity.MONEY),
    ("工业增加值 (万元)", "added_value_10k_yuan", Quantity.MONEY),
)
"""The rows of section two: name, field and quantity."""


class _Styles:
    def __init__(self, font: str) -> None:
        self.title = ParagraphStyle("title", fontName=font, fontSize=18, leading=24, alignment=1)
        self.sub = ParagraphStyle("sub", fontName=font, fontSize=10, leading=14, alignment=1)
        self.h2 = ParagraphStyle("h2", fontName=font, fontSize=12.5, leading=18, spaceBefore=8)
        self.body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13)
        self.small = ParagraphStyle("small", fontName=font, fontSize=7.5, leading=10)
        self.font = font

    def table(self, rows: list[list[Any]], widths: list[float]) -> Table:
        wrapped = [
            [c if isinstance(c, Paragraph) else Paragraph(str(c), self.body) for c in row]
            for row in rows
        ]
        table = Table(wrapped, colWidths=[w * mm for w in widths], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        return table


def _chart(font: str, months: list[str], values: list[float]) -> Drawing:
    drawing = Drawing(170 * mm, 70 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 18 * mm, 12 * mm
    chart.width, chart.height = 145 * mm, 48 * mm
    chart.data = [values]
    chart.categoryAxis.categoryNames = months
    chart.categoryAxis.labels.fontName = font
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.valueMin = min(0.0, *values) if values else 0.0
    chart.valueAxis.labelTextFormat = lambda value: figure(value, TCE)
    chart.bars[0].fillColor = colors.HexColor("#2F75B5")
    drawing.add(chart)
    drawing.add(String(18 * mm, 64 * mm, "各月综合能耗（当量值，tce）", fontName=font, fontSize=9))
    return drawing


def enterprise_report(connection: Connection, scope: Scope, enterprise_id: int, year: int) -> bytes:
    """The annual energy-utilisation report of one enterprise as PDF bytes.

    Raises
    ------
    SubjectNotFoundError
        The enterprise does not exist or lies outside ``scope``.
    ReportFontError
        No embeddable Chinese font is installed.
    """
    enterprise = enterprises.get(connection, scope, enterprise_id)
    if enterprise is None:
        raise SubjectNotFoundError(f"enterprise {enterprise_id} not found")
    font = cjk_font()
    s = _Styles(font)
    only = Filters(enterprise_id=enterprise_id)
    period = Period.year(year)
    compared = comparison.compare(connection, scope, period, "city", only)
    shown = comparison.compared_period(compared) or period
    base = comparison.base_period(compared)
    through = comparison.partial_label(compared)
    through_note = f"，{through}" if through else ""
    this = statistics.consumption(connection, scope, shown, "city", only)
    last = statistics.consumption(connection, scope, base or period.previous_year(), "city", only)
    total, before = this["total"], last["total"]
    incomplete = any(
        row["equivalent_tce"]["year_on_year"]["reason"] == "base_incomplete"
        for row in compared["rows"]
    )
    catalog = get_catalog()
    division = catalog.divisions.get(enterprise["division_code"])
    industry = catalog.industries.get(enterprise["industry_code"])
    story: list[Any] = [
        Paragraph(f"{enterprise['name']}", s.title),
        Paragraph(f"{year}年度能源利用状况报告", s.title),
        Paragraph(f"统计期 {shown.start} 至 {shown.last_day}（北京时间）{through_note}", s.sub),
        Spacer(1, 6 * mm),
        Paragraph("一、基本情况", s.h2),
        s.table(
            [
                ["项目", "内容"],
                ["统一社会信用代码", enterprise["credit_code"]],
                [
                    "所在区县",
                    f"{enterprise['division_code']} {division.name_zh if division else ''}",
                ],
                [
                    "所属行业",
                    f"{enterprise['industry_code']} {industry.name_zh if industry else ''}",
                ],
                [
                    "登记类别",
                    LEVEL_ZH.get(enterprise["key_unit_level"], enterprise["key_unit_level"]),
                ],
            ],
            [45, 120],
        ),
        Paragraph("二、综合能源消费量与二氧化碳排放", s.h2),
        s.table(
            [
                [
                    "指标",
                    f"{year}年" + (f"（{through}）" if through else ""),
                    f"{year - 1}年" + ("同期" if through else ""),
                    "同比",
                ],
                *[
                    [
                        name,
                        figure(total[key], quantity),
                        figure(before[key], quantity),
                        _rate(total[key], before[key], incomplete),
                    ]
                    for name, key, quantity in FIGURES
                ],
            ],
            [62, 36, 36, 31],
        ),
    ]
    if incomplete:
        story.append(Paragraph(_incomplete_note(compared), s.small))
    if total["equal_value_unconverted"]:
        missing = "；".join(
            f"{e['energy_kind']} {figure(e['quantity'], ENERGY)} {e['unit']}"
            for e in total["equal_value_unconverted"]
        )
        story.append(
            Paragraph(f"注：以下能源目录中无等价值折算系数，未计入等价值合计：{missing}。", s.small)
        )
    months = statistics.series(connection, scope, period, "month", "city", only)
    values = months["groups"][0]["equivalent_tce"] if months["groups"] else [0.0] * 12
    story += [Spacer(1, 3 * mm), _chart(font, [f"{m}月" for m in range(1, 13)], values)]
    story += _mix(connection, scope, period, only, s)
    story += _intensity(connection, scope, period, only, s)
    story += _quotas(connection, scope, enterprise_id, period, s)
    story += _key_unit(connection, scope, year, only, s)
    story += _coefficients(this["coefficients"], s)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{enterprise['name']} {year}年度能源利用状况报告",
        author="nenghao 能耗在线监测系统",
    )
    document.build(story)
    return buffer.getvalue()


def _incomplete_note(compared: dict[str, Any]) -> str:
    row = compared["rows"][0]["equivalent_tce"]["year_on_year"]
    span = compared["year_on_year_span"]
    missing = figure(1 - row["base_coverage"], RATE)
    return (
        f"注：{comparison.BASE_INCOMPLETE_ZH}——基期 {span['start']} 至 {span['end']} 的数据覆盖"
        f"不及本期（按日覆盖估算，基期约 {missing} 的能耗落在无数据的日子），"
        "不给出同比变化率。"
    )


def _mix(
    connection: Connection, scope: Scope, period: Period, only: Filters, s: _Styles
) -> list[Any]:
    mix = statistics.energy_mix(connection, scope, period, only)
    rows = [["能源品种", "实物量", "折标准煤 (tce)", "占比"]]
    for row in mix["rows"]:
        quantity = "；".join(
            f"{figure(q['quantity'], ENERGY)} {q['unit']}" for q in row["quantities_used"]
        )
        share = figure(row["share"], RATE)
        rows.append([row["name"], quantity or "—", figure(row["used_tce"], TCE), share])
    return [Paragraph("三、能源消费结构（当量值）", s.h2), s.table(rows, [40, 55, 40, 30])]


def _intensity(
    connection: Connection, scope: Scope, period: Period, only: Filters, s: _Styles
) -> list[Any]:
    rows = statistics.intensity(connection, scope, period, "city", only)["rows"]
    if not rows:
        return []
    row = rows[0]
    table = [
        ["指标", "数值", "单位"],
        [
            "单位工业总产值综合能耗",
            figure(row["per_output_value"]["value"], Quantity.INTENSITY),
            "tce/万元",
        ],
        [
            "单位工业增加值综合能耗",
            figure(row["per_added_value"]["value"], Quantity.INTENSITY),
            "tce/万元",
        ],
        [
            "单位工业增加值CO2排放",
            figure(row["co2_per_added_value"]["value"], Quantity.INTENSITY),
            "tCO2/万元",
        ],
    ]
    return [Paragraph("四、单位产值能耗", s.h2), s.table(table, [70, 50, 45])]


def _quotas(
    connection: Connection, scope: Scope, enterprise_id: int, period: Period, s: _Styles
) -> list[Any]:
    answer = unit_products(connection, scope, enterprise_id, period)
    rows = [["产品", "产量 (t)", "单位产品能耗 (kgce/t)", "限额标准", "等级"]]
    for row in answer["rows"]:
        quota = row.get("quota")
        if quota:
            standard = f"{quota['edition']} L1/L2/L3 " + "/".join(
                figure(quota["thresholds"].get(level), Quantity.UNIT_PRODUCT)
                for level in ("L1", "L2", "L3")
            )
            level = QUOTA_ZH[quota["level"]]
        else:
            standard = {
                "quota_values_not_loaded": row.get("message"),
                "no_quota_in_force": "无在效限额版本",
                "no_output": "无产量",
            }.get(row["status"]) or "无限额标准"
            level = "—"
        rows.append(
            [
                row["product_name"],
                figure(row["output_t"], ENERGY),
                figure(row["unit_consumption"], Quantity.UNIT_PRODUCT),
                standard,
                level,
            ]
        )
    if len(rows) == 1:
        return []
    note = Paragraph(
        f"限额按统计期末 {answer['quota_date']} 现行版本判定；"
        "工序能耗为当量值，已扣除回收外供能源。",
        s.small,
    )
    return [Paragraph("五、单位产品能耗与限额", s.h2), s.table(rows, [32, 26, 30, 55, 22]), note]


def _key_unit(
    connection: Connection, scope: Scope, year: int, only: Filters, s: _Styles
) -> list[Any]:
    answer = key_units(connection, scope, year, only)
    if not answer["rows"]:
        return []
    row = answer["rows"][0]
    text = (
        f"年综合能耗（当量值）{figure(row['actual_tce'], TCE)} tce；登记类别："
        f"{LEVEL_ZH.get(row['registered_level'], row['registered_level'])}；"
        f"判定：{ACTUAL_ZH[row['actual_level']]}（{FINDING_ZH[row['finding']]}）。"
        f"门槛：{answer['thresholds']['key_tce']:,.0f} tce"
        f"（省指定 {answer['thresholds']['designated_tce']:,.0f} tce），"
        "依据《重点用能单位节能管理办法》。"
    )
    return [Paragraph("六、重点用能单位判定", s.h2), Paragraph(text, s.body)]


def _coefficients(used: list[dict[str, Any]], s: _Styles) -> list[Any]:
    rows = [["能源/因子", "值", "单位", "来源 (状态)"]]
    for entry in used:
        value = entry.get("coefficient", entry.get("value"))
        rows.append(
            [
                f"{entry['energy_kind']} {entry.get('basis') or entry.get('name') or ''}",
                "—" if value is None else written(value),
                entry["unit"],
                Paragraph(f"{entry['source']} ({entry['status']})", s.small),
            ]
        )
    stamp = Paragraph(
        f"本报告由 nenghao 能耗在线监测系统生成，{date.today().isoformat()}。", s.small
    )
    return [Paragraph("附：折标系数与排放因子", s.h2), s.table(rows, [40, 22, 25, 78]), stamp]
