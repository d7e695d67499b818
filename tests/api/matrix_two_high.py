"""Matrix rows of the two-high ledger and rectification routes (存量两高项目).

Installation and plan ids use the ``{quarantine}`` placeholder (a missing id, 999999): a
caller whose role may act gets 404 (``installation_not_found``,
``rectification_plan_not_found``); registering an installation names a missing enterprise
(404 ``enterprise_not_found``). Scoping with real installations is in test_two_high_api.
"""

from __future__ import annotations

from api_support import ROLES
from matrix import Case, gate

WRITERS = {"admin", "regulator", "district"}
REPORTERS = WRITERS | {"enterprise"}
PLAN = {
    "measures": "更换高效热风炉",
    "deadline": "2099-06-30",
    "responsible_name": "王工",
    "responsible_phone": "13800000000",
}
BASE = "/api/v1/two-high"


def cases(role: str | None) -> list[Case]:
    """One row per two-high route for `role` (None: anonymous)."""
    everyone = set(ROLES)
    installation = f"{BASE}/installations/{{quarantine}}"
    plan = f"{BASE}/plans/{{quarantine}}"
    body = {"enterprise_id": 999_999, "sector": "steel", "name": "1号高炉"}
    note = {"on_date": "2026-12-01", "text": "进展"}
    return [
        Case(role, "GET", f"{BASE}/installations", gate(role, everyone, 200)),
        Case(role, "POST", f"{BASE}/installations", gate(role, WRITERS, 404), body=body),
        Case(role, "GET", f"{BASE}/unregistered", gate(role, everyone, 200)),
        Case(role, "GET", f"{BASE}/ledger.xlsx", gate(role, everyone, 200)),
        Case(role, "GET", installation, gate(role, everyone, 404)),
        Case(role, "PATCH", installation, gate(role, WRITERS, 404), body={"note": "x"}),
        Case(role, "DELETE", installation, gate(role, WRITERS, 404)),
        Case(role, "POST", f"{installation}/plans", gate(role, WRITERS, 404), body=PLAN),
        Case(role, "GET", f"{BASE}/plans?overdue=true", gate(role, everyone, 200)),
        Case(role, "GET", plan, gate(role, everyone, 404)),
        Case(role, "PATCH", plan, gate(role, WRITERS, 404), body={"version": 1}),
        Case(role, "POST", f"{plan}/updates", gate(role, REPORTERS, 404), body=note),
        Case(role, "GET", f"{plan}/updates", gate(role, everyone, 404)),
        Case(role, "POST", f"{plan}/complete", gate(role, WRITERS, 404), body={}),
    ]
