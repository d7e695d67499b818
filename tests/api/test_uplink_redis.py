"""The uplink with its nonces and rate limits in Redis (``NENGHAO_REDIS_URL``): two apps on
one database stand for two API nodes; a Redis that is down answers 503, never a pass."""

from __future__ import annotations

import pytest
from api_support import assert_error_shape
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from test_uplink_api import PATH, items, message, post, record, stored  # noqa: F401 - fixture

from nenghao.app import create_app
from nenghao.ingest.signing import signed_headers
from nenghao.store.schema import uplink_archive, uplink_nonces

pytestmark = pytest.mark.usefixtures("items")


@pytest.fixture
def shared_settings(settings, redis_url, redis_prefix):
    return settings.model_copy(update={"redis_url": redis_url, "redis_prefix": redis_prefix})


def _node(settings, engine) -> TestClient:
    return TestClient(create_app(settings, engine), raise_server_exceptions=False)


def test_a_nonce_used_on_one_node_is_refused_on_the_other(shared_settings, engine, world) -> None:
    body = message(world)
    headers = signed_headers(world.key_id, world.device_secret.encode(), "POST", PATH, body)
    with _node(shared_settings, engine) as node_a, _node(shared_settings, engine) as node_b:
        assert node_a.post(PATH, content=body, headers=headers).status_code == 200
        assert_error_shape(node_b.post(PATH, content=body, headers=headers), 401, "replayed_nonce")
    assert stored(engine) == 1
    with engine.connect() as conn:  # recorded in Redis, not in the table
        assert conn.execute(select(func.count()).select_from(uplink_nonces)).scalar() == 0


def test_a_dry_run_checks_the_nonce_without_using_it_up(shared_settings, engine, world) -> None:
    body = message(world, dry_run=True)
    headers = signed_headers(world.key_id, world.device_secret.encode(), "POST", PATH, body)
    with _node(shared_settings, engine) as node:
        assert node.post(PATH, content=body, headers=headers).json()["dry_run"] is True
        assert node.post(PATH, content=body, headers=headers).status_code == 200
    assert stored(engine) == 0


def test_the_rate_limit_holds_across_nodes(shared_settings, engine, world) -> None:
    slow = shared_settings.model_copy(update={"uplink_rate_per_s": 0.01, "uplink_burst": 2})
    with _node(slow, engine) as node_a, _node(slow, engine) as node_b:
        assert post(node_a, world, message(world, record(1), message_id="r1")).status_code == 200
        assert post(node_b, world, message(world, record(2), message_id="r2")).status_code == 200
        refused = post(node_a, world, message(world, record(3), message_id="r3"))
        assert_error_shape(refused, 429, "rate_limited")
        assert int(refused.headers["Retry-After"]) >= 1
        assert post(node_b, world, message(world, record(3), message_id="r3")).status_code == 429


def test_a_redis_that_is_down_answers_503_and_stores_nothing(settings, engine, world) -> None:
    down = settings.model_copy(
        update={"redis_url": "redis://127.0.0.1:9/0", "redis_timeout_s": 0.5}
    )
    with _node(down, engine) as node:
        refused = post(node, world, message(world))
        assert_error_shape(refused, 503, "storage_unavailable")
        assert int(refused.headers["Retry-After"]) >= 1
        target = "/api/v1/uplink/items"
        headers = signed_headers(world.key_id, world.device_secret.encode(), "GET", target, b"")
        assert_error_shape(node.get(target, headers=headers), 503, "storage_unavailable")
    assert stored(engine) == 0
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(uplink_archive)).scalar() == 0


def test_health_reports_redis_when_it_is_configured(settings, shared_settings, engine) -> None:
    with _node(settings, engine) as alone:
        assert "redis" not in alone.get("/api/v1/health").json()  # no Redis: nothing to say
    with _node(shared_settings, engine) as node:
        answer = node.get("/api/v1/health")
    assert answer.status_code == 200, answer.text
    assert answer.json()["redis"] == {"status": "ok"}


def test_health_with_an_unreachable_redis_answers_503(settings, engine) -> None:
    down = settings.model_copy(
        update={"redis_url": "redis://127.0.0.1:9/0", "redis_timeout_s": 0.5}
    )
    with _node(down, engine) as node:
        answer = node.get("/api/v1/health")
    error = assert_error_shape(answer, 503, "redis_unavailable")
    assert int(answer.headers["Retry-After"]) >= 1
    assert error["details"]["redis"]["status"] == "unavailable"
    assert error["details"]["redis"]["problem"].startswith("Redis: ")
    assert error["details"]["database"]["reachable"] is True  # the database is fine
    assert error["details"]["status"] == "degraded"
