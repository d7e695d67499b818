"""Gateways and enterprises for the MQTT tests on the private broker (`mqtt_broker`)."""

from __future__ import annotations

import json
import queue
import uuid
from typing import Any

from paho.mqtt.client import Client, MQTTv5
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.reasoncodes import ReasonCode
from sqlalchemy import Engine

from factories import add_item
from nenghao.ingest.broker_sync import device_mqtt_password
from nenghao.ingest.protocol import mqtt_ack_topic, mqtt_up_topic
from nenghao.ingest.ratelimit import TokenBucket
from nenghao.ingest.service import UplinkService
from nenghao.ingest.signing import seal_envelope
from nenghao.store import devices, enterprises
from nenghao.store.credit_code import make_credit_code
from nenghao.store.scope import Scope

MASTER_KEY = b"k" * 32
WAIT_S = 10


def uplink_of(engine: Engine, rate: TokenBucket | None = None) -> UplinkService:
    """An uplink service on `engine` with the tests' master key (and per-device `rate`)."""
    return UplinkService(engine, master_key=MASTER_KEY, rate=rate)


def new_code() -> str:
    return make_credit_code("210302", f"MA{uuid.uuid4().hex[:7].upper()}")


def add_enterprise(engine: Engine, code: str) -> int:
    """An enterprise with one hourly electricity item ``E-01``; its id."""
    with engine.begin() as conn:
        row = enterprises.create(
            conn,
            Scope.all(),
            {
                "credit_code": code,
                "name": f"鞍山测试 {code[-6:]}",
                "division_code": "210302",
                "industry_code": "3110",
            },
            actor="test",
        )
        add_item(conn, row["id"], "E-01", name="用电", unit="kWh")
    return int(row["id"])


def issue_key(engine: Engine, enterprise_id: int) -> tuple[str, str]:
    """A new device key of the enterprise: (key id, secret)."""
    with engine.begin() as conn:
        issued = devices.issue(
            conn, Scope.all(), enterprise_id, master_key=MASTER_KEY, actor="test"
        )
    assert issued is not None
    return issued[0]["key_id"], issued[1]


def message(code: str, key_id: str, *hours: int, value: float = 10.0) -> dict[str, Any]:
    return {
        "protocol": "nenghao-uplink/1",
        "credit_code": code,
        "device_id": key_id,
        "sent_at": "2025-05-01T10:00:00+08:00",
        "message_id": f"m-{uuid.uuid4().hex[:12]}",
        "records": [
            {
                "item": "E-01",
                "period": "hour",
                "start": f"2025-05-01T{hour:02d}:00:00+08:00",
                "value": value,
                "unit": "kWh",
            }
            for hour in hours
        ],
    }


class ConnectRefusedError(Exception):
    """The broker refused the connection (CONNACK reason)."""

    def __init__(self, reason: ReasonCode) -> None:
        super().__init__(str(reason))
        self.reason = reason


class MqttClient:
    """A test client (MQTT 5, so that PUBACK and SUBACK carry the broker's reason codes)."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        username: str | None = None,
        password: str | None = None,
        client_id: str | None = None,
        **tls: Any,
    ) -> None:
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.seen: list[str] = []
        self.messages: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self.client = Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id or f"test-{uuid.uuid4().hex}",
            protocol=MQTTv5,
        )
        if tls:
            self.client.tls_set(**tls)
        if username is not None:
            self.client.username_pw_set(username, password)
        self.client.on_connect = lambda _c, _u, _f, rc, _p: self.events.put(("connect", rc))
        self.client.on_subscribe = lambda _c, _u, _m, rcs, _p: self.events.put(("subscribe", rcs))
        self.client.on_publish = lambda _c, _u, mid, rc, _p: self.events.put(("publish", (mid, rc)))
        self.client.on_disconnect = lambda _c, _u, _f, rc, _p: self.events.put(("disconnect", rc))
        self.client.on_message = lambda _c, _u, m: self.messages.put((m.topic, m.payload))
        self.client.connect(host, port)
        self.client.loop_start()
        reason = self.wait("connect")
        if reason.is_failure:
            self.close()
            raise ConnectRefusedError(reason)

    def wait(self, kind: str) -> Any:
        """The next event of `kind` (every event is noted in `seen`)."""
        while True:
            event, value = self.events.get(timeout=WAIT_S)
            self.seen.append(event)
            if event == kind:
                return value

    def subscribe(self, topic: str) -> ReasonCode:
        self.client.subscribe(topic, qos=1)
        return self.wait("subscribe")[0]

    def publish(self, topic: str, body: bytes) -> ReasonCode:
        """Publish with QoS 1; the broker's PUBACK reason."""
        mid = self.client.publish(topic, body, qos=1).mid
        while True:
            got, reason = self.wait("publish")
            if got == mid:
                return reason

    def next_message(self) -> tuple[str, bytes]:
        return self.messages.get(timeout=WAIT_S)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


class Gateway(MqttClient):
    """A device: connects with its key, reads its ack topic, publishes signed envelopes."""

    def __init__(
        self, host: str, port: int, credit_code: str, key_id: str, secret: str, **tls: Any
    ) -> None:
        self.credit_code, self.key_id, self.secret = credit_code, key_id, secret
        super().__init__(
            host,
            port,
            username=key_id,
            password=device_mqtt_password(secret),
            client_id=key_id,
            **tls,
        )
        granted = self.subscribe(mqtt_ack_topic(credit_code))
        assert not granted.is_failure, granted

    def envelope(
        self, body: dict[str, Any], *, topic_code: str | None = None, **seal: Any
    ) -> tuple[str, bytes]:
        topic = mqtt_up_topic(topic_code or self.credit_code)
        payload = json.dumps(body).encode()
        secret = seal.pop("secret", self.secret.encode())
        return topic, seal_envelope(self.key_id, secret, topic, payload, **seal)

    def send(self, body: dict[str, Any], **seal: Any) -> ReasonCode:
        return self.publish(*self.envelope(body, **seal))

    def reply(self) -> dict[str, Any]:
        topic, payload = self.next_message()
        assert topic == mqtt_ack_topic(self.credit_code)
        return json.loads(payload)
