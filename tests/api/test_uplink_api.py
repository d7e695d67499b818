"""``POST /api/v1/uplink`` (device-signed) and the uplink routes for users: filings,
uploads, quarantine, device rotation. Every error in the one shape."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from api_support import assert_error_shape, credit_code
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select

from nenghao.app import create_app
from nenghao.ingest.signing import signed_headers
from nenghao.store.schema import data_items, readings

PATH = "/api/v1/uplink"
LAST_HOUR = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)


@pytest.fixture
def items(engine, world) -> dict[str, int]:
    """Hourly E01 and monthly manual S01 of enterprise a; hourly E01 of c."""
    ids = {}
    with engine.begin() as conn:
        for label, code, period, unit, manual in (
            ("a", "E01", "hour", "kWh", False),
            ("a", "S01", "month", "t", True),
            ("c", "E01", "hour", "kWh", False),
        ):
            ids[f"{label}:{code}"] = conn.execute(
                insert(data_items).values(
                    enterprise_id=world.enterprise_ids[label],
                    code=code,
                    name=code,
                    measures="energy" if unit == "kWh" else "product",
                    usage="consumption" if unit == "kWh" else "production",
                    unit=unit,
                    period=period,
                    manual=manual,
                    created_at=0,
                )
            ).inserted_primary_key[0]
    return ids


def message(world, *records, **overrides) -> bytes:
    body = {
        "protocol": "nenghao-uplink/1",
        "credit_code": credit_code("a", "210302"),
        "device_id": world.key_id,
        "sent_at": datetime.now(UTC).isoformat(),
        "message_id": "m-1",
        "records": list(records) or [record()],
    }
    body.update(overrides)
    return json.dumps(body).encode()


def record(hours_back: int = 0, **fields) -> dict:
    start = LAST_HOUR - timedelta(hours=hours_back)
    return {
        "item": "E01",
        "period": "hour",
        "start": start.isoformat(),
        "value": 5.0,
        "unit": "kWh",
        **fields,
    }


def post(client, world, body: bytes, *, secret: str | None = None, **sign):
    headers = signed_headers(
        world.key_id, (secret or world.device_secret).encode(), "POST", PATH, body, **sign
    )
    return client.post(PATH, content=body, headers=headers)


def stored(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(readings)).scalar_one()


def test_signed_message_is_acknowledged_per_record(client, world, items, engine) -> None:
    body = message(world, record(0), record(1), record(2, item="NOPE"))
    response = post(client, world, body)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["accepted", "accepted", "rejected"]
    assert results[2]["code"] == "unknown_item"
    again = post(client, world, message(world, record(0), record(1, value=6.0)))
    assert [r["status"] for r in again.json()["results"]] == ["duplicate", "revised"]
    assert stored(engine) == 2


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("bad_signature", "bad_signature"),
        ("stale", "stale_timestamp"),
        ("missing", "missing_signature_field"),
        ("unknown_key", "unknown_key"),
    ],
)
def test_authentication_failures_are_401(client, world, items, engine, case, code) -> None:
    body = message(world)
    headers = signed_headers(world.key_id, world.device_secret.encode(), "POST", PATH, body)
    if case == "bad_signature":
        headers["X-Nenghao-Signature"] = "0" * 64
    elif case == "stale":
        stale = int(time.time()) - 301
        headers = signed_headers(
            world.key_id, world.device_secret.encode(), "POST", PATH, body, timestamp=stale
        )
    elif case == "missing":
        del headers["X-Nenghao-Nonce"]
    else:
        headers["X-Nenghao-Key"] = "nhk_0000000000000000"
    assert_error_shape(client.post(PATH, content=body, headers=headers), 401, code)
    assert stored(engine) == 0


def test_replayed_nonce_is_401_and_the_body_is_not_stored_twice(client, world, items) -> None:
    body = message(world)
    headers = signed_headers(world.key_id, world.device_secret.encode(), "POST", PATH, body)
    assert client.post(PATH, content=body, headers=headers).status_code == 200
    replay = client.post(PATH, content=body, headers=headers)
    assert_error_shape(replay, 401, "replayed_nonce")


def test_another_enterprises_code_is_403(client, world, items, engine) -> None:
    body = message(world, credit_code=credit_code("c", "210381"))
    error = assert_error_shape(post(client, world, body), 403, "enterprise_mismatch")
    assert error["details"]["problems"][0]["location"] == "credit_code"
    assert stored(engine) == 0


def test_unknown_credit_code_is_403_and_bad_check_digit_is_422(client, world, items) -> None:
    unknown = credit_code("x", "210302")  # valid, but no such enterprise
    assert_error_shape(
        post(client, world, message(world, credit_code=unknown)), 403, "enterprise_mismatch"
    )
    wrong = credit_code("a", "210302")[:-1] + (
        "0" if credit_code("a", "210302")[-1] != "0" else "1"
    )
    assert_error_shape(post(client, world, message(world, credit_code=wrong)), 422)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "malformed_json"),
        (b'{"protocol": "nenghao-uplink/1", "records": "x"}', "missing_field"),
    ],
)
def test_whole_message_errors_are_422_with_problems(client, world, items, body, code) -> None:
    error = assert_error_shape(post(client, world, body), 422)
    assert code in {p["code"] for p in error["details"]["problems"]}


def test_oversized_bodies_are_413_by_header_and_by_stream(client, world, items, settings, engine):
    limit = settings.uplink_max_body_bytes
    big = b" " * (limit + 1)
    declared = client.post(PATH, content=big, headers={"Content-Type": "application/json"})
    assert_error_shape(declared, 413, "body_too_large")

    def chunks():
        for _ in range(limit // 65536 + 2):
            yield b" " * 65536

    streamed = client.post(PATH, content=chunks())  # no Content-Length: chunked
    assert_error_shape(streamed, 413, "body_too_large")
    assert stored(engine) == 0


def test_rate_limit_answers_429_with_retry_after(settings, engine, world, items) -> None:
    slow = settings.model_copy(update={"uplink_rate_per_s": 0.01, "uplink_burst": 1})
    with TestClient(create_app(slow, engine), raise_server_exceptions=False) as limited:
        assert post(limited, world, message(world)).status_code == 200
        refused = post(limited, world, message(world))
        assert_error_shape(refused, 429, "rate_limited")
        assert int(refused.headers["Retry-After"]) >= 1


def test_rotation_replaces_the_secret_and_revocation_ends_it(client, world, items) -> None:
    rotated = client.post(f"/api/v1/devices/{world.key_id}/rotate", headers=world.headers("admin"))
    assert rotated.status_code == 200, rotated.text
    new_secret = rotated.json()["secret"]
    assert new_secret != world.device_secret
    assert_error_shape(post(client, world, message(world)), 401, "bad_signature")
    assert post(client, world, message(world), secret=new_secret).status_code == 200
    client.post(f"/api/v1/devices/{world.key_id}/revoke", headers=world.headers("regulator"))
    assert_error_shape(post(client, world, message(world), secret=new_secret), 401, "unknown_key")
    audit = client.get("/api/v1/audit?entity=device_credential", headers=world.headers("admin"))
    assert {"rotate", "revoke"} <= {e["action"] for e in audit.json()["items"]}
    assert new_secret not in audit.text


def test_manual_filing_by_the_enterprise_for_itself(client, world, items, engine) -> None:
    filing = {
        "records": [
            {
                "item": "S01",
                "period": "month",
                "start": "2024-04-01T00:00:00+08:00",
                "value": 321.5,
                "unit": "t",
            }
        ]
    }
    url = f"/api/v1/enterprises/{world.enterprise_ids['a']}/filings"
    response = client.post(url, json=filing, headers=world.headers("enterprise"))
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["status"] == "accepted"
    other = f"/api/v1/enterprises/{world.enterprise_ids['c']}/filings"
    assert_error_shape(client.post(other, json=filing, headers=world.headers("enterprise")), 404)
    bad = {"records": [{**filing["records"][0], "value": "many"}]}
    assert_error_shape(client.post(url, json=bad, headers=world.headers("enterprise")), 422)
    audit = client.get("/api/v1/audit?entity=manual_filing", headers=world.headers("admin"))
    assert audit.json()["items"][0]["actor"] == "enterprise"
    uploads = client.get(
        f"/api/v1/enterprises/{world.enterprise_ids['a']}/uploads",
        headers=world.headers("district"),
    ).json()
    assert uploads["items"][0]["channel"] == "manual"
    assert uploads["items"][0]["summary"]["accepted"] == 1
    assert "body" not in uploads["items"][0]


def test_quarantine_is_scoped_and_can_be_reprocessed_or_dismissed(client, world, items, engine):
    post(client, world, message(world, record(0, item="LATER"), record(1, item="WRONG")))
    for role, visible in (("enterprise", 2), ("district", 2), ("auditor", 2), ("admin", 2)):
        listed = client.get("/api/v1/quarantine", headers=world.headers(role)).json()
        assert listed["total"] == visible, role
    with engine.begin() as conn:  # a user in enterprise c's division sees none of it
        conn.exec_driver_sql(
            f"UPDATE users SET enterprise_id = {world.enterprise_ids['c']}"
            " WHERE username = 'enterprise'"
        )
    assert (
        client.get("/api/v1/quarantine", headers=world.headers("enterprise")).json()["total"] == 0
    )
    later, wrong = sorted(
        client.get("/api/v1/quarantine", headers=world.headers("admin")).json()["items"],
        key=lambda e: e["record_index"],
    )
    # the reason by its names, the enterprise by its name; an unregistered item has none
    assert (later["code"], later["reason_zh"]) == ("unknown_item", "该数据项未在本单位登记")
    assert later["reason_en"] == "the item is not registered for this enterprise"
    assert later["item_name"] is None
    with engine.connect() as conn:
        name = conn.exec_driver_sql(
            f"SELECT name FROM enterprises WHERE id = {world.enterprise_ids['a']}"
        ).scalar()
    assert later["enterprise_name"] == name
    assert_error_shape(
        client.post(
            f"/api/v1/quarantine/{later['id']}/reprocess", headers=world.headers("enterprise")
        ),
        404,
    )
    with engine.begin() as conn:  # the fix: register the item
        conn.execute(
            insert(data_items).values(
                enterprise_id=world.enterprise_ids["a"],
                code="LATER",
                name="later",
                measures="energy",
                usage="consumption",
                unit="kWh",
                period="hour",
                created_at=0,
            )
        )
    done = client.post(
        f"/api/v1/quarantine/{later['id']}/reprocess", headers=world.headers("district")
    )
    assert done.status_code == 200, done.text
    assert done.json()["entry"]["status"] == "reprocessed"
    assert done.json()["entry"]["enterprise_name"] == name
    assert done.json()["result"]["status"] == "accepted"
    dismissed = client.post(
        f"/api/v1/quarantine/{wrong['id']}/dismiss",
        json={"reason": "test meter"},
        headers=world.headers("regulator"),
    )
    assert dismissed.json()["status"] == "dismissed"
    assert_error_shape(
        client.post(f"/api/v1/quarantine/{wrong['id']}/reprocess", headers=world.headers("admin")),
        409,
        "quarantine_closed",
    )
    assert stored(engine) == 1


def test_messages_prepared_by_a_worker_process_store_alike(settings, engine, world, items) -> None:
    """With a prepare worker (the production default) plain messages are parsed and planned in
    another process; a resend then takes the full path and is answered duplicate; a dead
    worker is replaced, and meanwhile the server prepares messages itself."""
    app = create_app(settings.model_copy(update={"uplink_prepare_workers": 1}), engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        pool = app.state.uplink.pool
        assert pool is not None
        first = message(world, record(0), record(1), message_id="m-w1")
        answer = post(client, world, first)
        assert answer.status_code == 200, answer.text
        assert [r["status"] for r in answer.json()["results"]] == ["accepted", "accepted"]
        assert pool._executor is not None  # the worker prepared it
        again = post(client, world, message(world, record(1), message_id="m-w2"))
        assert [r["status"] for r in again.json()["results"]] == ["duplicate"]
        revised = post(client, world, message(world, record(0, value=6.5), message_id="m-w3"))
        assert [r["status"] for r in revised.json()["results"]] == ["revised"]
        for process in list(pool._executor._processes.values()):  # the worker dies
            process.kill()
            process.join(timeout=30)
        after = post(client, world, message(world, record(2), message_id="m-w4"))
        assert [r["status"] for r in after.json()["results"]] == ["accepted"]  # prepared here
        later = post(client, world, message(world, record(3), message_id="m-w5"))
        assert [r["status"] for r in later.json()["results"]] == ["accepted"]  # a new worker
        assert pool._executor is not None
    assert pool._executor is None  # stopped with the app
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(readings)).scalar_one()
        total = conn.execute(select(func.sum(readings.c.value))).scalar_one()
    assert (stored, total) == (4, 21.5)
