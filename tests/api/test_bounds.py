"""Every integer the API reads is bounded, so no number reaches the database to overflow it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from api_support import assert_error_shape
from routes import api_routes, device_authenticated, int_parameters, sample_query

from nenghao.api.params import INT32_MAX, OFFSET_MAX, PAGE_MAX, PAGE_SIZE_MAX

HUGE = (2**63, 2**64)


def test_every_integer_parameter_has_an_upper_bound(client) -> None:
    routes = list(api_routes(client.app))
    assert len(routes) > 40, "no routes found"
    found, unbounded = 0, []
    for method, path, route in routes:
        for where, name, field in int_parameters(route):
            found += 1
            if not any(hasattr(m, "le") or hasattr(m, "lt") for m in field.metadata):
                unbounded.append(f"{method} {path}: {where}.{name}")
    assert found > 30, "no integer parameters found"
    assert unbounded == []


def test_paging_offset_stays_inside_the_database_range() -> None:
    assert (PAGE_MAX - 1) * PAGE_SIZE_MAX <= OFFSET_MAX <= INT32_MAX


def _probes(app: Any) -> list[tuple[str, str, str, str, dict[str, Any]]]:
    """(method, path, location, name, query) for every integer path or query parameter of
    the routes behind a user token (device-signed reads: tests/api/test_uplink_reads.py)."""
    probes = []
    for method, path, route in api_routes(app):
        if device_authenticated(route):
            continue
        for where, name, _field in int_parameters(route):
            if where in ("path", "query"):
                probes.append((method, path, where, name, sample_query(route)))
    return probes


def test_huge_integers_answer_422_on_every_route(client, world) -> None:
    probes = _probes(client.app)
    assert len(probes) > 30, "no integer parameters found"
    headers = world.headers("admin")
    for method, path, where, name, query in probes:
        for value in HUGE:
            target = re.sub(r"\{[^}]+\}", "1", path)
            if where == "path":
                target = path.replace(f"{{{name}}}", str(value))
                target = re.sub(r"\{[^}]+\}", "1", target)
            params = {**query, name: value} if where == "query" else query
            response = client.request(method, target, params=params, headers=headers, json={})
            error = assert_error_shape(response, 422)
            locations = [d["location"] for d in error["details"] or ()]
            assert f"{where}.{name}" in locations, (method, path, name, response.text)


@pytest.mark.parametrize("value", [PAGE_MAX + 1, 2**63])
def test_page_beyond_the_last_one_accepted_is_refused(client, world, value) -> None:
    response = client.get(f"/api/v1/enterprises?page={value}", headers=world.headers("admin"))
    assert_error_shape(response, 422, "validation_error")


def test_last_page_accepted_answers_an_empty_page(client, world) -> None:
    response = client.get(
        f"/api/v1/enterprises?page={PAGE_MAX}&page_size={PAGE_SIZE_MAX}",
        headers=world.headers("admin"),
    )
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []
    assert response.json()["total"] == 3


def test_huge_id_in_a_body_is_refused(client, world) -> None:
    body = {"username": "huge", "password": "long-enough-1", "role": "enterprise"}
    for value in (INT32_MAX + 1, *HUGE):
        response = client.post(
            "/api/v1/users", json={**body, "enterprise_id": value}, headers=world.headers("admin")
        )
        error = assert_error_shape(response, 422, "validation_error")
        assert error["details"][0]["location"] == "body.enterprise_id"
