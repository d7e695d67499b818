"""The MQTT transport end to end, on a private Mosquitto secured as in production.

Each test uses its own enterprise and subscriber client id; the broker (`mqtt_broker`) is one
per test process.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from mqtt_broker import PrivateBroker
from mqtt_site import (
    MASTER_KEY,
    Gateway,
    MqttClient,
    add_enterprise,
    issue_key,
    message,
    new_code,
    uplink_of,
)
from sqlalchemy import func, select

from nenghao.config import Settings
from nenghao.ingest.broker_sync import sync_broker
from nenghao.ingest.mqtt import UplinkSubscriber, handle_envelope, topic_credit_code
from nenghao.ingest.protocol import mqtt_ack_topic, mqtt_up_topic
from nenghao.ingest.signing import seal_envelope
from nenghao.store.schema import readings, uplink_archive

WAIT_S = 10


@pytest.fixture
def plant(engine, mqtt_broker: PrivateBroker) -> Iterator[tuple[Gateway, Settings]]:
    """An enterprise with one hourly item and a connected device; yields (device, settings)."""
    code = new_code()
    key_id, secret = issue_key(engine, add_enterprise(engine, code))
    settings = mqtt_broker.settings(mqtt_subscription=mqtt_up_topic(code))
    sync_broker(uplink_of(engine).credentials, settings)
    gateway = Gateway(mqtt_broker.host, mqtt_broker.port, code, key_id, secret)
    yield gateway, settings
    gateway.close()
    _forget_session(mqtt_broker, settings)


def _forget_session(broker: PrivateBroker, settings: Settings) -> None:
    """Drop the broker's persistent session of a test subscriber (a clean connection)."""
    assert settings.mqtt_password is not None
    MqttClient(
        broker.host,
        broker.port,
        username=settings.mqtt_username,
        password=settings.mqtt_password.get_secret_value(),
        client_id=settings.mqtt_client_id,
    ).close()


def started(engine, settings: Settings) -> UplinkSubscriber:
    subscriber = UplinkSubscriber(uplink_of(engine), settings).start()
    assert subscriber.subscribed.wait(WAIT_S), "the subscriber did not subscribe"
    return subscriber


def stored(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(readings)).scalar_one()


def test_topic_credit_code() -> None:
    assert topic_credit_code("nenghao/v1/91210300MA0XY1234W/up") == "91210300MA0XY1234W"
    for topic in ("nenghao/v1/X/ack", "nenghao/v2/X/up", "nenghao/v1//up", "a/nenghao/v1/X/up"):
        assert topic_credit_code(topic) is None


def test_signed_message_is_stored_then_acknowledged(engine, plant) -> None:
    device, settings = plant
    subscriber = started(engine, settings)
    try:
        body = message(device.credit_code, device.key_id, 8, 9)
        device.send(body)
        reply = device.reply()
    finally:
        subscriber.stop()
    assert "results" in reply, reply.get("error")
    assert reply["message_id"] == body["message_id"]
    assert reply["device_id"] == device.key_id
    assert [r["status"] for r in reply["results"]] == ["accepted", "accepted"]
    assert stored(engine) == 2


@pytest.mark.parametrize("case", ["bad_signature", "stale_timestamp"])
def test_refused_envelopes_get_an_error_ack_and_write_nothing(engine, plant, case) -> None:
    device, settings = plant
    body = message(device.credit_code, device.key_id, 8)
    seal = {
        "bad_signature": {"secret": b"not-the-secret"},
        "stale_timestamp": {"timestamp": int(time.time()) - 1000},
    }[case]
    subscriber = started(engine, settings)
    try:
        device.send(body, **seal)
        reply = device.reply()
    finally:
        subscriber.stop()
    assert reply["error"]["code"] == case, reply
    assert set(reply["error"]) == {"code", "message", "details"}
    assert reply["protocol"] == "nenghao-uplink/1"
    assert reply["message_id"] == body["message_id"]
    assert stored(engine) == 0


