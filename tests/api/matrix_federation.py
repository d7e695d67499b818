"""Matrix rows of the federation routes: the status regulators and auditors read, and the
member-signed ``POST /api/v1/federation/batches`` (a user token is never a member's
signature: 401 for every role)."""

from __future__ import annotations

from matrix import Case, gate

READERS = {"admin", "regulator", "auditor"}


def cases(role: str | None) -> list[Case]:
    """One row per federation route for `role` (None: anonymous)."""
    return [
        Case(role, "GET", "/api/v1/federation/status", gate(role, READERS, 200)),
        Case(role, "POST", "/api/v1/federation/batches", 401, body={}),
    ]
