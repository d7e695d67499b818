"""The monthly comparison of an operating project (事中事后监管): actual annualised consumption
and unit-product consumption of its linked items against the approved figures.

Months: every complete CST month from the first whole month after commissioning (the month
starting on or after ``commissioned_on``) up to the month before `as_of`. Each month's
consumption of the linked energy items on both bases and their CO2 come from the analytics
layer (reading sums from the rollups x per-item factors through the accounting core,
`nenghao.analytics.item_sums` and `nenghao.analytics.item_factors`); the outputs are the
linked product items' sums. The approved figures are those of the stored project's
assessment (`nenghao.review.register.assessed`): the counted consumption on both bases, the
counted CO2 and each product's planned unit consumption. The comparison itself is
`nenghao.review.deviation`.

Unit-product consumption: the linked energy (equivalent value) over the months used divided by
the output of the linked product item [kgce per unit of product]; a product item is matched
to the project's product with its product code, else its name, else the only one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import Connection, select

from nenghao.accounting import convert
from nenghao.analytics.coverage import covered_days
from nenghao.analytics.item_factors import COLUMN, factor_matrix, factors_for
from nenghao.analytics.item_sums import bucket_sums
from nenghao.analytics.items import Filters, SelectedItem, load_items
from nenghao.analytics.periods import Period, today_cst
from nenghao.review import commissioning
from nenghao.review.deviation import (
    Annualised,
    MonthData,
    annualise,
    deviation,
    is_over,
)
from nenghao.review.register import assessed
from nenghao.review.workflow import STATUS_NAMES_ZH
from nenghao.standards import get_catalog
from nenghao.standards.calendar import add_months
from nenghao.store import equal_values
from nenghao.store import project_items as links
from nenghao.store.schema import data_items
from nenghao.store.scope import Scope

ENERGY = ("energy", "medium")
STATE_ZH = {
    "not_commissioned": "尚未投产",
    "no_items": "尚未关联数据项",
    "no_complete_month": "投产后尚无完整月份",
    "compared": "已对比",
}


def first_month(commissioned_on: date) -> date:
    """The first whole CST month on or after the commissioning date."""
    first = commissioned_on.replace(day=1)
    return first if first == commissioned_on else add_months(first, 1)


def read_months(
    conn: Connection, energy: list[SelectedItem], products: list[SelectedItem], months: Period
) -> list[MonthData]:
    """Each month of `months` as the linked items measured it."""
    items = energy + products
    ids = select(data_items.c.id).where(data_items.c.id.in_([i.id for i in items]))
    equal = equal_values.by_year(conn)
    rows: list[MonthData] = []
    for piece in months.years():
        starts, sums = bucket_sums(conn, items, ids, piece, "month")
        factors = factor_matrix(energy, piece.start.year, equal.get(piece.start.year))
        used = factors[:, None, :] * sums[: len(energy), :, None]  # items x months x measures
        per_month = used.sum(axis=0) if len(energy) else np.zeros((len(starts), len(COLUMN)))
        for k, start in enumerate(starts):
            month = Period.month(start.year, start.month)
            covered = np.minimum(covered_days(conn, items, ids, month), month.days)
            rows.append(
                MonthData(
                    start=start,
                    days=month.days,
                    equivalent_tce=float(per_month[k, COLUMN["equivalent_tce"]]),
                    equal_tce=float(per_month[k, COLUMN["equal_tce"]]),
                    tco2=float(per_month[k, COLUMN["tco2"]]),
                    outputs=tuple(float(v) for v in sums[len(energy) :, k]),
                    covered_item_days=float(covered.sum()),
                    item_days=float(len(items) * month.days),
                )
            )
    return rows


def _match(item: SelectedItem, planned: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The project's product a linked product item measures."""
    for product in planned:
        if item.product_code and product.get("product") == item.product_code:
            return product
    for product in planned:
        if product["name"] == item.name:
            return product
    return planned[0] if len(planned) == 1 else None


NOT_ALERTED = ("equal_tce", "co2_t")
"""Figures shown, not alerted: the approval's thresholds count at equivalent value (当量值),
so the equal value (等价值) is compared for reference; the approval counts no CO2 limit."""


def _figure(
    key: str, name: str, unit: str, approved: float | None, actual: float | None, limit: float
) -> dict[str, Any]:
    value = deviation(actual, approved)
    return {
        "key": key,
        "name_zh": name,
        "unit": unit,
        "approved": approved,
        "actual": actual,
        "deviation": value,
        "over": is_over(value, limit),
        "alerted": key not in NOT_ALERTED,
    }


