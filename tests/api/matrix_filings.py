"""Matrix rows of the monthly and annual filings: filing (admin, regulator, the enterprise
itself), reading (every role, in scope) and the city's list."""

from __future__ import annotations

from api_support import ROLES
from matrix import SEES, Case, gate

FILERS = {"admin", "regulator", "enterprise"}
FILING = {"lines": [{"kind": "output_value", "value": 1.0, "unit": "万元"}], "reason": "矩阵"}


def _in_scope(role: str | None, label: str, status: int) -> int:
    if status != 200 or role is None:
        return status
    return 200 if label in SEES[role] else 404


def cases(role: str | None) -> list[Case]:
    """One row per filing route for `role` (None: anonymous)."""
    read = gate(role, set(ROLES), 200)
    write = gate(role, FILERS, 200)
    base = "/api/v1/enterprises/{a}/filings"
    return [
        Case(role, "POST", f"{base}/{{period}}", _in_scope(role, "a", write), body=FILING),
        Case(
            role,
            "POST",
            "/api/v1/enterprises/{c}/filings/{period}",
            _in_scope(role, "c", write),
            body=FILING,
        ),
        Case(role, "GET", base, _in_scope(role, "a", read)),
        Case(role, "GET", "/api/v1/enterprises/{c}/filings", _in_scope(role, "c", read)),
        Case(role, "GET", f"{base}/{{period}}", _in_scope(role, "a", read)),
        Case(
            role,
            "GET",
            f"{base}/{{period}}/history",
            404 if read == 200 else read,
        ),
        Case(role, "GET", "/api/v1/filings", read),
    ]
