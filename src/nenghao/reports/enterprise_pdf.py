"""The annual energy-utilisation report of a key energy-using unit (重点用能单位能源利用状况报告)
as PDF, in the order of the statutory report:

一、基本情况; 二、能源消费情况及结构; 三、单位产品能耗与限额对比; 四、节能目标及完成情况;
五、节能措施与项目; 六、计量与管理; 附录：折标系数及来源 (`nenghao.reports.pdf_sections`).

Every figure comes from `nenghao.analytics`; this module lays it out in Chinese. The Chinese
font is embedded (subset) so the file reads the same on any machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer
from sqlalchemy import Connection

from nenghao.analytics import comparison, statistics
from nenghao.analytics.errors import SubjectNotFoundError
from nenghao.analytics.items import Filters
from nenghao.analytics.periods import Period, today_cst
from nenghao.analytics.targets import Thresholds
from nenghao.reports import pdf_sections
from nenghao.reports.fonts import cjk_font
from nenghao.reports.pdf_layout import Styles, build, monthly_chart
from nenghao.reports.words import (
    KEY_UNIT_LEVEL_ZH,
    chinese_day,
    coefficient_text,
    division_name,
    energy_name,
    official,
)
from nenghao.standards import get_catalog
from nenghao.standards.precision import Quantity
from nenghao.standards.precision import shown as figure
from nenghao.store import enterprises
from nenghao.store.scope import Scope

TCE, RATE, ENERGY, MONEY = Quantity.TCE, Quantity.RATE, Quantity.ENERGY, Quantity.MONEY
TOTALS = (
    ("综合能源消费量（当量值）", "tce", "equivalent_tce", TCE),
    ("综合能源消费量（等价值）", "tce", "equal_tce", TCE),
    ("其中：原料用能", "tce", "raw_material_tce", TCE),
    ("外供能源", "tce", "exported_tce", TCE),
    ("可再生能源电力", "万kWh", "renewable_electricity_kwh", ENERGY),
    ("工业总产值", "万元", "output_value_10k_yuan", MONEY),
    ("工业增加值", "万元", "added_value_10k_yuan", MONEY),
)
"""The rows of the consumption table: name, unit written, answer field, quantity."""
INTENSITIES = (
    ("单位工业增加值能耗", "per_added_value"),
    ("单位工业总产值能耗", "per_output_value"),
)


@dataclass(frozen=True)
class Year:
    """The span a report reads: the year, or the part of it with data (截至 …)."""

    period: Period
    shown: Period
    base: Period
    through: str
    compared: dict[str, Any]

    @property
    def incomplete(self) -> bool:
        """Whether the year-on-year base was measured less fully than the year."""
        return any(
            row["equivalent_tce"]["year_on_year"]["reason"] == "base_incomplete"
            for row in self.compared["rows"]
        )


def enterprise_report(
    connection: Connection,
    scope: Scope,
    enterprise_id: int,
    year: int,
    thresholds: Thresholds | None = None,
    today: date | None = None,
) -> bytes:
    """The annual energy-utilisation report of one enterprise as PDF bytes.

    ``today`` is the CST day whose data is still coming in (default: today): a year not yet
    over is reported up to the day before, and the period says so (截至 …).

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
    s = Styles(font)
    only = Filters(enterprise_id=enterprise_id)
    day = today or today_cst()
    period = Period.year(year)
    compared = comparison.compare(connection, scope, period, "city", only, today=day)
    shown = comparison.compared_period(compared) or period
    span = Year(
        period,
        shown,
        comparison.base_period(compared) or period.previous_year(),
        comparison.partial_label(compared),
        compared,
    )
    story: list[Any] = _cover(enterprise, span, s)
    story += basics(enterprise, s)
    this = statistics.consumption(connection, scope, span.shown, "city", only)
    story += _consumption(connection, scope, span, only, this, s)
    story += pdf_sections.quotas(connection, scope, enterprise_id, span.shown, s)
    story += pdf_sections.targets(connection, scope, enterprise_id, year, day, thresholds, s)
    story += pdf_sections.measures(this["total"], s)
    story += pdf_sections.metering(connection, scope, enterprise_id, span.shown, s)
    story += pdf_sections.annex(this["coefficients"], s)
    name = f"{enterprise['name']} {year}年度能源利用状况报告"
    footer = f"{name} · 能耗在线监测系统生成于 {chinese_day(date.today())}"
    return build(story, font, name, footer)


