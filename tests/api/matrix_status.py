"""Role x route rows of device status and fault reports (故障报备).

The repair route uses a missing report id (``{quarantine}``, 999999): a caller who may write
and sees the enterprise gets 404 ``fault_not_found``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api_support import ROLES
from matrix import SEES, Case, gate

FAULT_WRITERS = {"admin", "regulator", "enterprise"}
FAULT = {
    "cause": "communication",
    "started_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
    "expected_repair": (datetime.now(UTC) + timedelta(days=3)).date().isoformat(),
}


def cases(role: str | None) -> list[Case]:
    """One row per status and fault route (and per scope for one enterprise) for `role`."""
    everyone = gate(role, set(ROLES), 200)
    rows = [
        Case(role, "GET", "/api/v1/status/enterprises?state=never", everyone),
        Case(role, "GET", "/api/v1/status/districts", everyone),
        Case(role, "GET", "/api/v1/faults?overdue=true", everyone),
        Case(role, "GET", "/api/v1/enterprises/{a}/faults", everyone),
        Case(
            role,
            "POST",
            "/api/v1/enterprises/{a}/faults",
            gate(role, FAULT_WRITERS, 201),
            body=FAULT,
        ),
        Case(
            role,
            "POST",
            "/api/v1/enterprises/{a}/faults/{quarantine}/repair",
            gate(role, FAULT_WRITERS, 404),
            body={"note": "已修复"},
        ),
    ]
    for label in "ac":
        status = 401 if role is None else 200 if label in SEES[role] else 404
        rows.append(Case(role, "GET", f"/api/v1/enterprises/{{{label}}}/status", status))
    return rows