def test_replayed_nonce_is_refused(engine, plant) -> None:
    device, settings = plant
    topic, envelope = device.envelope(message(device.credit_code, device.key_id, 8))
    subscriber = started(engine, settings)
    try:
        device.publish(topic, envelope)
        first = device.reply()
        device.publish(topic, envelope)
        second = device.reply()
    finally:
        subscriber.stop()
    assert first["results"][0]["status"] == "accepted"
    assert second["error"]["code"] == "replayed_nonce"
    assert second["message_id"] is not None
    assert stored(engine) == 1


def test_unacknowledged_message_is_redelivered_and_answered_duplicate(engine, plant) -> None:
    device, settings = plant
    body = message(device.credit_code, device.key_id, 8, 9)
    crashing = started(engine, settings)
    crashing._client.ack = lambda _mid, _qos: None  # dies after the commit, before the PUBACK
    try:
        device.send(body)
        first = device.reply()
    finally:
        crashing.stop()
    assert [r["status"] for r in first["results"]] == ["accepted", "accepted"]
    resumed = started(engine, settings)  # same client id: the broker redelivers (DUP)
    try:
        second = device.reply()
    finally:
        resumed.stop()
    assert second["message_id"] == body["message_id"]
    assert [r["status"] for r in second["results"]] == ["duplicate", "duplicate"]
    assert stored(engine) == 2


def test_malformed_envelope_and_foreign_topics(engine, plant) -> None:
    device, _settings = plant
    topic = mqtt_up_topic(device.credit_code)
    reply = handle_envelope(uplink_of(engine), topic, b"{not json")
    assert reply is not None
    assert reply.topic == mqtt_ack_topic(device.credit_code)
    answer = json.loads(reply.body)
    assert answer["error"]["code"] == "malformed_envelope"
    assert answer["message_id"] is None
    assert handle_envelope(uplink_of(engine), "nenghao/v1/x/ack", b"{}") is None


def test_deep_json_is_answered_not_retried(engine, plant) -> None:
    device, _settings = plant
    topic = mqtt_up_topic(device.credit_code)
    deep = b"[" * 100_000 + b"]" * 100_000
    answer = json.loads(handle_envelope(uplink_of(engine), topic, deep).body)
    assert answer["error"]["code"] == "malformed_envelope"
    assert "levels deep" in answer["error"]["message"]
    payload = json.dumps(message(device.credit_code, device.key_id, 8)).encode()
    payload = payload.replace(b'"value": 10.0', b'"value": ' + deep)
    envelope = seal_envelope(device.key_id, device.secret.encode(), topic, payload)
    answer = json.loads(handle_envelope(uplink_of(engine), topic, envelope).body)
    assert answer["error"]["code"] == "json_too_deep"
    with engine.connect() as conn:
        archived = conn.execute(select(uplink_archive.c.status, uplink_archive.c.error_code))
        assert [tuple(row) for row in archived] == [("rejected", "json_too_deep")]
    assert stored(engine) == 0


def test_structural_errors_list_their_problems(engine, plant) -> None:
    device, _settings = plant
    body = message(device.credit_code, device.key_id, 8)
    body["records"][0]["value"] = "many"
    topic, envelope = device.envelope(body)
    answer = json.loads(handle_envelope(uplink_of(engine), topic, envelope).body)
    assert answer["error"]["code"] == "wrong_type"
    assert answer["error"]["details"]["problems"][0]["location"] == "records[0].value"
    assert stored(engine) == 0


def test_the_api_app_runs_the_subscriber_when_enabled(engine, plant, tmp_path) -> None:
    from fastapi.testclient import TestClient
    from pydantic import SecretStr

    from nenghao.app import create_app

    device, settings = plant
    enabled = settings.model_copy(
        update={
            "mqtt_enabled": True,
            "secret_key": SecretStr(MASTER_KEY.decode()),
            "data_dir": tmp_path,
        }
    )
    app = create_app(enabled, engine)
    with TestClient(app):
        assert app.state.mqtt.subscribed.wait(WAIT_S)
        device.send(message(device.credit_code, device.key_id, 7))
        reply = device.reply()
    assert reply["results"][0]["status"] == "accepted"
