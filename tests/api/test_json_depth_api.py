"""JSON nested deeper than the limit is refused before anything parses it, on every route."""

from __future__ import annotations

import re

from api_support import assert_error_shape
from fastapi.params import Form
from routes import api_routes
from sqlalchemy import select
from test_uplink_api import message, post, stored

from nenghao.api.routing import JsonRoute
from nenghao.ingest.json_depth import MAX_JSON_DEPTH
from nenghao.store.schema import uplink_archive

DEEP = b"[" * 1000 + b"]" * 1000


def _nested(levels: int) -> bytes:
    """A JSON array nested `levels` deep."""
    return b"[" * levels + b"]" * levels


def _json_body_routes(app):
    return [
        (method, path, route)
        for method, path, route in api_routes(app)
        if route.body_field is not None and not isinstance(route.body_field.field_info, Form)
    ]


def test_every_route_with_a_json_body_measures_it(client) -> None:
    routes = _json_body_routes(client.app)
    assert len(routes) > 10, "no routes with a JSON body found"
    assert [p for _m, p, route in routes if not isinstance(route, JsonRoute)] == []


def test_deep_json_bodies_answer_422_json_too_deep_on_every_route(client, world) -> None:
    headers = {**world.headers("admin"), "Content-Type": "application/json"}
    routes = sorted(_json_body_routes(client.app), key=lambda r: r[1].endswith("/logout"))
    for method, path, _route in routes:
        target = re.sub(r"\{[^}]+\}", "1", path)
        for body in (DEEP, b'{"a":' + _nested(MAX_JSON_DEPTH) + b"}"):
            response = client.request(method, target, content=body, headers=headers)
            error = assert_error_shape(response, 422, "json_too_deep")
            assert error["details"]["limit"] == MAX_JSON_DEPTH, (method, path)


def test_json_at_the_limit_reaches_the_route(client, world) -> None:
    body = b'{"rule": "stale_data", "severity": "info", "params": {"a": %s}}' % _nested(
        MAX_JSON_DEPTH - 2
    )
    response = client.put(
        "/api/v1/alerts/rules",
        content=body,
        headers={**world.headers("admin"), "Content-Type": "application/json"},
    )
    error = assert_error_shape(response, 422)
    assert error["code"] != "json_too_deep"


def test_deep_uplink_is_archived_as_rejected_and_answered_422(client, world, engine) -> None:
    deep_value = message(world).replace(b'"value": 5.0', b'"value": ' + _nested(40))
    for body in (DEEP, deep_value):
        error = assert_error_shape(post(client, world, body), 422, "json_too_deep")
        assert error["details"]["problems"][0]["code"] == "json_too_deep"
    with engine.connect() as conn:
        archived = conn.execute(select(uplink_archive.c.status, uplink_archive.c.error_code))
        assert [tuple(row) for row in archived] == [("rejected", "json_too_deep")] * 2
    assert stored(engine) == 0


def test_deep_filing_answers_422(client, world) -> None:
    url = f"/api/v1/enterprises/{world.enterprise_ids['a']}/filings"
    for body in (DEEP, b'{"records": %s}' % _nested(100)):
        response = client.post(url, content=body, headers=world.headers("admin"))
        error = assert_error_shape(response, 422, "json_too_deep")
        assert "32" in error["message"]
