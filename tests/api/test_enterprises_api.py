"""Enterprise listing filters and paging, health and index."""

from __future__ import annotations

import pytest
from api_support import assert_error_shape

from nenghao.app import create_app
from nenghao.config import Settings
from nenghao.store.engine import make_engine


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=镁质", "c"),
        ("q=91210302", "ab"),
        ("industry=3120", "b"),
        ("division=210381", "c"),
        ("key_unit_level=key", "abc"),
        ("key_unit_level=designated", ""),
        ("active=true", "abc"),
        ("q=%25", ""),
    ],
)
def test_list_filters(client, world, query, expected) -> None:
    body = client.get(f"/api/v1/enterprises?{query}", headers=world.headers("regulator")).json()
    assert {e["id"] for e in body["items"]} == {world.enterprise_ids[x] for x in expected}


def test_filters_never_widen_the_scope(client, world) -> None:
    body = client.get("/api/v1/enterprises?division=210381", headers=world.headers("district"))
    assert body.json()["total"] == 0


def test_paging(client, world) -> None:
    headers = world.headers("admin")
    first = client.get("/api/v1/enterprises?page_size=2", headers=headers).json()
    second = client.get("/api/v1/enterprises?page_size=2&page=2", headers=headers).json()
    assert (first["total"], len(first["items"]), len(second["items"])) == (3, 2, 1)
    assert second["page"] == 2


def test_patch_rejects_null_for_required_fields(client, world) -> None:
    response = client.patch(
        f"/api/v1/enterprises/{world.enterprise_ids['a']}",
        json={"name": None},
        headers=world.headers("admin"),
    )
    assert_error_shape(response, 422, "validation_error")


def test_patch_outside_scope_is_404(client, world) -> None:
    response = client.patch(
        "/api/v1/enterprises/999", json={"contact": "x"}, headers=world.headers("admin")
    )
    assert_error_shape(response, 404, "enterprise_not_found")


def test_health_reports_revision(client) -> None:
    body = client.get("/api/v1/health").json()
    assert body["database"]["reachable"] is True
    assert body["database"]["up_to_date"] is True
    assert body["status"] == "ok"


def test_health_with_unreachable_database(tmp_path) -> None:
    from fastapi.testclient import TestClient

    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none", pool_pre_ping=False)
    app = create_app(Settings(data_dir=tmp_path), engine)
    response = TestClient(app, raise_server_exceptions=False).get("/api/v1/health")
    assert_error_shape(response, 503, "database_unavailable")


def test_index_and_openapi_are_public(client) -> None:
    assert client.get("/api/v1").json()["links"]["openapi"] == "/api/v1/openapi.json"
    document = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/enterprises/{enterprise_id}" in document["paths"]
