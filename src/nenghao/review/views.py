"""What the API and the command line show of projects: names instead of codes, the
assessment explained line by line, the headroom, the caller's actions, the reviewer's inbox
and the filtered, paged list (overdue marked)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, false

from nenghao.review.assessment import Assessment
from nenghao.review.authority import authority
from nenghao.review.headroom import headroom
from nenghao.review.register import assessed
from nenghao.review.rules import LEVEL_NAMES_ZH
from nenghao.review.workflow import (
    REVIEWING,
    STATUS_NAMES_ZH,
    actions_for,
)
from nenghao.standards.catalog import get_catalog
from nenghao.standards.vocabulary import CONSTRUCTION_TYPE_NAMES_ZH, REVIEW_TIER_NAMES_ZH
from nenghao.store import projects as store
from nenghao.store.common import Page, now
from nenghao.store.schema_projects import projects
from nenghao.store.scope import Scope

_p = projects.c
INBOX_STATUSES = ("submitted", *REVIEWING)
REVIEW_ACTIONS = ("return", "accept", "file", "opinion", "approve", "reject")


def overdue_clause(at: int) -> ColumnElement[bool]:
    """Projects under review past their statutory deadline at `at`."""
    return and_(_p.status.in_(REVIEWING), _p.due_at.is_not(None), _p.due_at < at)


def named(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored project with the names of its codes, its reviewing level and overdue mark."""
    catalog = get_catalog()
    division = catalog.divisions.get(row["division_code"])
    industry = catalog.industries.get(row["industry_code"])
    tier, level = row["review_tier"], row["review_level"]
    at = now()
    return {
        **row,
        "applicant": row.get("applicant") or row.get("applicant_name"),
        "division_name": division.name_zh if division else row["division_code"],
        "industry_name": industry.name_zh if industry else row["industry_code"],
        "status_zh": STATUS_NAMES_ZH[row["status"]],
        "tier_zh": REVIEW_TIER_NAMES_ZH.get(tier or "", "未评估"),
        "construction_type_zh": CONSTRUCTION_TYPE_NAMES_ZH.get(row["construction_type"], ""),
        "review_level_zh": LEVEL_NAMES_ZH.get(level or "", "未评估"),
        "overdue": bool(
            row["status"] in REVIEWING and row["due_at"] is not None and row["due_at"] < at
        ),
        "commissioned_on": row["commissioned_on"],
    }


def explain(result: Assessment) -> list[str]:
    """The assessment line by line, in Chinese, with the figures."""
    lines = [
        f"审查层级：{REVIEW_TIER_NAMES_ZH[result.review_tier]}（{result.tier_clause.text_zh}）",
        f"年综合能源消费量（当量值）{result.equivalent.gross_tce:.2f} tce，"
        f"（等价值）{result.equal.gross_tce:.2f} tce",
        f"计入审查的能耗（改建项目为增量）{result.counted_tce:.2f} tce",
        f"扣除原料用能 {result.raw_material_tce:.2f} tce、"
        f"新增可再生能源电力 {result.renewable_tce:.2f} tce 后为 {result.assessed_tce:.2f} tce",
        f"二氧化碳排放 {result.co2_t:.2f} tCO2，计入 {result.counted_co2_t:.2f} tCO2",
        "两高项目："
        + ("是" if result.two_high else "否")
        + f"（{result.two_high_clause.text_zh}）",
    ]
    if result.per_output_value is not None:
        lines.append(f"单位产值能耗 {result.per_output_value:.4f} tce/万元")
    if result.per_added_value is not None:
        lines.append(f"单位增加值能耗 {result.per_added_value:.4f} tce/万元")
    for product in result.products:
        if product.planned_unit_consumption is None:
            continue
        verdict = {True: "达到", False: "未达到", None: "无可比"}[product.meets_required]
        lines.append(
            f"{product.name}：设计单位产品能耗 {product.planned_unit_consumption} kgce/"
            f"{product.unit}，{verdict} {product.required_level.removeprefix('L')} 级要求"
        )
    lines += [f"注：{note.text_zh}" for note in result.notes]
    return lines


def detail(
    conn: Connection, user: Mapping[str, Any], scope: Scope, project_id: int
) -> dict[str, Any]:
    """A project in scope with names, lines, assessment, headroom and the caller's actions."""
    row = store.require(conn, scope, project_id)
    result = assessed(row)
    rules = authority()
    return {
        **named(row),
        "existing": [e for e in row["energy"] if e["line"] == "existing"],
        "energy": [e for e in row["energy"] if e["line"] == "planned"],
        "assessment": result.model_dump(mode="json"),
        "explanation": explain(result),
        "headroom": headroom(conn, {**row, "assessed_equal_tce": result.assessed_equal_tce}),
        "actions": actions_for(user, row, rules),
        "opinions": store.count_steps(conn, project_id, "opinion"),
        "opinions_needed": rules.opinions_needed(bool(row["two_high"])),
    }


def filters(
    *,
    status: str | None = None,
    tier: str | None = None,
    two_high: bool | None = None,
    division: str | None = None,
    overdue: bool | None = None,
) -> list[ColumnElement[bool]]:
    """WHERE clauses of the list's filters."""
    out: list[ColumnElement[bool]] = []
    if status is not None:
        out.append(_p.status == status)
    if tier is not None:
        out.append(_p.review_tier == tier)
    if two_high is not None:
        out.append(_p.two_high == two_high)
    if division is not None:
        out.append(_p.division_code == division)
    if overdue is not None:
        out.append(overdue_clause(now()) if overdue else ~overdue_clause(now()))
    return out


def listing(
    conn: Connection, scope: Scope, where: list[ColumnElement[bool]], offset: int, limit: int
) -> Page:
    """The projects in scope matching `where`, named, newest first."""
    page = store.list_projects(conn, scope, where=where, offset=offset, limit=limit)
    return Page([named(r) for r in page.items], page.total, page.offset, page.limit)


def _reviewable(user: Mapping[str, Any]) -> ColumnElement[bool]:
    """Projects reviewed at the user's level (its division for a district)."""
    if user["role"] == "district":
        return and_(_p.review_level == "district", _p.division_code == user["division_code"])
    if user["role"] in ("regulator", "admin"):
        return _p.review_level.in_(("city", "province"))
    return false()


def inbox(conn: Connection, user: Mapping[str, Any], scope: Scope, offset: int, limit: int) -> Page:
    """What the user may act on now as a reviewer, the oldest deadline first (projects not
    yet accepted after them, by submission)."""
    where = [_p.status.in_(INBOX_STATUSES), _reviewable(user)]
    order = (_p.due_at.is_(None), _p.due_at, _p.submitted_at)
    page = store.list_projects(conn, scope, where=where, order=order, offset=offset, limit=limit)
    rules = authority()
    items = [
        {**named(r), "actions": [a for a in actions_for(user, r, rules) if a in REVIEW_ACTIONS]}
        for r in page.items
    ]
    return Page(items, page.total, page.offset, page.limit)
