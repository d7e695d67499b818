"""The accepted annual report (能源利用状况报告) as PDF: the figures kept with the accepted version
and the enterprise's own parts, laid out with the documents' page (`pdf_layout`), the basic
information and the coefficient annex of the enterprise report. Nothing is recomputed: the
document shows what was submitted and accepted."""

from __future__ import annotations

from datetime import date
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from nenghao.analytics.targets import INDICATOR_UNITS, INDICATOR_ZH, WARNING_ZH
from nenghao.reports import pdf_sections
from nenghao.reports.enterprise_pdf import TOTALS, basics
from nenghao.reports.fonts import cjk_font
from nenghao.reports.pdf_layout import Styles, build
from nenghao.reports.words import INDICATOR_QUANTITY, QUOTA_LEVEL_ZH, chinese_day, official
from nenghao.standards.calendar import cst_date
from nenghao.standards.precision import Quantity
from nenghao.standards.precision import shown as figure

TCE, RATE, ENERGY = Quantity.TCE, Quantity.RATE, Quantity.ENERGY
PROJECT_STATUS_ZH = {"planned": "计划实施", "in_progress": "实施中", "completed": "已完成"}
YES_NO = {True: "是", False: "否", None: "未填写"}
STATEMENT = (
    "本单位承诺：本报告所填数据和情况真实、准确、完整，在线监测数据来自本单位能耗在线监测端"
    "上传及填报的数据。"
)


def accepted_report(
    enterprise: dict[str, Any], report: dict[str, Any], version: dict[str, Any]
) -> bytes:
    """The PDF of ``report``'s accepted ``version`` of ``enterprise``.

    Raises ReportFontError when no embeddable Chinese font is installed.
    """
    font = cjk_font()
    s = Styles(font)
    figures, parts = version["figures"] or {}, version["parts"] or {}
    year = report["year"]
    accepted_on = chinese_day(cst_date(version["reviewed_at"]))
    stamp = f"第 {version['version']} 版，{accepted_on}审核通过"
    story: list[Any] = [
        Paragraph("重点用能单位能源利用状况报告", s.title),
        Paragraph(f"{enterprise['name']}　{year}年度", s.sub),
        Paragraph(f"报告期：{year}年1月1日至{year}年12月31日　{stamp}", s.sub),
        Spacer(1, 5 * mm),
    ]
    story += basics(enterprise, s)
    story += _consumption(figures, parts, s)
    story += _products(figures.get("unit_products") or [], s)
    story += _target(figures.get("target"), year, s)
    story += _measures(parts, s)
    story += _management(parts.get("management") or {}, s)
    story += [Paragraph("七、声明", s.h2), Paragraph(STATEMENT, s.body)]
    story += pdf_sections.annex(figures.get("coefficients") or [], s)
    name = f"{enterprise['name']} {year}年度能源利用状况报告"
    return build(story, font, name, f"{name} · {stamp} · 生成于 {chinese_day(date.today())}")


def _consumption(figures: dict[str, Any], parts: dict[str, Any], s: Styles) -> list[Any]:
    totals, intensity = figures.get("totals") or {}, figures.get("intensity") or {}
    rows: list[list[Any]] = [["指标", "单位", "数值"]]
    for name, unit, key, quantity in TOTALS:
        value = totals.get(key)
        if unit == "万kWh" and value is not None:
            value = official(value, "kWh")[0]
        rows.append([name, unit, figure(value, quantity)])
    for name, key in (
        ("单位工业增加值能耗", "per_added_value"),
        ("单位工业总产值能耗", "per_output_value"),
    ):
        rows.append([name, "tce/万元", figure(intensity.get(key), Quantity.INTENSITY)])
    story: list[Any] = [
        Paragraph("二、能源消费情况", s.h2),
        Paragraph("（一）综合能源消费量", s.body),
        s.table(rows, [80, 30, 60], numeric=(2,)),
        Paragraph(_coverage_note(figures.get("coverage") or {}), s.small),
    ]
    if parts.get("figures_note"):
        story.append(Paragraph(f"企业说明：{parts['figures_note']}", s.small))
    kinds: list[list[Any]] = [
        ["能源品种", "实物量", "计量单位", "当量值 (tce)", "等价值 (tce)", "占比"]
    ]
    for row in figures.get("energy_kinds") or []:
        for position, used in enumerate(row["quantities"] or [{"quantity": 0.0, "unit": ""}]):
            amount, unit = official(used["quantity"], used["unit"]) if used["unit"] else (0, "—")
            first = position == 0
            kinds.append(
                [
                    row["name"] if first else "",
                    figure(amount, ENERGY),
                    unit,
                    figure(row["used_tce"], TCE) if first else "",
                    figure(row["equal_tce"], TCE) if first else "",
                    figure(row["share"], RATE) if first else "",
                ]
            )
    story.append(Paragraph("（二）分品种能源消费（实物量与折标量）", s.body))
    if len(kinds) == 1:
        return [*story, Paragraph("报告期内平台未采集到本单位的能源消费数据。", s.body)]
    return [*story, s.table(kinds, [30, 30, 22, 30, 32, 26], numeric=(1, 3, 4, 5))]


