"""Every route answers every error in the one shape."""

from __future__ import annotations

import logging
import re

import pytest
from api_support import assert_error_shape, credit_code
from routes import api_routes, device_authenticated

from nenghao.store import enterprises

PUBLIC = {
    ("GET", "/api/v1"),
    ("GET", "/api/v1/health"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/docs"),
    ("GET", "/api/v1/docs/oauth2-redirect"),
    ("POST", "/api/v1/auth/login"),
}


def _bad_path(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "not-a-number", path)


def _routes(client):
    """Routes behind a user token (public and device-signed routes left out)."""
    return [
        (m, p, r)
        for m, p, r in api_routes(client.app)
        if (m, p) not in PUBLIC and not device_authenticated(r)
    ]


def test_device_routes_without_signature_answer_401_in_shape(client, world) -> None:
    device_routes = [(m, p) for m, p, r in api_routes(client.app) if device_authenticated(r)]
    assert ("POST", "/api/v1/uplink") in device_routes
    for method, path in device_routes:
        for headers in ({}, world.headers("admin")):  # a user token is no device signature
            response = client.request(method, path, headers=headers, content=b"{}")
            assert_error_shape(response, 401, "missing_signature_field")


def test_every_protected_route_requires_a_permission(client) -> None:
    from routes import permission_of

    from nenghao.api.access import PERMISSIONS

    for method, path, route in _routes(client):
        permission = permission_of(route)
        assert permission in PERMISSIONS, f"{method} {path} does not use require(...)"


def test_every_route_without_auth_answers_401_in_shape(client) -> None:
    for method, path, _route in _routes(client):
        response = client.request(method, _bad_path(path))
        error = assert_error_shape(response, 401)
        assert error["code"] == "not_authenticated", (method, path)
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_every_route_with_bad_input_answers_in_shape(client, world) -> None:
    headers = {**world.headers("admin"), "Content-Type": "application/json"}
    routes = sorted(api_routes(client.app), key=lambda r: r[1].endswith("/logout"))
    for method, path, route in routes:  # logout last: it ends the session
        if device_authenticated(route):
            continue  # signed by devices: see test_device_routes_without_signature_...
        url = _bad_path(path) + "?page=0&page_size=9999&value=abc&since=yesterday"
        response = client.request(method, url, headers=headers, content=b"{not json")
        if response.status_code < 400:
            assert not re.search(r"\{", path), (method, path)  # only param-less routes pass
            continue
        assert_error_shape(response)
        assert response.status_code in (404, 422), (method, path, response.text)


def test_validation_details_name_location_and_message(client, world) -> None:
    response = client.get("/api/v1/enterprises?page=0", headers=world.headers("admin"))
    error = assert_error_shape(response, 422, "validation_error")
    assert error["details"][0]["location"] == "query.page"
    assert error["details"][0]["message"]
    assert "query.page" in error["message"]


def test_bad_token_and_wrong_scheme(client) -> None:
    assert_error_shape(
        client.get("/api/v1/auth/me", headers={"Authorization": "Bearer nope"}),
        401,
        "invalid_token",
    )
    assert_error_shape(
        client.get("/api/v1/auth/me", headers={"Authorization": "Basic eDp5"}),
        401,
        "not_authenticated",
    )


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/api/v1/no/such/route", 404, "not_found"),
        ("DELETE", "/api/v1/health", 405, "method_not_allowed"),
        ("PUT", "/api/v1/enterprises", 405, "method_not_allowed"),
    ],
)
def test_unknown_routes_and_methods(client, method, path, status, code) -> None:
    assert_error_shape(client.request(method, path), status, code)


def test_forbidden_names_the_missing_permission(client, world) -> None:
    error = assert_error_shape(
        client.get("/api/v1/audit", headers=world.headers("district")), 403, "forbidden"
    )
    assert "audit:read" in error["message"]


def test_conflict_on_duplicate_credit_code(client, world) -> None:
    body = {
        "credit_code": credit_code("a", "210302"),
        "name": "重复",
        "division_code": "210302",
        "industry_code": "3110",
    }
    response = client.post("/api/v1/enterprises", json=body, headers=world.headers("admin"))
    assert_error_shape(response, 409, "duplicate_credit_code")


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("credit_code", "91210302MA0TEXT0A9", "invalid_credit_code"),
        ("division_code", "999999", "unknown_division"),
        ("division_code", "21", "invalid_division"),
        ("industry_code", "0000", "unknown_industry"),
    ],
)
def test_domain_validation_errors(client, world, field, value, code) -> None:
    body = {
        "credit_code": credit_code("n", "210302"),
        "name": "新企业",
        "division_code": "210302",
        "industry_code": "3110",
        field: value,
    }
    response = client.post("/api/v1/enterprises", json=body, headers=world.headers("admin"))
    error = assert_error_shape(response, 422, code)
    assert value in error["message"] or field.split("_")[0] in error["message"]


def test_unhandled_exception_is_500_in_shape_logged_without_trace(
    client, world, monkeypatch, caplog
) -> None:
    def boom(*_args, **_kwargs):
        raise RuntimeError("internal detail xyzzy")

    monkeypatch.setattr(enterprises, "list_enterprises", boom)
    with caplog.at_level(logging.ERROR, logger="nenghao.api"):
        response = client.get("/api/v1/enterprises", headers=world.headers("admin"))
    error = assert_error_shape(response, 500, "internal_error")
    assert "xyzzy" not in response.text
    assert error["details"] is None
    assert any("xyzzy" in (r.exc_text or "") for r in caplog.records)
