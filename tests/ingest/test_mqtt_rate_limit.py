"""MQTT uplinks share the per-device rate limit of HTTPS (one `TokenBucket`, same settings)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from mqtt_broker import PrivateBroker
from mqtt_site import MASTER_KEY, Gateway, add_enterprise, issue_key, new_code, uplink_of
from sqlalchemy import func, select

from nenghao.ingest.broker_sync import sync_broker
from nenghao.ingest.mqtt import handle_envelope
from nenghao.ingest.protocol import mqtt_ack_topic, mqtt_up_topic
from nenghao.ingest.ratelimit import TokenBucket
from nenghao.ingest.signing import seal_envelope, signed_headers
from nenghao.store.schema import readings

WAIT_S = 10
FIRST_HOUR = datetime.fromisoformat("2025-04-30T00:00:00+08:00")


def body(code: str, key_id: str, index: int) -> bytes:
    """A message with one hourly record, the `index`-th hour from `FIRST_HOUR`."""
    start = (FIRST_HOUR + timedelta(hours=index)).isoformat()
    record = {"item": "E-01", "period": "hour", "start": start, "value": 1.0, "unit": "kWh"}
    message = {
        "protocol": "nenghao-uplink/1",
        "credit_code": code,
        "device_id": key_id,
        "sent_at": "2025-05-02T10:00:00+08:00",
        "message_id": f"m-{index}",
        "records": [record],
    }
    return json.dumps(message).encode()


@pytest.fixture
def device(engine) -> tuple[str, str, str]:
    """(credit code, key id, secret) of a device whose enterprise has item E-01."""
    code = new_code()
    return code, *issue_key(engine, add_enterprise(engine, code))


def _stored(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(readings)).scalar_one()


def test_thirty_back_to_back_envelopes_get_the_burst_then_rate_limited(engine, device) -> None:
    code, key_id, secret = device
    topic = mqtt_up_topic(code)
    clock = [1000.0]
    uplink = uplink_of(engine, TokenBucket(rate=5.0, burst=20, clock=lambda: clock[0]))
    envelopes = [
        seal_envelope(key_id, secret.encode(), topic, body(code, key_id, i)) for i in range(30)
    ]
    replies = [handle_envelope(uplink, topic, e) for e in envelopes]
    answers = [json.loads(r.body) for r in replies if r is not None]
    assert {r.topic for r in replies if r is not None} == {mqtt_ack_topic(code)}
    assert [("results" in a) for a in answers] == [True] * 20 + [False] * 10
    limited = answers[20]
    assert limited["error"]["code"] == "rate_limited"
    assert limited["error"]["details"] == {"retry_after_s": 1}  # one token in 0.2 s
    assert limited["message_id"] == "m-20"
    assert _stored(engine) == 20
    # a refused envelope's nonce is not used up: once tokens are back, it is stored
    clock[0] += 1.0
    again = json.loads(handle_envelope(uplink, topic, envelopes[20]).body)
    assert again["results"][0]["status"] == "accepted", again
    assert _stored(engine) == 21


def test_https_and_mqtt_draw_on_one_budget_per_device(
    engine, device, mqtt_broker: PrivateBroker, tmp_path
) -> None:
    from fastapi.testclient import TestClient
    from pydantic import SecretStr

    from nenghao.app import create_app
    from nenghao.ingest.protocol import HTTP_PATH

    code, key_id, secret = device
    settings = mqtt_broker.settings(
        mqtt_subscription=mqtt_up_topic(code),
        mqtt_enabled=True,
        secret_key=SecretStr(MASTER_KEY.decode()),
        data_dir=tmp_path,
        uplink_burst=2,
        uplink_rate_per_s=0.01,
    )
    sync_broker(uplink_of(engine).credentials, settings)
    gateway = Gateway(mqtt_broker.host, mqtt_broker.port, code, key_id, secret)
    app = create_app(settings, engine)
    try:
        with TestClient(app) as client:
            assert app.state.mqtt.subscribed.wait(WAIT_S)
            for index in range(2):
                payload = body(code, key_id, index)
                headers = signed_headers(key_id, secret.encode(), "POST", HTTP_PATH, payload)
                answer = client.post(HTTP_PATH, content=payload, headers=headers)
                assert answer.status_code == 200, answer.text
            topic = mqtt_up_topic(code)
            gateway.publish(
                topic, seal_envelope(key_id, secret.encode(), topic, body(code, key_id, 2))
            )
            reply = gateway.reply()
    finally:
        gateway.close()
    assert reply["error"]["code"] == "rate_limited", reply
    assert 90 <= reply["error"]["details"]["retry_after_s"] <= 100  # a token per 100 s
    assert _stored(engine) == 2
