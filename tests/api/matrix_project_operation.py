"""Role x route rows of an operating project (link, comparison, acceptance report).

The world has no project: a caller who may reach a route gets 404 ``project_not_found``;
scoping and the answers themselves are in test_project_operation_api.
"""

from __future__ import annotations

from api_support import ROLES
from matrix import Case, gate

LINKERS = {"admin", "regulator", "district"}
PROJECT = "/api/v1/projects/{project_id}"


def cases(role: str | None) -> list[Case]:
    """One row per route for `role`."""
    everyone = set(ROLES)
    return [
        Case(role, "POST", PROJECT + "/items", gate(role, LINKERS, 404), body={"item_ids": [1]}),
        Case(role, "GET", PROJECT + "/operation", gate(role, everyone, 404)),
        Case(role, "GET", PROJECT + "/acceptance.pdf", gate(role, everyone, 404)),
    ]