def _cover(enterprise: dict[str, Any], span: Year, s: Styles) -> list[Any]:
    reported = f"报告期：{chinese_day(span.shown.start)}至{chinese_day(span.shown.last_day)}"
    if span.through:
        reported += f"（{span.period.start.year}年度尚未结束，数据{span.through}）"
    return [
        Paragraph("重点用能单位能源利用状况报告", s.title),
        Paragraph(f"{enterprise['name']}　{span.period.start.year}年度", s.sub),
        Paragraph(reported, s.sub),
        Spacer(1, 5 * mm),
    ]


def basics(enterprise: dict[str, Any], s: Styles) -> list[Any]:
    """一、基本情况: the register's facts of the enterprise."""
    industry = get_catalog().industries.get(enterprise["industry_code"])
    level = enterprise["key_unit_level"]
    rows = [
        ["项目", "内容"],
        ["单位名称", enterprise["name"]],
        ["统一社会信用代码", enterprise["credit_code"]],
        ["所在区县", division_name(enterprise["division_code"])],
        ["所属行业", industry.name_zh if industry else "未登记"],
        ["重点用能单位类别", KEY_UNIT_LEVEL_ZH.get(level, level)],
        ["单位地址", enterprise.get("address") or "未登记"],
        ["联系人", enterprise.get("contact") or "未登记"],
    ]
    return [Paragraph("一、基本情况", s.h2), s.table(rows, [45, 125])]


def _consumption(
    connection: Connection,
    scope: Scope,
    span: Year,
    only: Filters,
    this: dict[str, Any],
    s: Styles,
) -> list[Any]:
    """二、能源消费情况及结构: ``this`` is the span's consumption answer."""
    last = statistics.consumption(connection, scope, span.base, "city", only)
    now = statistics.intensity(connection, scope, span.shown, "city", only)["rows"]
    before = statistics.intensity(connection, scope, span.base, "city", only)["rows"]
    year = span.period.start.year
    head = ["指标", "单位", f"{year}年", f"{year - 1}年" + ("同期" if span.through else ""), "同比"]
    rows: list[list[Any]] = [head]
    for name, unit, key, quantity in TOTALS:
        current, previous = this["total"][key], last["total"][key]
        if unit == "万kWh":
            current, previous = official(current, "kWh")[0], official(previous, "kWh")[0]
        shown = [figure(current, quantity), figure(previous, quantity)]
        rows.append([name, unit, *shown, _rate(current, previous, span.incomplete)])
    for name, key in INTENSITIES:
        current = now[0][key]["value"] if now else None
        previous = before[0][key]["value"] if before else None
        shown = [figure(current, Quantity.INTENSITY), figure(previous, Quantity.INTENSITY)]
        rows.append([name, "tce/万元", *shown, _rate(current, previous, span.incomplete)])
    story: list[Any] = [
        Paragraph("二、能源消费情况及结构", s.h2),
        Paragraph("（一）综合能源消费量", s.body),
        s.table(rows, [52, 20, 34, 34, 30], numeric=(2, 3, 4)),
    ]
    if span.incomplete:
        story.append(Paragraph(_incomplete_note(span.compared), s.small))
    unconverted = this["total"]["equal_value_unconverted"]
    if unconverted:
        listed = "、".join(
            f"{energy_name(e['energy_kind'])} {figure(e['quantity'], ENERGY)} {e['unit']}"
            for e in unconverted
        )
        story.append(Paragraph(f"注：{listed} 尚无等价值折算系数，未计入等价值合计。", s.small))
    story += _structure(connection, scope, span, only, s)
    months = statistics.series(connection, scope, span.period, "month", "city", only)
    values = months["groups"][0]["equivalent_tce"] if months["groups"] else [0.0] * 12
    story += [Spacer(1, 2 * mm), monthly_chart(s.font, values, "各月综合能源消费量（当量值，tce）")]
    return story


def _rate(current: float | None, previous: float | None, incomplete: bool) -> str:
    """The change in per cent, divided at full precision and then rounded."""
    if incomplete:
        return comparison.BASE_INCOMPLETE_ZH
    if current is None or not previous:
        return "—"
    return figure((current - previous) / previous, RATE, signed=True)


