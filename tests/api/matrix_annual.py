"""Role x route rows of the annual report filing: the enterprise files, regulators and the
district review, everyone in scope reads; in a fresh world no report has been opened, so a
permitted call on the report itself answers 404 (the enterprise's opening creates it)."""

from __future__ import annotations

from api_support import ROLES
from matrix import Case, gate

ONE = "/api/v1/enterprises/{a}/annual-reports/{year}"
FILER = {"admin", "enterprise"}
REVIEWERS = {"admin", "regulator", "district"}
PARTS = {"measures": ["电机系统节能改造"], "statement_confirmed": True}


def cases(role: str | None) -> list[Case]:
    """One row per annual report route for ``role`` (None: anonymous)."""
    everyone = set(ROLES)
    return [
        Case(role, "GET", ONE, gate(role, everyone, 200 if role == "enterprise" else 404)),
        Case(role, "PUT", ONE, gate(role, FILER, 404), body=PARTS),
        Case(role, "POST", f"{ONE}/submit", gate(role, FILER, 404)),
        Case(role, "POST", f"{ONE}/return", gate(role, REVIEWERS, 404), body={"comment": "补充"}),
        Case(role, "POST", f"{ONE}/accept", gate(role, REVIEWERS, 404)),
        Case(role, "GET", f"{ONE}/versions", gate(role, everyone, 404)),
        Case(role, "GET", f"{ONE}/pdf", gate(role, everyone, 404)),
        # outside a narrow scope looks exactly like missing
        Case(
            role, "GET", "/api/v1/enterprises/{c}/annual-reports/{year}", gate(role, everyone, 404)
        ),
        Case(role, "GET", "/api/v1/annual-reports?year=2024", gate(role, everyone, 200)),
    ]
