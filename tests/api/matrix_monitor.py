"""Role x route rows of the data-quality and alert routes.

Alert and channel ids use the ``{quarantine}`` placeholder (a missing id, 999999): the
routes name their id ``entry_id`` so the matrix's path templates line up.
"""

from __future__ import annotations

from api_support import ROLES
from matrix import SEES, Case, gate

CONFIGURERS = {"admin", "regulator"}
WRITERS = {"admin", "regulator", "district", "enterprise"}
CHANNEL = {"name": "ops", "kind": "webhook", "target": "https://hooks.example/a"}
RULE = {"rule": "spike", "severity": "critical", "enabled": True, "params": {"spike_ratio": 4}}


def cases(role: str | None) -> list[Case]:
    """One row per quality/alert route for ``role`` (None: anonymous)."""
    everyone = gate(role, set(ROLES), 200)
    rows = [
        Case(role, "GET", "/api/v1/quality/rules", everyone),
        Case(role, "GET", "/api/v1/quality/scores?month=2025-01", everyone),
        Case(role, "GET", "/api/v1/quality/events?rule=spike", everyone),
        Case(role, "GET", "/api/v1/alerts?status=active", everyone),
        Case(role, "GET", "/api/v1/alerts/rules", gate(role, CONFIGURERS, 200)),
        Case(role, "PUT", "/api/v1/alerts/rules", gate(role, CONFIGURERS, 200), body=RULE),
        Case(role, "GET", "/api/v1/alerts/channels", gate(role, CONFIGURERS, 200)),
        Case(role, "POST", "/api/v1/alerts/channels", gate(role, CONFIGURERS, 201), body=CHANNEL),
        Case(
            role,
            "PATCH",
            "/api/v1/alerts/channels/{quarantine}",
            gate(role, CONFIGURERS, 404),
            body={"enabled": False},
        ),
        Case(role, "DELETE", "/api/v1/alerts/channels/{quarantine}", gate(role, CONFIGURERS, 404)),
        Case(role, "GET", "/api/v1/alerts/{quarantine}", gate(role, set(ROLES), 404)),
        Case(
            role,
            "POST",
            "/api/v1/alerts/{quarantine}/acknowledge",
            gate(role, WRITERS, 404),
            body={"comment": "seen"},
        ),
        Case(
            role,
            "POST",
            "/api/v1/alerts/{quarantine}/resolve",
            gate(role, WRITERS, 404),
            body={"comment": "fixed"},
        ),
        Case(
            role,
            "POST",
            "/api/v1/alerts/{quarantine}/rectification",
            gate(role, WRITERS, 404),
            body={"note": "已更换电表"},
        ),
    ]
    for label in "abc":
        status = 401 if role is None else 200 if label in SEES[role] else 404
        rows.append(
            Case(role, "GET", f"/api/v1/quality/enterprises/{{{label}}}?month=2025-01", status)
        )
    return rows
