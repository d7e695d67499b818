"""The verification report of a retrofit's savings (节能量核验报告) as PDF, in Chinese.

一、项目基本情况; 二、基准模型 (the regression, CV(RMSE) and NMBE against the ASHRAE
Guideline 14 limits, a chart of the baseline fit); 三、报告期 (a chart of the metered energy
against the adjusted baseline); 四、节能量 (当量值, 等价值, tCO2, the 90 % uncertainty, the
claim check); 五、非常规调整 (each with its reason). Every figure comes from
`nenghao.retrofits.views.verification`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from nenghao.reports.fonts import cjk_font
from nenghao.reports.pdf_layout import BAR, WIDTH, Styles, build
from nenghao.reports.words import chinese_day

MAX_POINTS = 120
"""Hourly series are averaged down to at most this many points in a chart."""
MODEL = colors.HexColor("#C55A11")
KIND_ZH = {"capacity": "产能变化", "product": "产品变化", "other": "其他"}
REASON_ZH = {"cvrmse": "CV(RMSE) 超限", "nmbe": "NMBE 超限", "shift": "基准期内运行状况变化"}


def _thin(labels: list[str], *series: list[float]) -> tuple[list[str], list[list[float]]]:
    if len(labels) <= MAX_POINTS:
        return labels, [list(s) for s in series]
    groups = np.array_split(np.arange(len(labels)), MAX_POINTS)
    thinned = [[float(np.mean(np.asarray(s)[g])) for g in groups] for s in series]
    return [labels[g[0]][:10] for g in groups], thinned


def fit_chart(font: str, part: dict[str, Any], caption: str) -> Drawing:
    """Metered energy and the model [tce] over a period's points, under ``caption``."""
    labels, (actual, model) = _thin(part["labels"], part["actual"], part["model"])
    drawing = Drawing(WIDTH * mm, 70 * mm)
    chart = HorizontalLineChart()
    chart.x, chart.y = 24 * mm, 14 * mm
    chart.width, chart.height = 140 * mm, 42 * mm
    chart.data = [actual or [0.0], model or [0.0]]
    step = max(1, len(labels) // 12)
    chart.categoryAxis.categoryNames = [
        lab if i % step == 0 else "" for i, lab in enumerate(labels)
    ]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.valueMin = 0.0
    chart.valueAxis.labelTextFormat = lambda value: f"{value:,.0f}"
    chart.lines[0].strokeColor, chart.lines[1].strokeColor = BAR, MODEL
    chart.lines[1].strokeDashArray = (3, 2)
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 130 * mm, 66 * mm
    legend.fontName, legend.fontSize = font, 7.5
    legend.colorNamePairs = [(BAR, "实测能耗 (tce)"), (MODEL, "基准模型 (tce)")]
    drawing.add(legend)
    drawing.add(String(24 * mm, 62 * mm, caption, fontName=font, fontSize=9.5))
    return drawing


def _n(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _basics(project: dict[str, Any], s: Styles) -> list[Any]:
    measures = project["measures"]
    rows = [
        ["项目", "内容"],
        ["项目名称", project["name"]],
        ["用能单位", project["enterprise_name"]],
        ["测量和验证方案", f"IPMVP 选项 {project['mv_option']}，GB/T 28750-2012"],
        [
            "改造前 / 后窑型",
            f"{measures.get('kiln_before', '—')} / {measures.get('kiln_after', '—')}",
        ],
        [
            "改造前 / 后燃料",
            f"{measures.get('fuel_before', '—')} / {measures.get('fuel_after', '—')}",
        ],
        ["改造内容", measures.get("description", "—")],
        ["基准期", f"{project['baseline_from']} 至 {project['baseline_to']}"],
        ["实施期", f"{project['installation_from']} 至 {project['installation_to']}"],
        ["报告期", f"{project['reporting_from']} 至 {project['reporting_to']}"],
        ["申报年节能量", f"{_n(project['claimed_saving_tce'])} tce（当量值）"],
        ["投资", f"{_n(project['investment_wan'])} 万元"],
    ]
    return [Paragraph("一、项目基本情况", s.h2), s.table(rows, [40, 130])]


def _model(answer: dict[str, Any], font: str, s: Styles) -> list[Any]:
    model = answer["model"]
    grain = "月度" if model["granularity"] == "month" else "小时"
    terms = " + ".join(f"{model['coefficients'][v]:.4g} × {v}" for v in model["variables"])
    equation = f"能耗 (tce) = {model['coefficients']['intercept']:.4g}" + (
        f" + {terms}" if terms else ""
    )
    verdict = "满足" if model["accepted"] else "不满足"
    rows = [
        ["指标", "数值", "限值", "判定"],
        ["CV(RMSE)", _pct(model["cvrmse"]), f"≤ {_pct(model['cvrmse_max'])}", ""],
        ["NMBE", _pct(model["nmbe"]), f"≤ ±{_pct(model['nmbe_max'])}", ""],
        ["R²", f"{model['r_squared']:.3f}", "—", ""],
        ["数据点数 n / 参数 p", f"{model['n']} / {model['p']}", "—", ""],
    ]
    rows[1][3] = "满足" if model["cvrmse"] <= model["cvrmse_max"] else "超限"
    rows[2][3] = "满足" if abs(model["nmbe"]) <= model["nmbe_max"] else "超限"
    story: list[Any] = [
        Paragraph("二、基准模型", s.h2),
        Paragraph(f"{grain}数据普通最小二乘回归：{equation}。", s.body),
        s.table(rows, [50, 40, 40, 40], numeric=(1,)),
        Paragraph(f"依据 ASHRAE Guideline 14-2014 校准判据，模型{verdict}要求。", s.body),
    ]
    for advice in model["advice"]:
        story.append(Paragraph(f"· {REASON_ZH[advice['reason']]}：{advice['zh']}", s.body))
    story.append(fit_chart(font, answer["baseline"], "基准期：实测能耗与基准模型"))
    return story


def _savings(answer: dict[str, Any], font: str, s: Styles) -> list[Any]:
    sv, claim = answer["savings"], answer["claim"]
    rows = [
        ["指标", "报告期", "折合每年"],
        ["校准基准能耗 (tce)", _n(sv["adjusted_baseline_tce"]), ""],
        ["其中非常规调整 (tce)", _n(sv["adjustments_tce"]), ""],
        ["报告期实测能耗 (tce)", _n(sv["actual_tce"]), ""],
        ["节能量 (tce，当量值)", _n(sv["avoided_tce"]), _n(sv["annual_avoided_tce"])],
        ["节能量 (tce，等价值)", _n(sv["avoided_equal_tce"]), _n(sv["annual_avoided_equal_tce"])],
        ["减排量 (tCO2)", _n(sv["avoided_tco2"]), _n(sv["annual_avoided_tco2"])],
        [
            f"不确定度（{sv['confidence']:.0%} 置信度，tce）",
            f"±{_n(sv['uncertainty_tce'])}",
            f"±{_n(sv['annual_uncertainty_tce'])}",
        ],
    ]
    flagged = "低于核验比例，已标记" if claim["flagged"] else "未低于核验比例"
    status = "已核验" if answer["status"] == "verified" else "基准模型不满足判据，节能量未核验"
    return [
        Paragraph("三、报告期", s.h2),
        fit_chart(font, answer["reporting"], "报告期：实测能耗与校准基准能耗"),
        Paragraph("四、节能量", s.h2),
        s.table(rows, [70, 50, 50], numeric=(1, 2)),
        Paragraph(
            f"节能量 = 校准基准能耗 − 报告期实测能耗（GB/T 28750-2012）；不确定度按 ASHRAE "
            f"Guideline 14 附录 B 分数节能不确定度公式（t = {sv['t']:.3f}，m = {sv['m']}，"
            f"n′ = {sv['n_effective']:.1f}）。状态：{status}。",
            s.body,
        ),
        Paragraph(
            f"核验节能量为申报值（{_n(claim['claimed_saving_tce'])} tce/年）的 "
            f"{_pct(claim['ratio'])}，核验比例 {_pct(claim['flag_ratio'])}：{flagged}。",
            s.body,
        ),
    ]


def _adjustments(answer: dict[str, Any], s: Styles) -> list[Any]:
    story: list[Any] = [Paragraph("五、非常规调整", s.h2)]
    if not answer["adjustments"]:
        return [*story, Paragraph("无。", s.body)]
    rows: list[list[Any]] = [["月份", "类型", "调整量 (tce)", "原因", "录入人"]]
    for a in answer["adjustments"]:
        rows.append(
            [a["month"], KIND_ZH[a["kind"]], _n(a["amount_tce"]), a["reason"], a["created_by"]]
        )
    return [*story, s.table(rows, [20, 22, 26, 76, 26], numeric=(2,))]


def verification_pdf(project: dict[str, Any], answer: dict[str, Any]) -> bytes:
    """The verification report of ``project`` (as `views.describe` gives it) and its M&V
    ``answer`` (as `views.verification` gives it), as PDF bytes. Raises `ReportFontError`
    when no Chinese font is installed."""
    font = cjk_font()
    s = Styles(font)
    story: list[Any] = [
        Paragraph("节能改造项目节能量核验报告", s.title),
        Paragraph(f"{project['enterprise_name']} · {project['name']}", s.sub),
        Spacer(1, 5 * mm),
    ]
    story += _basics(project, s)
    story += _model(answer, font, s)
    story += _savings(answer, font, s)
    story += _adjustments(answer, s)
    name = f"{project['name']} 节能量核验报告"
    footer = f"{name} · 能耗在线监测系统生成于 {chinese_day(date.today())}"
    return build(story, font, name, footer)