def figures(
    span: Annualised,
    approved: Mapping[str, Any],
    products: list[SelectedItem],
    limit: float,
) -> list[dict[str, Any]]:
    """Approved against actual: annual consumption on both bases, CO2 and each linked
    product's unit consumption. The counted (equivalent-value) consumption and the unit
    products are alerted; the equal value and CO2 are shown (`NOT_ALERTED`)."""
    out = [
        _figure(
            "equivalent_tce",
            "年综合能源消费量（当量值）",
            "tce",
            approved["equivalent_tce"],
            span.total("equivalent_tce"),
            limit,
        ),
        _figure(
            "equal_tce",
            "年综合能源消费量（等价值）",
            "tce",
            approved["equal_tce"],
            span.total("equal_tce"),
            limit,
        ),
        _figure("co2_t", "二氧化碳排放", "tCO2", approved["co2_t"], span.total("tco2"), limit),
    ]
    energy = sum(m.equivalent_tce for m in span.used)  # [tce], not annualised: a ratio
    for position, item in enumerate(products):
        product = _match(item, approved["products"])
        unit = product["unit"] if product else item.unit
        output = sum(m.outputs[position] for m in span.used)
        output = convert(output, item.unit, unit) if product else output
        actual = energy * 1000.0 / output if output > 0 else None  # [kgce per unit]
        planned = product.get("planned_unit_consumption") if product else None
        name = f"单位产品综合能耗：{product['name'] if product else item.name}"
        out.append(_figure(f"unit:{item.id}", name, f"kgce/{unit}", planned, actual, limit))
    return out


def _approved(project: Mapping[str, Any]) -> dict[str, Any]:
    result = assessed(project)
    return {
        "equivalent_tce": result.counted_tce,
        "equal_tce": result.counted_equal_tce,
        "co2_t": result.counted_co2_t,
        "products": list(project["products"]),
        "construction_type": project["construction_type"],
    }


def _linked_items(
    conn: Connection, enterprise_id: int, ids: list[int]
) -> tuple[list[SelectedItem], list[SelectedItem]]:
    """(energy items, product items) of the link, ordered by id."""
    kinds = ("fence", "process", "product")
    found = load_items(conn, Scope.all(), kinds, Filters(enterprise_id=enterprise_id))
    chosen = [i for i in found if i.id in set(ids)]
    return [i for i in chosen if i.measures in ENERGY], [
        i for i in chosen if i.measures == "product"
    ]


def operation(
    conn: Connection,
    scope: Scope,
    project_id: int,
    as_of: date | None = None,
    threshold: float | None = None,
) -> dict[str, Any]:
    """The monthly comparison of an approved or filed project in scope (see module doc).

    Parameters
    ----------
    as_of : date, optional
        The first CST day not yet complete (default today): months ending by it count.
    threshold : float, optional [1]
        The deviation that alerts; default ``review.toml`` ``deviation_threshold``.
    """
    project = commissioning.operating_project(conn, scope, project_id)
    limit = threshold if threshold is not None else _threshold().value
    view = commissioning.linked_view(conn, scope, project_id)
    energy, products = _linked_items(
        conn, project["applicant_enterprise_id"], links.linked_ids(conn, project_id)
    )
    day = as_of or today_cst()
    answer = _head(project, view, day, limit, energy + products)
    if project["commissioned_on"] is None:
        return answer | _state("not_commissioned")
    start = first_month(project["commissioned_on"])
    answer["first_month"] = start
    if not energy and not products:
        return answer | _state("no_items")
    end = day.replace(day=1)
    if end <= start:
        return answer | _state("no_complete_month")
    months = read_months(conn, energy, products, Period("range", start, end))
    approved = _approved(project)
    answer["months"] = _timeline(months, approved, products, limit)
    span = annualise(months)
    answer["comparison"] = _comparison(span, approved, products, limit)
    answer["caveats"] = _caveats(span, approved, energy, limit)
    return answer | _state("compared")


def _threshold() -> Any:
    return get_catalog().review.deviation_threshold


def _state(state: str) -> dict[str, Any]:
    return {"state": state, "state_zh": STATE_ZH[state]}


