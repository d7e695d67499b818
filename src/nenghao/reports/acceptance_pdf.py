"""The acceptance report of an operating project (节能验收报告) as PDF, in Chinese: the approved
figures set against the metered ones.

一、项目基本情况 (project, applicant, approval: date, tier, conditions); 二、批复值与实际值对比
(annual consumption on both bases, CO2, each product's unit consumption, with the deviation);
三、月度能耗 (the months used, their completeness, a bar chart); 四、结论 (verdict lines);
五、说明 (caveats, unverified values). Every figure comes from `nenghao.review.operation`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer
from sqlalchemy import Connection

from nenghao.reports.fonts import cjk_font
from nenghao.reports.pdf_layout import Styles, build, monthly_chart
from nenghao.reports.words import chinese_day, division_name
from nenghao.review import views
from nenghao.review.operation import operation
from nenghao.standards.calendar import cst_date
from nenghao.standards.precision import Quantity
from nenghao.standards.precision import shown as figure
from nenghao.store import projects as store
from nenghao.store.scope import Scope

UNIT_QUANTITY = {"tce": Quantity.TCE, "tCO2": Quantity.CO2}


def acceptance_report(
    connection: Connection, scope: Scope, project_id: int, as_of: date | None = None
) -> bytes:
    """The acceptance report of an approved or filed project in scope as PDF bytes.

    Raises the refusals of `nenghao.review.operation.operation` (``project_not_found``,
    ``project_not_commissionable``, ``project_applicant_unregistered``) and
    `ReportFontError` when no Chinese font is installed.
    """
    answer = operation(connection, scope, project_id, as_of=as_of)
    project = views.named(store.require(connection, scope, project_id))
    font = cjk_font()
    s = Styles(font)
    story: list[Any] = [
        Paragraph("固定资产投资项目节能验收报告", s.title),
        Paragraph(f"{answer['project_name']}（{answer['project_code']}）", s.sub),
        Paragraph(f"数据截至：{chinese_day(answer['as_of'])}（不含当日）", s.sub),
        Spacer(1, 5 * mm),
    ]
    story += _basics(answer, project, s)
    story += _figures(answer, s)
    story += _months(answer, s)
    story += _verdicts(answer, s)
    name = f"{answer['project_name']} 节能验收报告"
    footer = f"{name} · 能耗在线监测系统生成于 {chinese_day(date.today())}"
    return build(story, font, name, footer)


def _basics(answer: dict[str, Any], project: dict[str, Any], s: Styles) -> list[Any]:
    decided = answer["decided_at"]
    commissioned = answer["commissioned_on"]
    rows = [
        ["项目", "内容"],
        ["项目名称", answer["project_name"]],
        ["项目编号", answer["project_code"]],
        ["申报单位", answer["enterprise_name"] or "未登记"],
        ["建设地点", division_name(answer["division_code"])],
        ["所属行业", project["industry_name"]],
        ["建设性质", project["construction_type_zh"]],
        ["项目状态", answer["status_zh"]],
        ["审查类别", project["tier_zh"]],
        ["审查层级", project["review_level_zh"]],
        ["两高项目", "是" if project["two_high"] else "否"],
        ["批复（备案）日期", chinese_day(cst_date(decided)) if decided else "—"],
        ["批复条件", answer["conditions"] or "无"],
        ["投产日期", chinese_day(commissioned) if commissioned else "尚未投产"],
        ["计量数据项", "、".join(f"{i['name']}（{i['code']}）" for i in answer["items"]) or "无"],
    ]
    return [Paragraph("一、项目基本情况", s.h2), s.table(rows, [40, 130])]


def _shown(value: float | None, unit: str) -> str:
    return figure(value, UNIT_QUANTITY.get(unit, Quantity.UNIT_PRODUCT))


def _figures(answer: dict[str, Any], s: Styles) -> list[Any]:
    story: list[Any] = [Paragraph("二、批复值与实际值对比", s.h2)]
    compared = answer["comparison"]
    if compared is None:
        story.append(Paragraph(f"尚无可对比的数据：{answer['state_zh']}。", s.body))
        return story
    story.append(
        Paragraph(
            f"实际值依据 {compared['months_used']} 个完整月（{_month(compared['first_used'])}至"
            f"{_month(compared['last_used'])}），{compared['basis_zh']}；"
            f"偏差 = 实际值 ÷ 批复值 − 1，限值 {answer['threshold']:.0%}。",
            s.body,
        )
    )
    rows: list[list[Any]] = [["指标", "单位", "批复值", "实际值", "偏差", "判定"]]
    for f in compared["figures"]:
        verdict = "超过限值" if f["over"] else "未超过"
        if not f["alerted"]:
            verdict += "（参考）"
        rows.append(
            [
                f["name_zh"],
                f["unit"],
                _shown(f["approved"], f["unit"]),
                _shown(f["actual"], f["unit"]),
                figure(f["deviation"], Quantity.RATE, signed=True),
                verdict if f["deviation"] is not None else "无可比",
            ]
        )
    story.append(s.table(rows, [50, 18, 28, 28, 20, 26], numeric=(2, 3, 4)))
    return story


def _month(day: date) -> str:
    return f"{day.year}年{day.month}月"


def _months(answer: dict[str, Any], s: Styles) -> list[Any]:
    months = answer["months"]
    story: list[Any] = [Paragraph("三、投产后月度能耗", s.h2)]
    if not months:
        story.append(Paragraph("投产后尚无完整月份。", s.body))
        return story
    rows: list[list[Any]] = [
        ["月份", "当量值 tce", "等价值 tce", "数据完整率", "年化当量值 tce", "年化偏差"]
    ]
    for m in months:
        rows.append(
            [
                m["month"],
                figure(m["equivalent_tce"], Quantity.TCE),
                figure(m["equal_tce"], Quantity.TCE),
                figure(m["covered_share"], Quantity.RATE) + ("" if m["complete"] else "（缺测）"),
                figure(m["annualised_equivalent_tce"], Quantity.TCE),
                figure(m["deviation_equivalent"], Quantity.RATE, signed=True),
            ]
        )
    story.append(s.table(rows, [22, 28, 28, 32, 32, 28], numeric=(1, 2, 3, 4, 5)))
    last = months[-12:]
    story.append(
        monthly_chart(
            s.font,
            [m["equivalent_tce"] for m in last],
            "投产后各月综合能源消费量（当量值，tce）",
            [m["month"][2:] for m in last],
        )
    )
    return story


def _verdicts(answer: dict[str, Any], s: Styles) -> list[Any]:
    story: list[Any] = [Paragraph("四、结论", s.h2)]
    compared = answer["comparison"]
    if compared is None:
        story.append(Paragraph("尚不具备验收对比条件。", s.body))
    else:
        story += [Paragraph(line, s.body) for line in compared["verdicts"]]
        overall = (
            f"结论：实际能耗超过批复水平 {answer['threshold']:.0%} 及以上，应按规定办理变更或整改。"
            if compared["over"]
            else f"结论：实际能耗未超过批复水平 {answer['threshold']:.0%}。"
        )
        if not compared["certain"]:
            overall += "（依据数据不足 3 个完整月或有缺测，结论仅供参考。）"
        story.append(Paragraph(overall, s.body))
    story.append(Paragraph("五、说明", s.h2))
    notes = answer["caveats"] or ["无。"]
    story += [Paragraph(f"{n + 1}. {text}", s.small) for n, text in enumerate(notes)]
    return story
