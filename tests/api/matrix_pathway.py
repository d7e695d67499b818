"""Matrix rows of the carbon-peak pathway routes (碳达峰路径).

Scenario, assumption and measure ids use the ``{scenario}`` and ``{row}`` placeholders (a
missing id, 999999): a caller whose role may act gets 404 (``scenario_not_found``). The
small world has no metered data, so the decomposition is refused in the error shape (422:
no output value). Scenarios with data are in test_pathway_api.
"""

from __future__ import annotations

from matrix import Case, gate

READERS = {"admin", "regulator", "auditor"}
WRITERS = {"admin", "regulator"}
BASE = "/api/v1/pathway"
ASSUMPTION = {"parameter": "output_growth", "from_year": 2026, "value_pct": 5}
MEASURE = {
    "kind": "renewable_electricity",
    "name": "光伏",
    "sector": "steel",
    "year": 2027,
    "mwh": 10,
}


def cases(role: str | None) -> list[Case]:
    """One row per pathway route for `role` (None: anonymous)."""
    scenario = f"{BASE}/scenarios/{{scenario}}"
    policy = {"name": "政策", "kind": "policy", "base_year": 2025, "baseline_id": 999_999}
    return [
        Case(role, "GET", BASE, gate(role, READERS, 200)),
        Case(role, "GET", f"{BASE}/xlsx", gate(role, READERS, 200)),
        Case(
            role,
            "GET",
            f"{BASE}/decomposition?base_year=2024&target_year=2025",
            gate(role, READERS, 422),
        ),
        Case(role, "GET", f"{BASE}/scenarios", gate(role, READERS, 200)),
        Case(role, "POST", f"{BASE}/scenarios", gate(role, WRITERS, 404), body=policy),
        Case(role, "GET", scenario, gate(role, READERS, 404)),
        Case(role, "DELETE", scenario, gate(role, WRITERS, 404)),
        Case(role, "GET", f"{scenario}/tracking?year=2025", gate(role, READERS, 404)),
        Case(role, "POST", f"{scenario}/assumptions", gate(role, WRITERS, 404), body=ASSUMPTION),
        Case(
            role,
            "PUT",
            f"{scenario}/assumptions/{{row}}",
            gate(role, WRITERS, 404),
            body=ASSUMPTION,
        ),
        Case(role, "DELETE", f"{scenario}/assumptions/{{row}}", gate(role, WRITERS, 404)),
        Case(role, "POST", f"{scenario}/measures", gate(role, WRITERS, 404), body=MEASURE),
        Case(role, "POST", f"{scenario}/measures/from-retrofits", gate(role, WRITERS, 404)),
        Case(
            role,
            "PUT",
            f"{scenario}/measures/{{row}}",
            gate(role, WRITERS, 404),
            body=MEASURE,
        ),
        Case(role, "DELETE", f"{scenario}/measures/{{row}}", gate(role, WRITERS, 404)),
    ]