def _head(
    project: Mapping[str, Any],
    view: Mapping[str, Any],
    day: date,
    limit: float,
    items: list[SelectedItem],
) -> dict[str, Any]:
    return {
        "project_id": project["id"],
        "project_code": project["code"],
        "project_name": project["name"],
        "status": project["status"],
        "status_zh": STATUS_NAMES_ZH[project["status"]],
        "enterprise_id": view["enterprise_id"],
        "enterprise_name": view["enterprise_name"],
        "division_code": project["division_code"],
        "review_tier": project["review_tier"],
        "decided_at": project["decided_at"],
        "conditions": project["conditions"],
        "commissioned_on": project["commissioned_on"],
        "first_month": None,
        "as_of": day,
        "threshold": limit,
        "items": [
            {"id": i.id, "code": i.code, "name": i.name, "measures": i.measures, "unit": i.unit}
            for i in items
        ],
        "months": [],
        "comparison": None,
        "caveats": [],
    }


def _timeline(
    months: list[MonthData],
    approved: Mapping[str, Any],
    products: list[SelectedItem],
    limit: float,
) -> list[dict[str, Any]]:
    """Each month with what it measured and the comparison as it stood after it."""
    out = []
    for k, month in enumerate(months):
        span = annualise(months[: k + 1])
        annual = span.total("equivalent_tce")
        out.append(
            {
                "month": f"{month.start.year}-{month.start.month:02d}",
                "days": month.days,
                "equivalent_tce": month.equivalent_tce,
                "equal_tce": month.equal_tce,
                "tco2": month.tco2,
                "outputs": [
                    {"item_id": item.id, "name": item.name, "quantity": q, "unit": item.unit}
                    for item, q in zip(products, month.outputs, strict=True)
                ],
                "covered_share": month.covered_item_days / month.item_days
                if month.item_days
                else 0.0,
                "missing_item_days": month.item_days - month.covered_item_days,
                "complete": month.complete,
                "annualised_equivalent_tce": annual,
                "deviation_equivalent": deviation(annual, approved["equivalent_tce"]),
                "over": any(
                    f["over"] and f["alerted"] for f in figures(span, approved, products, limit)
                ),
            }
        )
    return out


def _comparison(
    span: Annualised, approved: Mapping[str, Any], products: list[SelectedItem], limit: float
) -> dict[str, Any]:
    listed = figures(span, approved, products, limit)
    over = [f for f in listed if f["over"] and f["alerted"]]
    return {
        "months_used": len(span.used),
        "first_used": span.used[0].start,
        "last_used": span.used[-1].start,
        "days_used": span.days,
        "year_days": span.year_days,
        "scale": span.scale,
        "partial": span.partial,
        "basis_zh": span.basis_zh,
        "complete": all(m.complete for m in span.used),
        "certain": span.certain,
        "severity": "critical" if span.certain else "warning",
        "over": bool(over),
        "figures": listed,
        "verdicts": [verdict(f, limit, span.basis_zh) for f in listed],
    }


def verdict(figure: Mapping[str, Any], limit: float, basis: str) -> str:
    """One figure's verdict line in Chinese."""
    approved, actual, value = figure["approved"], figure["actual"], figure["deviation"]
    unit = figure["unit"]
    if value is None:
        return f"{figure['name_zh']}：无可比的批复值或实际值"
    said = "超过" if figure["over"] else "未超过"
    tail = "" if figure["alerted"] else "（仅供参考，不作预警）"
    return (
        f"{figure['name_zh']}：批复 {approved:,.2f} {unit}，实际 {actual:,.2f} {unit}"
        f"（{basis}），偏差 {value:+.1%}，{said} {limit:.0%} 的限值{tail}"
    )


def _caveats(
    span: Annualised, approved: Mapping[str, Any], energy: list[SelectedItem], limit: float
) -> list[str]:
    out = []
    if span.partial:
        out.append(f"实际值{span.basis_zh}，不足 12 个月，仅为估计。")
    missing = [m for m in span.used if not m.complete]
    if missing:
        listed = "、".join(f"{m.start.year}年{m.start.month}月" for m in missing)
        out.append(f"{listed} 的数据不完整（部分数据项缺少部分日期的数据），对比结果仅作提示。")
    if not span.certain:
        out.append("数据不足 3 个完整月或不完整时，偏差预警为“警告”级，不作“严重”判定。")
    if approved["construction_type"] == "reconstruction":
        out.append("改建项目的批复值为增量；所关联数据项应只计量新增部分，否则对比偏高。")
    unconverted = {
        i.energy_kind for i in energy if factors_for(i, span.used[-1].start.year).equal_missing
    }
    if unconverted:
        out.append(
            f"{'、'.join(sorted(str(k) for k in unconverted))} 无等价值折算系数，未计入等价值。"
        )
    rule = _threshold()
    if rule.status != "confirmed":
        out.append(
            f"偏差限值 {limit:.0%} 为本地配置，其依据待核实：使用前请核对现行节能审查办法"
            "及本省实施办法的相应条款。"
        )
    return out
