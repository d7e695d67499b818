"""The figures of an annual report that the platform knows (monitored and filed data), read
from `nenghao.analytics` when the report is opened or submitted, with the data's coverage.

The answer is JSON-ready: it is kept as the snapshot of a submitted version, and the
accepted version's snapshot is what the issued document shows. Nothing is computed here
that analytics or the monitor computes; this module picks and names their answers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from nenghao.analytics import statistics
from nenghao.analytics.items import Filters
from nenghao.analytics.periods import Period
from nenghao.analytics.targets import Thresholds, progress
from nenghao.analytics.unit_products import unit_products
from nenghao.reports.reporting import reported
from nenghao.standards.calendar import add_months, cst_date, cst_midnight
from nenghao.standards.jsonable import iso, jsonable
from nenghao.store import common, quality
from nenghao.store import targets as stored_targets
from nenghao.store.scope import Scope

TOTALS = (
    "equivalent_tce",
    "equal_tce",
    "tco2",
    "raw_material_tce",
    "exported_tce",
    "renewable_electricity_kwh",
    "output_value_10k_yuan",
    "added_value_10k_yuan",
)
"""The consumption answer's totals a report shows (statistics.consumption)."""


def prefill(
    connection: Connection,
    scope: Scope,
    enterprise_id: int,
    year: int,
    thresholds: Thresholds | None = None,
) -> dict[str, Any]:
    """The year's figures of one enterprise: totals (当量值, 等价值), energy by kind (实物量 and
    折标量), intensity, unit-product consumption against the quotas, target completion,
    the coefficients used, and the monthly coverage of its data."""
    period = Period.year(year)
    only = Filters(enterprise_id=enterprise_id)
    this = statistics.consumption(connection, scope, period, "city", only)
    by_kind = statistics.consumption(connection, scope, period, "energy_kind", only)
    equal = {row["key"]: row["equal_tce"] for row in by_kind["rows"]}
    mix = statistics.energy_mix(connection, scope, period, only)
    rows = statistics.intensity(connection, scope, period, "city", only)["rows"]
    answer = {
        "year": year,
        "computed_at": iso(common.now()),
        "totals": {key: this["total"][key] for key in TOTALS}
        | {"equal_value_complete": this["total"]["equal_value_complete"]},
        "intensity": {
            key: rows[0][key]["value"] if rows else None
            for key in ("per_output_value", "per_added_value")
        },
        "energy_kinds": [
            {
                "energy_kind": row["energy_kind"],
                "name": row["name"],
                "quantities": row["quantities_used"],
                "used_tce": row["used_tce"],
                "equal_tce": equal.get(row["energy_kind"]),
                "share": row["share"],
            }
            for row in mix["rows"]
        ],
        "unit_products": [
            _product(row) for row in unit_products(connection, scope, enterprise_id, period)["rows"]
        ],
        "target": _target(connection, scope, enterprise_id, period, thresholds),
        "coverage": coverage(connection, scope, enterprise_id, period),
        "coefficients": this["coefficients"],
    }
    return jsonable(answer)  # type: ignore[no-any-return]


def _product(row: dict[str, Any]) -> dict[str, Any]:
    quota = row.get("quota") or {}
    return {
        "product_name": row["product_name"],
        "output_t": row["output_t"],
        "unit_consumption": row["unit_consumption"],
        "unit": row.get("unit"),
        "status": row["status"],
        "level": quota.get("level"),
        "thresholds": quota.get("thresholds"),
        "edition": quota.get("edition") or row.get("edition"),
    }


def _target(
    connection: Connection,
    scope: Scope,
    enterprise_id: int,
    period: Period,
    thresholds: Thresholds | None,
) -> dict[str, Any] | None:
    target = stored_targets.get(
        connection, scope, period.start.year, "enterprise", str(enterprise_id)
    )
    if target is None:
        return None
    answer = progress(connection, target, period.last_day, thresholds)
    return {
        "basis": answer["basis"],
        "indicators": {
            key: {k: entry[k] for k in ("target", "to_date", "ratio", "level")}
            for key, entry in answer["indicators"].items()
            if entry["target"] is not None
        },
    }


def coverage(
    connection: Connection, scope: Scope, enterprise_id: int, period: Period
) -> dict[str, Any]:
    """Per month of ``period``, whether the monitor found the data complete (points received
    against points expected, from its monthly scores): the months short of data and the
    months it has not assessed."""
    scores = quality.scores_between(
        connection, scope, cst_midnight(period.start), cst_midnight(period.end), enterprise_id
    )
    by_month = {cst_date(row["month"]).strftime("%Y-%m"): row for row in scores}
    incomplete, unassessed = [], []
    day = period.start
    while day < period.end:
        label = day.strftime("%Y-%m")
        row = by_month.get(label)
        if row is None:
            unassessed.append(label)
        else:
            sums = reported([row])
            if sums.received < sums.expected:
                incomplete.append(
                    {
                        "month": label,
                        "expected": sums.expected,
                        "received": sums.received,
                        "rate": sums.rate,
                    }
                )
        day = add_months(day, 1)
    total = reported(scores)
    return {
        "months": len(by_month) + len(unassessed),
        "complete_months": len(by_month) - len(incomplete),
        "incomplete": incomplete,
        "not_assessed": unassessed,
        "rate": total.rate,
    }
