"""Rectification (整改) of existing two-high installations worse than the baseline level:
plans with a target, progress read from monitored data, the completion rule and the
overdue plans the monitor alerts on.

* Target: the plan's unit consumption [kgce/t]; by default the product's baseline (基准)
  value. A plan without a target needs a product with a baseline.
* Progress: the installation's measured unit consumption in each complete CST month since
  the month the plan was made (at most the latest 36), against the target; ``on_track``
  when the latest measured month meets the target (value <= target, 2 decimals), else
  ``not_yet`` (``no_data`` without a measured month).
* Completion rule: the unit consumption over the last 3 complete CST months read as one
  period (their boundary consumption over their output, as the analytics reads any
  period) is at or below the target, with output in each of the 3 months. A regulator
  confirms completion; the confirmation is refused while the rule is not met.
* Overdue: open, and the deadline (a CST day) lies before today: the alert
  ``rectification_overdue`` is raised from the deadline's next CST day. It is critical only
  when the product's baseline value is confirmed, else a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection

from nenghao.analytics.periods import Period
from nenghao.analytics.unit_products import unit_products
from nenghao.review.two_high_ledger import describe, month_series, pick
from nenghao.standards import get_catalog
from nenghao.standards.calendar import add_months, cst_date
from nenghao.standards.precision import Quantity, rounded
from nenghao.store import two_high, two_high_plans
from nenghao.store.common import ConflictError, InvalidInputError
from nenghao.store.scope import Scope

SERIES_MONTHS = 36
COMPLETION_MONTHS = 3
PROGRESS_ZH = {"on_track": "达到目标", "not_yet": "尚未达到目标", "no_data": "无监测数据"}


def default_target(product: str | None) -> float | None:
    """The product's baseline value [kgce/t], or None without one."""
    level = get_catalog().benchmark_levels.get(product or "")
    return level.baseline if level else None


def baseline_confirmed(product: str | None) -> bool:
    """Whether the product's baseline value is confirmed (an overdue alert is critical)."""
    level = get_catalog().benchmark_levels.get(product or "")
    return level is not None and level.status == "confirmed"


def overdue(plan: Mapping[str, Any], today: date) -> bool:
    """Open, and the deadline lies before `today` (CST)."""
    return bool(plan["status"] == "open" and plan["deadline"] < today)


def meets(value: float | None, target: float) -> bool | None:
    """Whether a measured value [kgce/t] meets the target (rounded to 2 decimals)."""
    if value is None:
        return None
    return bool(rounded(value, Quantity.UNIT_PRODUCT) <= target)


def create_plan(
    conn: Connection,
    scope: Scope,
    installation_id: int,
    fields: Mapping[str, Any],
    *,
    today: date,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Open a plan for an installation in `scope`, its target the baseline by default."""
    installation = two_high.get(conn, scope, installation_id)
    values = dict(fields)
    if values.get("target_unit_consumption") is None:
        values["target_unit_consumption"] = default_target(installation["product"])
    if values["target_unit_consumption"] is None:
        raise InvalidInputError(
            "target_unit_consumption: the installation's product has no baseline level; "
            "give the target",
            code="rectification_target_required",
            details={"field": "target_unit_consumption"},
        )
    return two_high_plans.create(
        conn, scope, installation, values, today=today, actor=actor, remote=remote
    )


def _last_months(today: date, count: int) -> list[date]:
    first = date(today.year, today.month, 1)
    return [add_months(first, k) for k in range(-count, 0)]


def completion(
    conn: Connection, scope: Scope, installation: Mapping[str, Any], target: float, today: date
) -> dict[str, Any]:
    """The completion rule (module docstring) on the last 3 complete CST months."""
    months = _last_months(today, COMPLETION_MONTHS)
    period = Period("range", months[0], add_months(months[-1], 1))
    rows = unit_products(conn, scope, installation["enterprise_id"], period)["rows"]
    row, _measure = pick(rows, installation)
    value = row["unit_consumption"] if row is not None else None
    monthly = month_series(conn, scope, installation, months)
    produced = all((point["output_t"] or 0) > 0 for point in monthly)
    met = bool(produced and meets(value, target))
    return {
        "months": [point["month"] for point in monthly],
        "unit_consumption": value,
        "target": target,
        "output_each_month": produced,
        "met": met,
        "rule_zh": f"最近 {COMPLETION_MONTHS} 个完整月合计单位产品能耗不高于目标值，且每月均有产量",
    }


def progress(
    conn: Connection, scope: Scope, plan: Mapping[str, Any], today: date
) -> dict[str, Any]:
    """The plan with its installation, monthly series since it was made, progress state,
    completion check and overdue flag."""
    installation = two_high.get(conn, scope, plan["installation_id"])
    first = cst_date(plan["created_at"]).replace(day=1)
    months = [m for m in _last_months(today, SERIES_MONTHS) if m >= first]
    series = month_series(conn, scope, installation, months)
    target = plan["target_unit_consumption"]
    for point in series:
        point["meets_target"] = meets(point["unit_consumption"], target)
    measured = [p for p in series if p["meets_target"] is not None]
    state = "no_data" if not measured else "on_track" if measured[-1]["meets_target"] else "not_yet"
    return {
        **plan_view(plan, today),
        "installation": describe(installation),
        "series": series,
        "progress": state,
        "progress_zh": PROGRESS_ZH[state],
        "completion": completion(conn, scope, installation, target, today),
    }


def plan_view(plan: Mapping[str, Any], today: date) -> dict[str, Any]:
    """A plan with ``overdue`` and the names of its sector and status."""
    late = overdue(plan, today)
    status = "overdue" if late else plan["status"]
    words = {"open": "整改中", "completed": "已完成", "overdue": "已逾期"}
    return {**plan, "overdue": late, "state": status, "state_zh": words[status]}


def complete_plan(
    conn: Connection,
    scope: Scope,
    plan_id: int,
    *,
    version: int | None,
    note: str | None,
    today: date,
    actor: str,
    remote: str | None = None,
) -> dict[str, Any]:
    """Confirm completion when the completion rule is met; ConflictError
    ``rectification_target_not_met`` (with the figures) otherwise."""
    plan = two_high_plans.get(conn, scope, plan_id)
    installation = two_high.get(conn, scope, plan["installation_id"])
    check = completion(conn, scope, installation, plan["target_unit_consumption"], today)
    if plan["status"] == "open" and not check["met"]:
        shown = check["unit_consumption"]
        raise ConflictError(
            f"the last {COMPLETION_MONTHS} complete months measure {shown} kgce/t against the "
            f"target {check['target']} (output each month: {check['output_each_month']})",
            code="rectification_target_not_met",
            details={key: check[key] for key in ("months", "unit_consumption", "target")},
        )
    done = two_high_plans.complete(
        conn, scope, plan_id, version=version, note=note, actor=actor, remote=remote
    )
    return plan_view(done, today)


def overdue_plans(conn: Connection, today: date) -> list[dict[str, Any]]:
    """Every open plan whose deadline lies before `today`, of an active installation, with
    the installation described and whether its baseline is confirmed."""
    out = []
    for plan in two_high_plans.listing(conn, Scope.all(), overdue_on=today).items:
        if plan["installation_status"] != "active":
            continue
        installation = describe(two_high.get(conn, Scope.all(), plan["installation_id"]))
        certain = baseline_confirmed(installation["product"])
        out.append({**plan, "installation": installation, "baseline_confirmed": certain})
    return out
