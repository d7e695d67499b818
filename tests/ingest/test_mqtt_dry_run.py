"""MQTT: a dry run is answered like a real message and stores nothing; the ack has the HTTPS
shape (no null fields)."""

from __future__ import annotations

import json
import time

from mqtt_site import add_enterprise, issue_key, message, new_code, uplink_of
from sqlalchemy import func, select

from nenghao.ingest.mqtt import handle_envelope
from nenghao.ingest.protocol import mqtt_ack_topic, mqtt_up_topic
from nenghao.ingest.signing import seal_envelope
from nenghao.store.schema import quarantine, readings, rollups, uplink_archive, uplink_nonces


def _counts(engine) -> tuple[int, ...]:
    with engine.connect() as conn:
        return tuple(
            conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (readings, rollups, quarantine, uplink_archive, uplink_nonces)
        )


def _nulls(value) -> list[str]:
    if isinstance(value, dict):
        return [k for k, v in value.items() if v is None] + [
            n for v in value.values() for n in _nulls(v)
        ]
    if isinstance(value, list):
        return [n for v in value for n in _nulls(v)]
    return []


def _send(engine, code: str, key_id: str, secret: str, body: dict) -> dict:
    topic = mqtt_up_topic(code)
    payload = json.dumps(body).encode()
    envelope = seal_envelope(key_id, secret.encode(), topic, payload, timestamp=int(time.time()))
    reply = handle_envelope(uplink_of(engine), topic, envelope)
    assert reply is not None
    assert reply.topic == mqtt_ack_topic(code)
    return json.loads(reply.body)


def test_mqtt_dry_run_stores_nothing_and_answers_as_the_real_message(engine) -> None:
    code = new_code()
    key_id, secret = issue_key(engine, add_enterprise(engine, code))
    body = message(code, key_id, 1, 2)
    body["records"].append({**body["records"][0], "item": "NOPE"})
    before = _counts(engine)
    dry = _send(engine, code, key_id, secret, {**body, "dry_run": True})
    assert _counts(engine) == before
    assert dry["dry_run"] is True
    real = _send(engine, code, key_id, secret, body)
    assert "dry_run" not in real
    assert dry["results"] == real["results"]
    assert [r["status"] for r in real["results"]] == ["accepted", "accepted", "rejected"]
    # One shape with HTTPS: fields that are None are left out, never sent as null.
    assert _nulls(real) == []
    assert real["results"][0] == {"index": 0, "status": "accepted", "revision": 1}
    assert set(real["results"][2]) == {"index", "status", "code", "message"}
