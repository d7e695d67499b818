"""MQTT replies never tell one enterprise about another's devices or messages.

An envelope on another enterprise's ``up`` topic (which the broker's ACLs refuse; here it
comes from a misconfigured broker or a client with a broader role) is answered only on the
sender's own ``ack`` topic when it authenticates, and dropped with a log line when it does
not but names another enterprise's key.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import pytest
from mqtt_broker import PrivateBroker
from mqtt_site import (
    Gateway,
    MqttClient,
    add_enterprise,
    issue_key,
    message,
    new_code,
    uplink_of,
)
from sqlalchemy import func, select

from nenghao.ingest.broker_sync import sync_broker
from nenghao.ingest.dynsec import DynsecAdmin
from nenghao.ingest.mqtt import UplinkSubscriber, handle_envelope
from nenghao.ingest.protocol import mqtt_ack_topic, mqtt_up_topic
from nenghao.ingest.signing import seal_envelope
from nenghao.store import devices
from nenghao.store.schema import readings, uplink_archive
from nenghao.store.scope import Scope

WAIT_S = 10


@dataclass
class Tenant:
    code: str
    enterprise_id: int
    key_id: str
    secret: str

    def envelope(self, topic_code: str, *, secret: bytes | None = None) -> tuple[str, bytes]:
        """A message of this tenant's device, sealed for the up topic of `topic_code`."""
        topic = mqtt_up_topic(topic_code)
        body = json.dumps(message(self.code, self.key_id, 8)).encode()
        return topic, seal_envelope(self.key_id, secret or self.secret.encode(), topic, body)


@pytest.fixture
def pair(engine) -> tuple[Tenant, Tenant]:
    tenants = []
    for _ in range(2):
        code = new_code()
        enterprise_id = add_enterprise(engine, code)
        tenants.append(Tenant(code, enterprise_id, *issue_key(engine, enterprise_id)))
    return tenants[0], tenants[1]


def _archives(engine) -> list[tuple[int, str]]:
    with engine.connect() as conn:
        rows = conn.execute(select(uplink_archive.c.enterprise_id, uplink_archive.c.status))
        return [tuple(row) for row in rows]


def _readings(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(readings)).scalar_one()


def test_an_authenticated_envelope_on_a_foreign_topic_is_answered_to_its_sender(
    engine, pair, caplog
) -> None:
    a, b = pair
    with caplog.at_level(logging.WARNING, logger="nenghao.mqtt"):
        reply = handle_envelope(uplink_of(engine), *a.envelope(b.code))
    assert reply is not None
    assert reply.topic == mqtt_ack_topic(a.code)  # never b's
    assert json.loads(reply.body)["error"]["code"] == "enterprise_mismatch"
    assert f"published on {mqtt_up_topic(b.code)}" in caplog.text
    assert _archives(engine) == [(a.enterprise_id, "rejected")]  # on the sender's record
    assert _readings(engine) == 0


@pytest.mark.parametrize("case", ["bad_signature", "revoked"])
def test_an_unauthenticated_envelope_naming_a_foreign_key_is_dropped(
    engine, pair, caplog, case
) -> None:
    a, b = pair
    secret = b"not-the-secret" if case == "bad_signature" else None
    if case == "revoked":
        with engine.begin() as conn:
            devices.revoke(conn, Scope.all(), a.key_id, actor="test")
    with caplog.at_level(logging.WARNING, logger="nenghao.mqtt"):
        reply = handle_envelope(uplink_of(engine), *a.envelope(b.code, secret=secret))
    assert reply is None
    assert "dropped an unauthenticated envelope" in caplog.text
    assert a.code in caplog.text
    assert _archives(engine) == []


def test_unauthenticated_envelopes_of_the_topics_own_or_unknown_keys_are_answered(
    engine, pair
) -> None:
    _a, b = pair
    own = handle_envelope(uplink_of(engine), *b.envelope(b.code, secret=b"not-the-secret"))
    assert own is not None
    assert own.topic == mqtt_ack_topic(b.code)
    assert json.loads(own.body)["error"]["code"] == "bad_signature"
    stranger = Tenant(b.code, b.enterprise_id, "nhk_0000000000000000", b.secret)
    unknown = handle_envelope(uplink_of(engine), *stranger.envelope(b.code))
    assert unknown is not None
    assert unknown.topic == mqtt_ack_topic(b.code)
    assert json.loads(unknown.body)["error"]["code"] == "unknown_key"


def test_through_a_broker_that_lets_the_envelope_through(
    engine, pair, mqtt_broker: PrivateBroker
) -> None:
    a, b = pair
    settings = mqtt_broker.settings(mqtt_subscription=mqtt_up_topic("+"))
    sync_broker(uplink_of(engine).credentials, settings)
    rogue_role = {"acltype": "publishClientSend", "topic": mqtt_up_topic("+"), "allow": True}
    with DynsecAdmin(settings) as admin:
        admin.run(
            [
                {"command": "createRole", "rolename": "test-rogue", "acls": [rogue_role]},
                {
                    "command": "createClient",
                    "username": "test-rogue",
                    "password": "rogue-password",
                    "roles": [{"rolename": "test-rogue"}],
                },
            ]
        )
    host, port = mqtt_broker.host, mqtt_broker.port
    gateway_a = Gateway(host, port, a.code, a.key_id, a.secret)
    gateway_b = Gateway(host, port, b.code, b.key_id, b.secret)
    rogue = MqttClient(host, port, username="test-rogue", password="rogue-password")
    subscriber = UplinkSubscriber(uplink_of(engine), settings).start()
    try:
        assert subscriber.subscribed.wait(WAIT_S)
        assert not rogue.publish(*a.envelope(b.code)).is_failure
        assert gateway_a.reply()["error"]["code"] == "enterprise_mismatch"
        gateway_b.send(message(b.code, b.key_id, 9))
        own = gateway_b.reply()  # b's first answer is its own: nothing of a's came before
        assert own["device_id"] == b.key_id
        assert own["results"][0]["status"] == "accepted"
    finally:
        subscriber.stop()
        for client in (gateway_a, gateway_b, rogue):
            client.close()
        with DynsecAdmin(settings) as admin:
            admin.run(
                [
                    {"command": "deleteClient", "username": "test-rogue"},
                    {"command": "deleteRole", "rolename": "test-rogue"},
                ]
            )
