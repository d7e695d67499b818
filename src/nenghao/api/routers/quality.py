"""Data quality: monthly scores and ranking, drill-down per enterprise, quality events."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from nenghao.api.access import Principal, require
from nenghao.api.deps import EngineDep, PagingDep
from nenghao.api.errors import ApiError
from nenghao.api.fields import MonthText, QualityRuleName
from nenghao.api.models.quality import DrillDown, QualityEvent, QualityRules, QualityScores
from nenghao.api.params import Id, IdFilter
from nenghao.api.serialize import PageOut, page_out
from nenghao.monitor.config import QualityConfig
from nenghao.monitor.events import QUALITY_RULES
from nenghao.standards.calendar import add_months, cst_midnight, parse_month
from nenghao.store import enterprises, quality

router = APIRouter(prefix="/quality", tags=["quality"])
Reader = Annotated[Principal, require("quality:read")]


def month_bounds(text: str) -> tuple[int, int]:
    """Start and end (Unix s) of a ``YYYY-MM`` CST month (422 ``invalid_period`` if not one)."""
    first = parse_month(text)
    return cst_midnight(first), cst_midnight(add_months(first, 1))


@router.get("/rules", response_model=QualityRules, summary="The quality rules and what each finds")
def quality_rules(principal: Reader) -> Any:
    """Rule names with a description, and the default thresholds."""
    del principal
    defaults = QualityConfig()
    return {
        "rules": [{"rule": name, "description": text} for name, text in QUALITY_RULES.items()],
        "thresholds": {k: getattr(defaults, k) for k in defaults.__dataclass_fields__},
    }


@router.get("/scores", response_model=QualityScores, summary="Monthly data-quality scores, ranked")
def scores(principal: Reader, engine: EngineDep, month: MonthText, paging: PagingDep) -> Any:
    """Scores of the month for the enterprises in scope, best first (ties share a rank)."""
    start, _end = month_bounds(month)
    with engine.connect() as conn:
        page = quality.scores(
            conn, principal.scope, start, offset=paging.offset, limit=paging.page_size
        )
    return {"month": month, **page_out(page, paging.page_size)}


@router.get(
    "/enterprises/{enterprise_id}",
    response_model=DrillDown,
    summary="Drill-down: score, failing item-days, events",
)
def drill_down(enterprise_id: Id, principal: Reader, engine: EngineDep, month: MonthText) -> Any:
    """The enterprise's score of the month with its indices, the item-days that failed
    (incomplete, late or with invalid readings) and the month's quality events."""
    start, end = month_bounds(month)
    with engine.connect() as conn:
        enterprise = enterprises.get(conn, principal.scope, enterprise_id)
        if enterprise is None:
            raise ApiError(404, "enterprise_not_found", f"enterprise {enterprise_id} not found")
        score = quality.score_of(conn, principal.scope, enterprise_id, start)
        days = quality.failing_days(
            conn, principal.scope, enterprise_id, start, end, QualityConfig().completeness_min
        )
        events = quality.list_events(
            conn, principal.scope, enterprise_id=enterprise_id, since=start, until=end, limit=1000
        )
    by_rule: dict[str, int] = {}
    for event in events.items:
        by_rule[event["rule"]] = by_rule.get(event["rule"], 0) + 1
    return {
        "enterprise": {k: enterprise[k] for k in ("id", "name", "credit_code", "division_code")},
        "month": month,
        "score": score,
        "failing_days": days,
        "events_by_rule": by_rule,
        "events": events.items,
        "events_total": events.total,
    }


@router.get("/events", response_model=PageOut[QualityEvent], summary="Quality events in scope")
def list_events(
    principal: Reader,
    engine: EngineDep,
    paging: PagingDep,
    enterprise_id: IdFilter = None,
    item_id: IdFilter = None,
    rule: QualityRuleName | None = None,
    since: Annotated[date | None, Query(description="first CST day")] = None,
    until: Annotated[date | None, Query(description="day after the last CST day")] = None,
) -> Any:
    """Events newest first, filtered by enterprise, item, rule and CST days."""
    if rule is not None and rule not in QUALITY_RULES:
        raise ApiError(422, "unknown_rule", f"unknown rule {rule!r}", list(QUALITY_RULES))
    with engine.connect() as conn:
        page = quality.list_events(
            conn,
            principal.scope,
            enterprise_id=enterprise_id,
            item_id=item_id,
            rule=rule,
            since=cst_midnight(since) if since else None,
            until=cst_midnight(until) if until else None,
            offset=paging.offset,
            limit=paging.page_size,
        )
    return page_out(page, paging.page_size)