def _incomplete_note(compared: dict[str, Any]) -> str:
    row = compared["rows"][0]["equivalent_tce"]["year_on_year"]
    span = compared["year_on_year_span"]
    missing = figure(1 - row["base_coverage"], RATE)
    first, last = (chinese_day(date.fromisoformat(span[k])) for k in ("start", "end"))
    return (
        f"注：{comparison.BASE_INCOMPLETE_ZH}——基期 {first}至{last}的数据覆盖"
        f"不及本期（按日覆盖估算，基期约 {missing} 的能耗落在无数据的日子），"
        "不给出同比变化率。"
    )


def _structure(
    connection: Connection, scope: Scope, span: Year, only: Filters, s: Styles
) -> list[Any]:
    """The energy kinds consumed: quantity in the unit officials write, coefficient, tce at
    equivalent and equal value, share of the energy used."""
    mix = statistics.energy_mix(connection, scope, span.shown, only)
    by_kind = statistics.consumption(connection, scope, span.shown, "energy_kind", only)
    equal = {row["key"]: row for row in by_kind["rows"]}
    coefficients = _coefficients_by_kind(by_kind["coefficients"])
    rows: list[list[Any]] = [
        ["能源品种", "实物量", "计量单位", "折标系数", "当量值 (tce)", "等价值 (tce)", "占比"]
    ]
    for row in mix["rows"]:
        kind = row["energy_kind"]
        for position, used in enumerate(row["quantities_used"] or [{"quantity": 0.0, "unit": ""}]):
            quantity, unit = official(used["quantity"], used["unit"]) if used["unit"] else (0, "")
            first = position == 0
            found = equal.get(kind)
            rows.append(
                [
                    row["name"] if first else "",
                    figure(quantity, ENERGY) if unit else "—",
                    unit or "—",
                    coefficients.get(kind, "—") if first else "",
                    figure(row["used_tce"], TCE) if first else "",
                    _equal(found) if first else "",
                    figure(row["share"], RATE) if first else "",
                ]
            )
    if len(rows) == 1:
        return [
            Paragraph("（二）能源消费结构", s.body),
            Paragraph("报告期内平台未采集到本单位的能源消费数据。", s.body),
        ]
    total = [figure(mix["total_used_tce"], TCE), figure(by_kind["total"]["equal_tce"], TCE)]
    rows.append(["合计", "", "", "", *total, "100.00%"])
    story = [
        Paragraph("（二）能源消费结构", s.body),
        s.table(rows, [17, 24, 15, 41, 24, 27, 22], numeric=(1, 4, 5, 6)),
        Paragraph(
            "注：当量值为投入使用的能源（含原料用能）；折标系数单位为千克标准煤每计量单位"
            "（kgce/kWh、kgce/kg、kgce/m3 等），出处见附录。",
            s.small,
        ),
    ]
    if any(row["exported_tce"] for row in mix["rows"]):
        story.append(
            Paragraph("注：外供能源未从各品种当量值中扣除，等价值为扣除外供后的净值。", s.small)
        )
    return story


def _equal(row: dict[str, Any] | None) -> str:
    if row is None:
        return "—"
    if row["equal_value_unconverted"]:
        return "未折算"
    return figure(row["equal_tce"], TCE)


def _coefficients_by_kind(used: list[dict[str, Any]]) -> dict[str, str]:
    """Per energy kind, its equivalent coefficient and, when it differs, its equal one."""
    found: dict[str, dict[str, float]] = {}
    units: dict[str, str] = {}
    for entry in used:
        if entry.get("kind") != "standard_coal":
            continue
        found.setdefault(entry["energy_kind"], {})[entry["basis"]] = entry["coefficient"]
        units[entry["energy_kind"]] = entry["unit"]
    out = {}
    for kind, values in found.items():
        equivalent, equal = values.get("equivalent"), values.get("equal")
        text = coefficient_text(equivalent) if equivalent is not None else "—"
        if equal is not None and equal != equivalent:
            text = f"当量 {text}；等价 {coefficient_text(equal)}"
        out[kind] = f"{text} {units[kind]}"
    return out
