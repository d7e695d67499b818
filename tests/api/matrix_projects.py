"""Matrix rows of the project register and review routes (节能审查).

Project and document ids use the ``{project}`` and ``{document}`` placeholders (a
missing id, 999999), the step ``{action}`` is submit: readers get
404, writers 404 on a step and 422 where the body is checked first (JSON sent to the
multipart upload, an empty project). The review steps are in test_projects_api.
"""

from __future__ import annotations

from api_support import ROLES
from matrix import Case, gate

WRITERS = {"admin", "regulator", "district", "enterprise"}
REVIEWERS = {"admin", "regulator", "district"}


def cases(role: str | None) -> list[Case]:
    """One row per project route for `role` (None: anonymous)."""
    everyone = set(ROLES)
    one = "/api/v1/projects/{project}"
    return [
        Case(role, "POST", "/api/v1/projects", gate(role, WRITERS, 422), body={"name": "x"}),
        Case(role, "GET", "/api/v1/projects", gate(role, everyone, 200)),
        Case(role, "GET", "/api/v1/projects?overdue=true", gate(role, everyone, 200)),
        Case(role, "GET", "/api/v1/review/inbox", gate(role, REVIEWERS, 200)),
        Case(role, "GET", one, gate(role, everyone, 404)),
        Case(role, "PUT", one, gate(role, WRITERS, 422), body={}),
        Case(role, "PATCH", one, gate(role, WRITERS, 422), body={}),
        Case(role, "GET", one + "/assessment", gate(role, everyone, 404)),
        Case(role, "GET", one + "/steps", gate(role, everyone, 404)),
        Case(role, "GET", one + "/documents", gate(role, everyone, 404)),
        Case(role, "POST", one + "/documents", gate(role, WRITERS, 422), body={}),
        Case(role, "GET", one + "/documents/{document}", gate(role, everyone, 404)),
        Case(role, "POST", one + "/{action}", gate(role, WRITERS, 404), body={}),
    ]
