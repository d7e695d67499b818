"""``POST /api/v1/uplink/heartbeat``: a gateway's heartbeat, signed like an upload, kept as
the key's latest and shown with the enterprise's device status (stale, clock skew)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from api_support import assert_error_shape, credit_code
from sqlalchemy import func, select

from nenghao.ingest.signing import signed_headers
from nenghao.store import common
from nenghao.store.schema import device_heartbeats

HEARTBEAT = "/api/v1/uplink/heartbeat"


def beat(world, sent_at: datetime, **changes) -> dict:
    body = {
        "protocol": "nenghao-uplink/1",
        "credit_code": credit_code("a", "210302"),
        "device_id": world.key_id,
        "sent_at": sent_at.isoformat(),
        "gateway_version": "1.4.0",
        "interval_s": 300,
        "queue_depth": 12,
        "rejected_count": 1,
        "clock_skew_s": -2.5,
        "meters": [
            {
                "meter": "1# 变压器进线",
                "item": "E-01-M",
                "last_read_at": "2025-05-01T10:00:00+08:00",
            },
            {"meter": "2# 空压机", "item": "E-02-M", "last_read_at": None},
        ],
    }
    body.update(changes)
    return body


def post(client, world, body: dict, **sign):
    raw = json.dumps(body, ensure_ascii=False).encode()
    headers = signed_headers(
        world.key_id, world.device_secret.encode(), "POST", HEARTBEAT, raw, **sign
    )
    return client.post(HEARTBEAT, content=raw, headers=headers)


def status_of(client, world) -> dict:
    regulator = world.headers("regulator")
    detail = client.get(
        f"/api/v1/enterprises/{world.enterprise_ids['a']}/status", headers=regulator
    )
    assert detail.status_code == 200, detail.text
    (key,) = detail.json()["credentials"]
    return key


def test_a_heartbeat_is_kept_and_shown_with_the_device_status(client, world, engine) -> None:
    assert status_of(client, world)["heartbeat"] is None
    now = common.now()
    sent = datetime.fromtimestamp(now - 40, UTC)  # the gateway's clock 40 s behind
    answer = post(client, world, beat(world, sent))
    assert answer.status_code == 200, answer.text
    ack = answer.json()
    assert ack["device_id"] == world.key_id
    assert 40 <= ack["clock_skew_s"] <= 45  # received_at − sent_at, platform − gateway
    assert ack["skew_beyond_tolerance"] is False
    shown = status_of(client, world)["heartbeat"]
    assert shown["gateway_version"] == "1.4.0"
    assert (shown["queue_depth"], shown["rejected_count"]) == (12, 1)
    assert shown["reported_skew_s"] == -2.5
    assert shown["stale"] is False
    assert shown["meters"][0] == {
        "meter": "1# 变压器进线",
        "item": "E-01-M",
        # 10:00 CST = 02:00 UTC
        "last_read_at": "2025-05-01T02:00:00Z",
    }
    assert shown["meters"][1]["last_read_at"] is None
    # a second heartbeat replaces the first: one row per key
    later = datetime.fromtimestamp(now, UTC)
    assert post(client, world, beat(world, later, queue_depth=0)).status_code == 200
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(device_heartbeats)).scalar() == 1
    assert status_of(client, world)["heartbeat"]["queue_depth"] == 0


def test_skew_beyond_the_window_and_a_stale_heartbeat_show(client, world) -> None:
    now = common.now()
    # the gateway's clock 250 s behind: the signature passes (±300 s) ...
    answer = post(
        client,
        world,
        beat(world, datetime.fromtimestamp(now - 250, UTC), interval_s=60),
        timestamp=now - 250,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["skew_beyond_tolerance"] is False
    # ... a sent_at 400 s behind is beyond the tolerance; 3 intervals of 60 s are past
    answer = post(client, world, beat(world, datetime.fromtimestamp(now - 400, UTC), interval_s=60))
    assert answer.status_code == 200, answer.text
    assert answer.json()["skew_beyond_tolerance"] is True
    shown = status_of(client, world)["heartbeat"]
    assert shown["skew_beyond_tolerance"] is True
    assert shown["clock_skew_s"] >= 400
    assert shown["stale"] is False  # received just now


def test_refusals(client, world) -> None:
    now = datetime.fromtimestamp(common.now(), UTC)
    unsigned = client.post(HEARTBEAT, content=b"{}")
    assert_error_shape(unsigned, 401, "missing_signature_field")
    bad = post(client, world, beat(world, now, queue_depth="12", extra=1))
    assert bad.status_code == 422
    codes = {p["code"] for p in bad.json()["error"]["details"]["problems"]}
    assert codes == {"wrong_type", "unexpected_field"}
    other = post(client, world, beat(world, now, credit_code=credit_code("c", "210381")))
    assert other.status_code == 403
    assert other.json()["error"]["code"] == "enterprise_mismatch"
    first = post(client, world, beat(world, now), nonce="n" * 20)
    assert first.status_code == 200
    replay = post(client, world, beat(world, now), nonce="n" * 20)
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "replayed_nonce"
