"""Role x route rows of the analytics routes (statistics, targets, reports), and a loader
for the worked city shared with tests/analytics."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from types import ModuleType

from api_support import ROLES
from matrix import SEES, Case, gate

CITY_TARGET = {"year": 2025, "level": "city", "subject": "210300", "total_energy_tce": 9000.0}
TARGET_KEY = "year=2025&level=city&subject=210300"
STATS = (
    "/api/v1/stats/consumption?period=2025-01&by=enterprise",
    "/api/v1/stats/compare?period=2025-03",
    "/api/v1/stats/ranking?period=2025",
    "/api/v1/stats/mix?period=2025",
    "/api/v1/stats/intensity?period=2025&by=division",
    "/api/v1/stats/series?period=2025&grain=month&by=industry",
    "/api/v1/stats/overview?year=2025",
    "/api/v1/stats/key-units?year=2024",
    "/api/v1/stats/quota-compliance?period=2025",
)
PER_ENTERPRISE = (
    "/api/v1/stats/enterprises/{%s}/series?period=2025-01",
    "/api/v1/stats/enterprises/{%s}/unit-products?period=2025",
    "/api/v1/reports/enterprises/{%s}/annual?year=2025",
)
WRITERS = {"admin", "regulator"}
CITY_REPORTERS = {"admin", "regulator", "auditor", "district"}


def cases(role: str | None) -> list[Case]:
    """One row per analytics route for ``role`` (None: anonymous)."""
    everyone = gate(role, set(ROLES), 200)
    rows = [Case(role, "GET", path, everyone) for path in STATS]
    rows += [
        Case(role, "GET", "/api/v1/targets?year=2025", everyone),
        Case(role, "PUT", "/api/v1/targets", gate(role, WRITERS, 201), body=CITY_TARGET),
        Case(role, "DELETE", f"/api/v1/targets?{TARGET_KEY}", gate(role, WRITERS, 404)),
        Case(role, "GET", f"/api/v1/targets/progress?{TARGET_KEY}", gate(role, set(ROLES), 404)),
        Case(
            role,
            "GET",
            "/api/v1/reports/monthly?year=2025&month=1",
            gate(role, CITY_REPORTERS, 200),
        ),
        Case(
            role,
            "GET",
            "/api/v1/reports/quota-exceeders?period=2025",
            gate(role, CITY_REPORTERS, 200),
        ),
        Case(role, "GET", "/api/v1/reports/key-units?year=2025", gate(role, CITY_REPORTERS, 200)),
    ]
    for template in PER_ENTERPRISE:
        for label in "ac":  # own (or in the division) and outside every narrow scope
            status = 401 if role is None else 200 if label in SEES[role] else 404
            rows.append(Case(role, "GET", template % label, status))
    return rows


@cache
def worked_city() -> ModuleType:
    """tests/analytics/worked_city.py, loaded by path (it is not on this directory's path)."""
    return _analytics_module("worked_city")


def like_city() -> ModuleType:
    """tests/analytics/like_city.py, loaded by path."""
    return _analytics_module("like_city")


def _analytics_module(name: str) -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "analytics" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
