"""Role x route rows of the collection plan (采集方案).

The world's enterprises have no items: a submission answers 422 ``plan_empty`` and a review
409 ``plan_not_submitted`` to a caller who may reach the route; the workflow itself is in
test_plans_api.
"""

from __future__ import annotations

from api_support import ROLES
from matrix import SEES, Case, gate

SUBMITTERS = {"admin", "enterprise"}
REVIEWERS = {"admin", "regulator", "district"}
PLAN = "/api/v1/enterprises/{a}/plan"


def cases(role: str | None) -> list[Case]:
    """One row per plan route (and per scope for the plan itself) for `role`."""
    everyone = set(ROLES)
    rows = [
        Case(role, "GET", PLAN + "/versions", gate(role, everyone, 200)),
        Case(role, "GET", PLAN + "/versions/{version}", gate(role, everyone, 404)),
        Case(role, "POST", PLAN + "/submit", gate(role, SUBMITTERS, 422), body={}),
        Case(role, "POST", PLAN + "/approve", gate(role, REVIEWERS, 409), body={}),
        Case(role, "POST", PLAN + "/return", gate(role, REVIEWERS, 409), body={"comment": "补充"}),
        Case(role, "GET", "/api/v1/plans", gate(role, everyone, 200)),
    ]
    for label in "ac":
        status = 401 if role is None else 200 if label in SEES[role] else 404
        rows.append(Case(role, "GET", f"/api/v1/enterprises/{{{label}}}/plan", status))
    return rows
