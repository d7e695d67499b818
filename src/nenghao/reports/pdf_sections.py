"""Sections three to six and the annex of the annual report (`nenghao.reports.enterprise_pdf`):
unit-product consumption against the quotas, the saving targets, saving measures, metering
and management, and the coefficients with their sources. Findings are written in words."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer
from sqlalchemy import Connection

from nenghao.analytics.items import Filters
from nenghao.analytics.key_units import key_units
from nenghao.analytics.periods import Period
from nenghao.analytics.targets import (
    INDICATOR_UNITS,
    INDICATOR_ZH,
    WARNING_ZH,
    Thresholds,
    progress,
)
from nenghao.analytics.unit_products import unit_products
from nenghao.monitor.alerting import RULE_NAMES_ZH
from nenghao.reports.coefficients import VERIFY_NOTE, coefficient_lines
from nenghao.reports.pdf_layout import Styles
from nenghao.reports.reporting import reported
from nenghao.reports.words import (
    ACTUAL_LEVEL_ZH,
    BASIS_ZH,
    FINDING_ZH,
    INDICATOR_QUANTITY,
    KEY_UNIT_LEVEL_ZH,
    QUOTA_LEVEL_ZH,
    chinese_day,
    coefficient_text,
    official,
)
from nenghao.standards.calendar import cst_date, cst_midnight
from nenghao.standards.precision import Quantity
from nenghao.standards.precision import shown as figure
from nenghao.store import devices, enterprises, quality
from nenghao.store import targets as stored_targets
from nenghao.store.scope import Scope

UNIT_PRODUCT, RATE, TCE = Quantity.UNIT_PRODUCT, Quantity.RATE, Quantity.TCE
MET = {
    "L1": "达到1级（先进值）",
    "L2": "达到2级（准入值）",
    "L3": "达到3级（限定值），未超限额",
    "above_limit": "超过限定值，属超限额用能",
}
WITHOUT_QUOTA = {
    "no_output": "报告期无产量，不作判定",
    "no_quota_in_force": "报告期末无现行限额标准",
    "no_quota_standard": "该产品无能耗限额标准",
}
PROJECTED_BY = {
    "actual": "全年实际值",
    "seasonal_profile": "按上年同期占全年比例推算",
    "linear_run_rate": "按已过天数线性推算",
    "none": "尚无数据，未推算",
}
MEASURES_ZH = {
    "energy": "能源消费",
    "medium": "耗能工质",
    "product": "产品产量",
    "output_value": "工业总产值",
    "added_value": "工业增加值",
}


def quotas(
    connection: Connection, scope: Scope, enterprise_id: int, period: Period, s: Styles
) -> list[Any]:
    """三、单位产品能耗与限额对比."""
    answer = unit_products(connection, scope, enterprise_id, period)
    heading = Paragraph("三、单位产品能耗与限额对比", s.h2)
    if not answer["rows"]:
        return [
            heading,
            Paragraph("本单位未在平台登记产品产量计量项，无单位产品能耗数据。", s.body),
        ]
    head = ["产品", "产量 (t)", "单位产品能耗 (kgce/t)", "限额值 1级/2级/3级 (kgce/t)"]
    rows: list[list[Any]] = [[*head, "所处等级", "执行标准", "结论"]]
    for row in answer["rows"]:
        quota = row.get("quota")
        if quota:
            limits = " / ".join(
                figure(quota["thresholds"].get(level), UNIT_PRODUCT) for level in ("L1", "L2", "L3")
            )
            level, edition = QUOTA_LEVEL_ZH[quota["level"]], quota["edition"]
            verdict = MET[quota["level"]]
            if quota["local"]:
                verdict += "（本地暂定限额，非国家标准）"
            elif quota["status"] != "confirmed":
                verdict += "（限额值待核实）"
        else:
            limits, level, edition = "—", "—", row.get("edition") or "—"
            verdict = WITHOUT_QUOTA.get(row["status"], "限额值尚未录入，无法判定")
        rows.append(
            [
                row["product_name"],
                figure(row["output_t"], Quantity.ENERGY),
                figure(row["unit_consumption"], UNIT_PRODUCT),
                limits,
                level,
                edition,
                verdict,
            ]
        )
    note = Paragraph(
        f"注：按报告期末（{chinese_day(date.fromisoformat(answer['quota_date']))}）现行限额版本判定；单位产品能耗按当量值计，"
        "已扣除回收外供能源，不含投入产品的原料用能。",
        s.small,
    )
    return [heading, s.table(rows, [18, 24, 16, 36, 11, 27, 38], numeric=(1, 2, 3)), note]


def targets(
    connection: Connection,
    scope: Scope,
    enterprise_id: int,
    year: int,
    today: date,
    thresholds: Thresholds | None,
    s: Styles,
) -> list[Any]:
    """四、节能目标及完成情况: the enterprise's dual-control target of the year, and whether
    its consumption reaches the key-unit threshold."""
    story: list[Any] = [Paragraph("四、节能目标及完成情况", s.h2)]
    target = stored_targets.get(connection, scope, year, "enterprise", str(enterprise_id))
    if target is None:
        story.append(Paragraph(f"平台未登记本单位{year}年度节能目标。", s.body))
    else:
        story += _progress(progress(connection, target, today - timedelta(days=1), thresholds), s)
    story += _key_unit(connection, scope, year, enterprise_id, today, s)
    return story


def _progress(answer: dict[str, Any], s: Styles) -> list[Any]:
    as_of = date.fromisoformat(answer["as_of"])
    head = ["指标", "单位", "目标值", f"截至{as_of.month}月{as_of.day}日完成", "全年预计"]
    rows: list[list[Any]] = [[*head, "预计/目标", "状态"]]
    for key, entry in answer["indicators"].items():
        if entry["target"] is None:
            continue
        quantity = INDICATOR_QUANTITY[key]
        rows.append(
            [
                INDICATOR_ZH[key],
                INDICATOR_UNITS[key],
                figure(entry["target"], quantity),
                figure(entry["to_date"], quantity),
                figure(entry["projected"], quantity),
                figure(entry["ratio"], RATE),
                WARNING_ZH.get(entry["level"] or "", "未判定"),
            ]
        )
    method = PROJECTED_BY.get(answer["projection"]["gross_tce"]["method"], "")
    deductions = answer["deductions"]
    note = (
        f"注：目标按{BASIS_ZH.get(answer['basis'], answer['basis'])}考核；全年预计{method}；"
        "能源消费总量已扣除原料用能 "
        f"{figure(deductions['raw_material_tce']['to_date'], TCE)} tce 和超过基数的可再生能源电力 "
        f"{figure(deductions['renewable_above_base_tce']['to_date'], TCE)} tce"
        "（发改环资〔2022〕803号、发改运行〔2022〕1258号）；"
        f"预计超过目标 {answer['thresholds']['yellow']:.0%} 为黄色预警，超过 "
        f"{answer['thresholds']['red']:.0%} 为红色预警。"
    )
    if len(rows) == 1:
        return [Paragraph("本单位年度目标未设定考核指标值。", s.body)]
    return [
        s.table(rows, [30, 18, 22, 26, 22, 20, 32], numeric=(2, 3, 4, 5)),
        Paragraph(note, s.small),
    ]


def _key_unit(
    connection: Connection, scope: Scope, year: int, enterprise_id: int, today: date, s: Styles
) -> list[Any]:
    answer = key_units(connection, scope, year, Filters(enterprise_id=enterprise_id), today)
    if not answer["rows"]:
        return []
    row = answer["rows"][0]
    limits = answer["thresholds"]
    so_far = "" if answer["year_complete"] else "（年度未结束，为截至目前的累计值）"
    text = (
        f"重点用能单位核定：本年综合能源消费量（当量值）{figure(row['actual_tce'], TCE)} tce"
        f"{so_far}，{ACTUAL_LEVEL_ZH[row['actual_level']]}（年综合能源消费量 "
        f"{limits['key_tce']:,.0f} tce 及以上为重点用能单位，{limits['designated_tce']:,.0f}"
        f"—{limits['key_tce']:,.0f} tce 可由省级指定，依据《重点用能单位节能管理办法》）；"
        f"登记类别为{KEY_UNIT_LEVEL_ZH.get(row['registered_level'], row['registered_level'])}，"
        f"{FINDING_ZH[row['finding']]}。"
    )
    return [Paragraph(text, s.body)]


def measures(total: dict[str, Any], s: Styles) -> list[Any]:
    """五、节能措施与项目: the platform records no measures or projects; it says so, and
    what it knows that bears on saving (renewable electricity, energy sent out)."""
    known = []
    if total["renewable_electricity_kwh"]:
        amount, unit = official(total["renewable_electricity_kwh"], "kWh")
        known.append(f"使用可再生能源电力 {figure(amount, Quantity.ENERGY)} {unit}")
    if total["exported_tce"]:
        known.append(f"向外供出能源（余热余能等）{figure(total['exported_tce'], TCE)} tce")
    story = [
        Paragraph("五、节能措施与项目", s.h2),
        Paragraph(
            "平台未记录本单位的节能措施和节能技术改造项目；如有，请在报送时另附说明"
            "（项目名称、投资、节能量及完成情况）。",
            s.body,
        ),
    ]
    if known:
        story.append(
            Paragraph("平台采集数据中与节能相关的情况：" + "；".join(known) + "。", s.body)
        )
    return story


def metering(
    connection: Connection, scope: Scope, enterprise_id: int, period: Period, s: Styles
) -> list[Any]:
    """六、计量与管理: devices, data items, reporting rate and data-quality events."""
    listed = devices.list_devices(connection, scope, enterprise_id).items
    active = sum(1 for device in listed if device["active"])
    items = enterprises.item_counts(connection, scope, enterprise_id)
    lo, hi = cst_midnight(period.start), cst_midnight(period.end)
    scores = quality.scores_between(connection, scope, lo, hi, enterprise_id)
    sums = reported(scores)
    events = quality.event_counts(connection, scope, lo, hi, enterprise_id)
    counted = "、".join(f"{name} {items[k]} 项" for k, name in MEASURES_ZH.items() if k in items)
    rows: list[list[Any]] = [
        ["项目", "情况"],
        [
            "在线采集设备",
            f"在用 {active} 台"
            + (f"，已停用 {len(listed) - active} 台" if len(listed) > active else ""),
        ],
        ["计量数据项", f"共 {sum(items.values())} 项：{counted}" if items else "未登记"],
    ]
    if sums.months:
        rows += [
            [
                "数据上报率",
                f"{figure(sums.rate, RATE)}（应报数据点 {sums.expected:,} 个，"
                f"实报 {sums.received:,} 个；{sums.months} 个月的评估结果）",
            ],
            ["按时上报率", figure(sums.timely, RATE)],
        ]
        latest = scores[-1]
        month = cst_date(latest["month"])
        rows.append(
            [
                "数据质量得分",
                f"{month.year}年{month.month}月 {latest['score']:.2f} 分，等级 {latest['grade']}",
            ]
        )
    else:
        rows.append(["数据上报率", "报告期内暂无数据质量评估结果"])
    found = "、".join(f"{RULE_NAMES_ZH.get(rule, rule)} {n} 起" for rule, n in events.items())
    rows.append(
        [
            "数据质量事件",
            f"共 {sum(events.values())} 起：{found}" if events else "报告期内无数据质量事件",
        ]
    )
    return [Paragraph("六、计量与管理", s.h2), s.table(rows, [40, 130])]


def annex(used: list[dict[str, Any]], s: Styles) -> list[Any]:
    """附录：折标系数及来源, one line per coefficient."""
    rows: list[list[Any]] = [["能源品种", "折算", "折标系数", "单位", "出处", "状态"]]
    for line in coefficient_lines(used):
        rows.append(
            [
                line.energy,
                line.what,
                coefficient_text(line.value),
                line.unit,
                line.citation,
                line.status,
            ]
        )
    annex = [
        Paragraph("附录：折标系数及来源", s.h2),
        s.table(rows, [18, 27, 18, 19, 72, 16], numeric=(2,)),
        Paragraph(VERIFY_NOTE, s.small),
    ]
    sign = Paragraph(
        "报送单位（盖章）：　　　　　　　单位负责人：　　　　　　　填报人：　　　　　　　"
        "报送日期：　　年　　月　　日",
        s.body,
    )
    return [KeepTogether(annex), Spacer(1, 10 * mm), sign]