def _coverage_note(coverage: dict[str, Any]) -> str:
    """The data coverage in words."""
    parts = [f"数据覆盖：{coverage.get('complete_months', 0)} 个月数据完整"]
    if coverage.get("incomplete"):
        months = "、".join(
            f"{entry['month']}（{figure(entry['rate'], RATE)}）" for entry in coverage["incomplete"]
        )
        parts.append(f"数据不完整的月份：{months}")
    if coverage.get("not_assessed"):
        parts.append(f"未经数据质量评估的月份 {len(coverage['not_assessed'])} 个")
    return "注：" + "；".join(parts) + "。"


def _products(products: list[dict[str, Any]], s: Styles) -> list[Any]:
    heading = Paragraph("三、单位产品能耗与限额对比", s.h2)
    if not products:
        return [heading, Paragraph("本单位未在平台登记产品产量计量项。", s.body)]
    rows: list[list[Any]] = [["产品", "产量 (t)", "单位产品能耗 (kgce/t)", "所处等级", "执行标准"]]
    for row in products:
        rows.append(
            [
                row["product_name"],
                figure(row["output_t"], ENERGY),
                figure(row["unit_consumption"], Quantity.UNIT_PRODUCT),
                QUOTA_LEVEL_ZH.get(row.get("level") or "", "未判定"),
                row.get("edition") or "—",
            ]
        )
    return [heading, s.table(rows, [40, 30, 34, 26, 40], numeric=(1, 2))]


def _target(target: dict[str, Any] | None, year: int, s: Styles) -> list[Any]:
    story: list[Any] = [Paragraph("四、节能目标完成情况", s.h2)]
    if not target or not target.get("indicators"):
        return [*story, Paragraph(f"平台未登记本单位{year}年度节能目标。", s.body)]
    rows: list[list[Any]] = [["指标", "单位", "目标值", "完成值", "完成/目标", "状态"]]
    for key, entry in target["indicators"].items():
        quantity = INDICATOR_QUANTITY[key]
        rows.append(
            [
                INDICATOR_ZH[key],
                INDICATOR_UNITS[key],
                figure(entry["target"], quantity),
                figure(entry["to_date"], quantity),
                figure(entry["ratio"], RATE),
                WARNING_ZH.get(entry["level"] or "", "未判定"),
            ]
        )
    return [*story, s.table(rows, [40, 20, 28, 28, 26, 28], numeric=(2, 3, 4))]


def _measures(parts: dict[str, Any], s: Styles) -> list[Any]:
    story: list[Any] = [
        Paragraph("五、节能措施与节能技改项目", s.h2),
        Paragraph("（一）节能措施", s.body),
    ]
    for number, text in enumerate(parts.get("measures") or [], start=1):
        story.append(Paragraph(f"{number}. {text}", s.body))
    story.append(Paragraph("（二）节能技术改造项目", s.body))
    projects = parts.get("projects") or []
    if not projects:
        return [*story, Paragraph("报告期内无节能技术改造项目。", s.body)]
    rows: list[list[Any]] = [["项目名称", "投资 (万元)", "节能量 (tce)", "进展"]]
    for project in projects:
        rows.append(
            [
                project["name"],
                figure(project["investment_10k_yuan"], Quantity.MONEY),
                figure(project["saving_tce"], TCE),
                PROJECT_STATUS_ZH[project["status"]],
            ]
        )
    return [*story, s.table(rows, [80, 30, 30, 30], numeric=(1, 2))]


def _management(management: dict[str, Any], s: Styles) -> list[Any]:
    rate = management.get("metering_rate_pct")
    rows = [
        ["项目", "情况"],
        ["能源管理负责人", management.get("manager_name") or "未填写"],
        ["联系电话", management.get("phone") or "未填写"],
        ["能源管理岗位证书", management.get("certificate") or "未填写"],
        ["是否建立能源管理体系", YES_NO[management.get("management_system")]],
        ["能源计量器具配备率", f"{rate:.1f}%" if rate is not None else "未填写"],
        [
            "最近一次能源审计",
            f"{management['last_audit_year']}年" if management.get("last_audit_year") else "未开展",
        ],
    ]
    return [Paragraph("六、能源管理", s.h2), s.table(rows, [60, 110])]
