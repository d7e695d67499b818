"""Role x route matrix: who may call what, and which enterprises each role sees.

To cover a new route, add rows to CASES (one per role, anonymous included);
`test_every_route_is_in_the_matrix` fails until every role has a row for it.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

import pytest
from api_support import ROLES, credit_code
from matrix import ALL_ROLES, READERS, SEES, WRITERS, Case, gate
from routes import api_routes

from nenghao.app import create_app
from nenghao.config import Settings


def _enterprise_body() -> dict[str, Any]:
    return {
        "credit_code": credit_code("n", "210381"),
        "name": "新建企业",
        "division_code": "210381",
        "industry_code": "3110",
    }


def _cases() -> list[Case]:
    cases: list[Case] = []
    for role in ALL_ROLES:
        everyone = gate(role, set(ROLES), 200)
        cases += [
            Case(role, "GET", "/api/v1", 200),
            Case(role, "GET", "/api/v1/health", 200),
            Case(
                role,
                "POST",
                "/api/v1/auth/login",
                200,
                body={"username": role or "admin", "password": "correct-horse-7"},
            ),
            Case(role, "GET", "/api/v1/auth/me", everyone),
            Case(role, "POST", "/api/v1/auth/logout", everyone),
            Case(role, "GET", "/api/v1/enterprises", everyone, visible=SEES.get(role)),
            Case(
                role,
                "GET",
                "/api/v1/enterprises?division=210302",
                everyone,
                visible="".join(x for x in SEES.get(role, "") if x in "ab") or None,
            ),
            Case(
                role,
                "POST",
                "/api/v1/enterprises",
                gate(role, WRITERS["enterprises"], 201),
                body=_enterprise_body(),
            ),
            Case(
                role,
                "PATCH",
                "/api/v1/enterprises/{a}",
                gate(role, WRITERS["enterprises"], 200),
                body={"contact": "张工"},
            ),
            Case(role, "GET", "/api/v1/users", gate(role, READERS["users"], 200)),
            Case(
                role,
                "POST",
                "/api/v1/users",
                gate(role, WRITERS["users"], 201),
                body={"username": "newbie", "password": "long-enough-1", "role": "auditor"},
            ),
            Case(
                role,
                "PATCH",
                "/api/v1/users/{user_auditor}",
                gate(role, WRITERS["users"], 200),
                body={"display_name": "审计员"},
            ),
            Case(
                role,
                "POST",
                "/api/v1/auth/password",
                gate(role, set(ROLES), 200),
                body={"current_password": "correct-horse-7", "new_password": "battery-st4ple"},
            ),
            Case(role, "GET", "/api/v1/audit", gate(role, READERS["audit"], 200)),
            Case(
                role, "GET", "/api/v1/enterprises/{a}/devices", gate(role, READERS["devices"], 200)
            ),
            Case(
                role,
                "POST",
                "/api/v1/enterprises/{a}/devices",
                gate(role, WRITERS["devices"], 201),
                body={"label": "gw-2"},
            ),
            Case(role, "POST", "/api/v1/devices/{key}/revoke", gate(role, WRITERS["devices"], 200)),
            Case(role, "GET", "/api/v1/convert?value=1&unit=t&energy=raw_coal", everyone),
            Case(role, "GET", "/api/v1/openapi.json", 200),
        ]
        for section in (
            "energy-kinds",
            "quotas",
            "emission-factors",
            "divisions",
            "industries",
            "reasons",
        ):
            cases.append(Case(role, "GET", f"/api/v1/catalog/{section}", everyone))
        for label in "abc":
            status = 401 if role is None else 200 if label in SEES[role] else 404
            cases.append(Case(role, "GET", f"/api/v1/enterprises/{{{label}}}", status))
        # Outside scope looks exactly like missing, for reads and writes alike.
        if role in ("district", "enterprise"):
            cases.append(Case(role, "GET", "/api/v1/enterprises/999999", 404))
    return cases


def _resource_cases() -> list[Case]:
    """Rows contributed by the ``matrix_<resource>.py`` modules beside this file."""
    cases: list[Case] = []
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("matrix_"):
            contribute = importlib.import_module(module.name).cases
            for role in ALL_ROLES:
                cases += contribute(role)
    return cases


CASES = _cases() + _resource_cases()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_role_route_matrix(case: Case, shared_app, shared_world) -> None:
    world = shared_world
    response = shared_app.client.request(
        case.method, world.fill(case.path), headers=world.headers(case.role), json=case.body
    )
    assert response.status_code == case.status, response.text
    if case.status >= 400:
        assert set(response.json()) == {"error"}
    if case.visible is not None:
        seen = {item["id"] for item in response.json()["items"]}
        assert seen == {world.enterprise_ids[x] for x in case.visible}
        assert response.json()["total"] == len(case.visible)


def _template(path: str) -> str:
    path = path.split("?")[0]
    for placeholder, name in (
        ("{a}", "{enterprise_id}"),
        ("{key}", "{key_id}"),
        ("{quarantine}", "{entry_id}"),
        ("{item}", "{item_id}"),
        ("{project}", "{project_id}"),
        ("{document}", "{document_id}"),
        ("{scenario}", "{scenario_id}"),
        ("{row}", "{row_id}"),
    ):
        path = path.replace(placeholder, name)
    return path.replace("{user_auditor}", "{user_id}")


def test_every_route_is_in_the_matrix(tmp_path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}"))
    covered = {(c.role, c.method, _template(c.path)) for c in CASES}
    missing = [
        (role, method, path)
        for method, path, _route in api_routes(app)
        if not path.startswith("/api/v1/docs")
        for role in ALL_ROLES
        if (role, method, path) not in covered
    ]
    assert not missing, f"add matrix rows for: {missing}"
