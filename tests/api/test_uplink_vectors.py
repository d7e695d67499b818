"""The conformance vectors (docs/uplink-vectors/) against the platform: its signing and
sealing, and every error answer over HTTPS and MQTT; Appendix A's example accepted once the
enterprise has its items; appendix C's transport answers as the server has them."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from api_support import assert_error_shape, credit_code
from fastapi.testclient import TestClient
from sqlalchemy import insert
from uplink_vectors import check_mqtt_password, check_sealer, check_signer, fill, load

from nenghao.api.error_language import ZH
from nenghao.api.routers.uplink import DEVICE_ANSWERS
from nenghao.app import create_app
from nenghao.ingest.broker_sync import device_mqtt_password
from nenghao.ingest.mqtt import handle_envelope
from nenghao.ingest.ratelimit import TokenBucket
from nenghao.ingest.signing import seal_envelope, sign, signed_headers
from nenghao.store import devices, enterprises
from nenghao.store.schema import data_items
from nenghao.store.scope import Scope

DOC = Path(__file__).resolve().parents[2] / "docs" / "uplink-protocol.md"
ANSWERS = load("answers")


def test_the_platform_signs_and_seals_as_the_vectors_say() -> None:
    assert check_signer(sign) == 4  # POST, two GETs, MQTT
    check_mqtt_password(device_mqtt_password)
    assert check_sealer(
        lambda key, secret, topic, payload, ts, nonce: seal_envelope(
            key, secret, topic, payload, timestamp=ts, nonce=nonce
        )
    )


@pytest.fixture
def item(engine, world) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(data_items).values(
                enterprise_id=world.enterprise_ids["a"],
                code="E-01",
                name="全厂电力",
                measures="energy",
                usage="consumption",
                unit="kWh",
                period="hour",
                created_at=0,
            )
        )


def _values(world, nonce: str, timestamp: int) -> dict[str, object]:
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
    return {
        "$credit_code": credit_code("a", "210302"),
        "$key_id": world.key_id,
        "$hour": hour.isoformat(),
        "$now": datetime.now(UTC).isoformat(),
        "$nonce": nonce,
        "$timestamp": str(timestamp),
    }


def _https(client, world, vector) -> object:
    tamper = vector.get("tamper", {})
    timestamp = int(time.time()) + tamper.get("timestamp_offset", 0)
    nonce = f"vector-{vector['name']}-{time.time_ns()}"[:64]
    values = _values(world, nonce, timestamp)
    vector = fill(vector, values)
    if "message" in vector:
        body = json.dumps(vector["message"]).encode()
    elif "body_size" in vector:
        body = b" " * vector["body_size"]
    else:
        body = vector.get("body", "").encode()
    key = tamper.get("key", world.key_id)
    headers = signed_headers(
        key,
        world.device_secret.encode(),
        vector["method"],
        vector["path"],
        body,
        timestamp=timestamp,
        nonce=nonce,
    )
    if "header" in tamper:
        headers[tamper["header"]] = tamper["value"]
    headers.pop(tamper.get("drop_header", ""), None)
    if tamper.get("rate_limited"):
        client.app.state.uplink.rate = TokenBucket(0.001, 1)
        client.request(vector["method"], vector["path"], content=body, headers=headers)
        headers = signed_headers(
            key, world.device_secret.encode(), vector["method"], vector["path"], body
        )
    if tamper.get("send_twice"):
        client.request(vector["method"], vector["path"], content=body, headers=headers)
    if vector["method"] == "GET":
        return client.get(vector["path"], headers=headers)
    return client.request(vector["method"], vector["path"], content=body, headers=headers)


@pytest.mark.parametrize("name", sorted(n for n, v in ANSWERS.items() if v["transport"] == "https"))
def test_https_answers_as_the_vectors_say(name, client, world, item) -> None:
    vector = ANSWERS[name]
    response = _https(client, world, vector)
    expect = vector["expect"]
    assert response.status_code == expect["status"], response.text
    if "code" in expect:
        error = assert_error_shape(response, expect["status"], expect["code"])
        if "problems" in expect:
            assert [p["code"] for p in error["details"]["problems"]] == expect["problems"]
        for header in expect.get("headers", []):
            assert header in response.headers
        return
    body = response.json()
    for key in ("results", "dry_run", "total"):
        if key in expect:
            got = body[key]
            if key == "results":  # the vector names the fields it fixes
                got = [{k: r[k] for k in want} for r, want in zip(got, expect[key], strict=True)]
            assert got == expect[key], body
    if "results" in body:
        assert "null" not in response.text  # no null field in an ack


@pytest.mark.parametrize("name", sorted(n for n, v in ANSWERS.items() if v["transport"] == "mqtt"))
def test_mqtt_answers_as_the_vectors_say(name, client, world, item) -> None:
    vector = ANSWERS[name]
    tamper = vector.get("tamper", {})
    timestamp = int(time.time()) + tamper.get("timestamp_offset", 0)
    nonce = f"vector-{name}-{time.time_ns()}"[:64]
    vector = fill(vector, _values(world, nonce, timestamp))
    service = client.app.state.uplink
    topic = vector["path"]
    if "envelope_text" in vector:
        envelope = vector["envelope_text"].encode()
    else:
        payload = json.dumps(vector["message"]).encode()
        secret = world.device_secret.encode()
        sealed = json.loads(
            seal_envelope(world.key_id, secret, topic, payload, timestamp=timestamp, nonce=nonce)
        )
        if "field" in tamper:
            sealed[tamper["field"]] = tamper["value"]
        sealed.pop(tamper.get("drop_field", ""), None)
        if tamper.get("string_timestamp"):
            sealed["timestamp"] = str(sealed["timestamp"])
        envelope = json.dumps(sealed).encode()
    if tamper.get("rate_limited"):
        service.rate = TokenBucket(0.001, 1)
        service.rate.take(world.key_id)
    reply = handle_envelope(service, topic, envelope)
    assert reply is not None
    assert reply.topic == topic.removesuffix("/up") + "/ack"
    body = json.loads(reply.body)
    expect = vector["expect"]
    if "heartbeat" in expect:  # the HTTPS answer plus the envelope's nonce
        assert set(body) == {*expect["heartbeat"], "received_at"}
        skew = body.pop("clock_skew_s")
        assert abs(skew) <= 2  # $now was the instant of sending
        assert body.pop("received_at").endswith("Z")
        assert body == {k: v for k, v in expect["heartbeat"].items() if k != "clock_skew_s"}
        return
    if "results" in expect:
        got = [
            {k: r[k] for k in w} for r, w in zip(body["results"], expect["results"], strict=True)
        ]
        assert got == expect["results"]
        assert b"null" not in reply.body
        return
    assert set(body) == {"protocol", "message_id", "device_id", "nonce", "error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == expect["code"]
    for key in ("message_id", "device_id", "nonce"):
        assert body[key] == expect[key], key
    if "problems" in expect:
        assert [p["code"] for p in body["error"]["details"]["problems"]] == expect["problems"]
    for key in expect.get("details", []):
        assert key in body["error"]["details"]


def test_appendix_a_is_accepted_once_the_enterprise_has_its_items(settings, engine) -> None:
    text = DOC.read_text(encoding="utf-8")
    example = json.loads(re.findall(r"```json\n(.*?)```", text[text.index("### A ") :], re.S)[0])
    with engine.begin() as conn:
        enterprise = enterprises.create(
            conn,
            Scope.all(),
            {
                "credit_code": example["credit_code"],
                "name": "鞍钢示例",
                "division_code": "210302",
                "industry_code": "3110",
            },
            actor="test",
        )
        for code, period, kind, unit in (
            ("E-01", "hour", "interval", "kWh"),
            ("E-01-M", "15min", "register", "kWh"),
            ("G-BFG", "day", "interval", "万m3"),
            ("E-02-M", "hour", "register", "kWh"),
        ):
            conn.execute(
                insert(data_items).values(
                    enterprise_id=enterprise["id"],
                    code=code,
                    name=code,
                    measures="energy",
                    usage="consumption",
                    unit=unit,
                    period=period,
                    value_kind=kind,
                    created_at=0,
                )
            )
    app = create_app(settings, engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        master = app.state.uplink.credentials.master_key()
        with engine.begin() as conn:
            device, secret = devices.issue(
                conn, Scope.all(), enterprise["id"], master_key=master, label="gw", actor="test"
            )
        key = device["key_id"]
        assert re.fullmatch(r"nhk_[0-9a-f]{16}", key)  # the platform assigns key ids
        items_path = "/api/v1/uplink/items"
        found = client.get(
            items_path, headers=signed_headers(key, secret.encode(), "GET", items_path, b"")
        ).json()
        assert [i["code"] for i in found["items"]] == ["E-01", "E-01-M", "E-02-M", "G-BFG"]
        example["device_id"] = key
        body = json.dumps(example, ensure_ascii=False).encode()
        headers = signed_headers(key, secret.encode(), "POST", "/api/v1/uplink", body)
        response = client.post("/api/v1/uplink", content=body, headers=headers)
    assert response.status_code == 200, response.text
    assert [r["status"] for r in response.json()["results"]] == ["accepted"] * 4


def test_appendix_c_lists_the_transport_answers_the_server_has() -> None:
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index("### C 原因码") : text.index("### D ")]
    rows = re.findall(
        r"^\| `([a-z_]+)` \| ([0-9]{3}) \| (ack|—) \| ([a-z]+) \| (.+?) \| (.+?) \|$", table, re.M
    )
    documented = {code: (int(status), retry, zh) for code, status, _m, retry, zh, _en in rows}
    assert documented == {
        code: (status, retry, ZH[code]) for code, (status, retry) in DEVICE_ANSWERS.items()
    }
    # Each answer a vector pins is documented (reason codes or transport answers).
    pinned = {v["expect"]["code"] for v in ANSWERS.values() if "code" in v["expect"]}
    reason_rows = set(re.findall(r"^\| `([a-z_]+)` \| [a-z]+ \|", table, re.M))
    assert pinned <= reason_rows | set(documented)
