"""Matrix rows of the retrofit routes (节能改造项目).

Retrofit ids use the ``{quarantine}`` placeholder (a missing id, 999999): a caller whose role
may act gets 404 (``retrofit_not_found``); registering a retrofit names a missing enterprise
(404 ``enterprise_not_found``). Scoping with real retrofits is in test_retrofits_api.
"""

from __future__ import annotations

from api_support import ROLES
from matrix import Case, gate

WRITERS = {"admin", "regulator", "district", "enterprise"}
ADJUSTERS = {"admin", "regulator", "district"}
BASE = "/api/v1/retrofits"


def cases(role: str | None) -> list[Case]:
    """One row per retrofit route for `role` (None: anonymous)."""
    everyone = set(ROLES)
    one = f"{BASE}/{{quarantine}}"
    body = {
        "enterprise_id": 999_999,
        "name": "1号窑改造",
        "energy_items": [1],
        "baseline_from": "2024-01",
        "baseline_to": "2024-12",
        "installation_from": "2025-01",
        "installation_to": "2025-01",
        "reporting_from": "2025-02",
        "reporting_to": "2025-12",
        "claimed_saving_tce": 100.0,
    }
    entry = {"month": "2025-03", "kind": "other", "amount_tce": 1.0, "reason": "检修"}
    return [
        Case(role, "GET", BASE, gate(role, everyone, 200)),
        Case(role, "POST", BASE, gate(role, WRITERS, 404), body=body),
        Case(role, "GET", f"{BASE}/ledger.xlsx", gate(role, everyone, 200)),
        Case(role, "GET", one, gate(role, everyone, 404)),
        Case(role, "GET", f"{one}/verification", gate(role, everyone, 404)),
        Case(role, "POST", f"{one}/adjustments", gate(role, ADJUSTERS, 404), body=entry),
        Case(role, "GET", f"{one}/report.pdf", gate(role, everyone, 404)),
    ]
