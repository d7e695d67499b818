"""The broker admits only device keys and the platform, and only to their own topics.

A private Mosquitto (`mqtt_broker`) with the dynamic-security plugin, maintained by
`nenghao.ingest.broker_sync` from the device keys.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from mqtt_broker import PrivateBroker
from mqtt_site import (
    MASTER_KEY,
    ConnectRefusedError,
    Gateway,
    MqttClient,
    add_enterprise,
    issue_key,
    message,
    new_code,
    uplink_of,
)
from paho.mqtt.client import MQTTv311

from nenghao.config import Settings
from nenghao.ingest.broker_sync import (
    after_key_change,
    device_mqtt_password,
    sync_broker,
    sync_device,
)
from nenghao.ingest.dynsec import BrokerError
from nenghao.ingest.mqtt import UplinkSubscriber
from nenghao.ingest.protocol import mqtt_ack_topic, mqtt_up_topic
from nenghao.store import devices
from nenghao.store.scope import Scope

WAIT_S = 10


@dataclass
class Tenant:
    code: str
    enterprise_id: int
    key_id: str
    secret: str


@dataclass
class Town:
    """Two enterprises with a key each, the broker in step, and platform settings."""

    broker: PrivateBroker
    settings: Settings
    a: Tenant
    b: Tenant

    def gateway(self, tenant: Tenant, secret: str | None = None) -> Gateway:
        return Gateway(
            self.broker.host, self.broker.port, tenant.code, tenant.key_id, secret or tenant.secret
        )

    def platform(self) -> MqttClient:
        """A client with the platform's credentials (reads every up topic)."""
        password = self.settings.mqtt_password
        assert password is not None
        return MqttClient(
            self.broker.host,
            self.broker.port,
            username=self.settings.mqtt_username,
            password=password.get_secret_value(),
        )


def _tenant(engine) -> Tenant:
    code = new_code()
    enterprise_id = add_enterprise(engine, code)
    return Tenant(code, enterprise_id, *issue_key(engine, enterprise_id))


@pytest.fixture
def town(engine, mqtt_broker: PrivateBroker) -> Town:
    a, b = _tenant(engine), _tenant(engine)
    settings = mqtt_broker.settings()
    sync_broker(uplink_of(engine).credentials, settings)
    return Town(mqtt_broker, settings, a, b)


@pytest.fixture
def gateway_a(town: Town) -> Iterator[Gateway]:
    gateway = town.gateway(town.a)
    yield gateway
    gateway.close()


def test_device_mqtt_password_worked_example() -> None:
    # docs/uplink-protocol.md, appendix F: the MQTT password of secret "demo-secret"
    assert device_mqtt_password("demo-secret") == "yJQ3qfr686DWIYYco0du_TL7Ua0XwsPJZo-hL7N69og"


@pytest.mark.parametrize("version", ["5", "3.1.1"])
def test_anonymous_clients_are_refused(mqtt_broker: PrivateBroker, version: str) -> None:
    from paho.mqtt.client import Client
    from paho.mqtt.enums import CallbackAPIVersion

    if version == "5":
        with pytest.raises(ConnectRefusedError) as refused:
            MqttClient(mqtt_broker.host, mqtt_broker.port)
        assert refused.value.reason.getName() == "Not authorized"
        return
    results: list[object] = []
    client = Client(CallbackAPIVersion.VERSION2, protocol=MQTTv311)
    client.on_connect = lambda _c, _u, _f, reason, _p: results.append(reason)
    client.connect(mqtt_broker.host, mqtt_broker.port)
    while not results:
        client.loop(timeout=1.0)
    client.disconnect()
    assert results[0].is_failure


def test_a_device_reaches_only_its_own_topics(town: Town, gateway_a: Gateway) -> None:
    witness = town.platform()
    try:
        assert not witness.subscribe(mqtt_up_topic("+")).is_failure
        # another enterprise's ack topic, or every ack topic: refused at SUBACK
        for topic in (mqtt_ack_topic(town.b.code), mqtt_ack_topic("+"), "#"):
            assert gateway_a.subscribe(topic).getName() == "Not authorized", topic
        # another enterprise's up topic: refused at PUBACK, and never delivered
        assert gateway_a.publish(mqtt_up_topic(town.b.code), b"foreign").getName() == (
            "Not authorized"
        )
        assert gateway_a.publish(mqtt_ack_topic(town.a.code), b"forged ack").getName() == (
            "Not authorized"
        )
        assert not gateway_a.publish(mqtt_up_topic(town.a.code), b"own").is_failure
        # the broker keeps one publisher's order: the first delivery is the allowed one
        assert witness.next_message() == (mqtt_up_topic(town.a.code), b"own")
    finally:
        witness.close()


def test_a_device_key_needs_its_password_and_its_own_client_id(town: Town) -> None:
    host, port = town.broker.host, town.broker.port
    with pytest.raises(ConnectRefusedError):  # the signing secret itself is not the MQTT password
        MqttClient(host, port, username=town.a.key_id, password=town.a.secret)
    with pytest.raises(ConnectRefusedError):  # nor may it take the platform's session
        MqttClient(
            host,
            port,
            username=town.a.key_id,
            password=device_mqtt_password(town.a.secret),
            client_id=town.settings.mqtt_client_id,
        )


def test_a_revoked_key_is_disconnected_and_refused(engine, town: Town, gateway_a) -> None:
    with engine.begin() as conn:
        devices.revoke(conn, Scope.all(), town.a.key_id, actor="test")
    assert after_key_change(uplink_of(engine).credentials, town.settings, town.a.key_id) is None
    assert gateway_a.wait("disconnect").getName() == "Administrative action"  # closed at once
    with pytest.raises(ConnectRefusedError):
        town.gateway(town.a)


def test_a_key_revoked_behind_the_broker_is_refused_after_a_full_sync(engine, town: Town):
    town.gateway(town.a).close()  # admitted now
    with engine.begin() as conn:
        devices.revoke(conn, Scope.all(), town.a.key_id, actor="test")
    report = sync_broker(uplink_of(engine).credentials, town.settings)
    assert report.deleted == [town.a.key_id]
    with pytest.raises(ConnectRefusedError):
        town.gateway(town.a)
    town.gateway(town.b).close()  # the other enterprise's device is untouched


def test_a_rotated_key_works_with_its_new_secret_only(engine, town: Town) -> None:
    with engine.begin() as conn:
        rotated = devices.rotate(
            conn, Scope.all(), town.a.key_id, master_key=MASTER_KEY, actor="test"
        )
    assert rotated is not None
    new_secret = rotated[1]
    report = sync_device(uplink_of(engine).credentials, town.settings, town.a.key_id)
    assert report.updated == [town.a.key_id]
    with pytest.raises(ConnectRefusedError):
        town.gateway(town.a)  # the old secret's password
    subscriber = UplinkSubscriber(uplink_of(engine), town.settings).start()
    gateway = town.gateway(town.a, secret=new_secret)
    try:
        assert subscriber.subscribed.wait(WAIT_S)
        body = message(town.a.code, town.a.key_id, 8)
        gateway.send(body)
        reply = gateway.reply()
    finally:
        gateway.close()
        subscriber.stop()
    assert reply["results"][0]["status"] == "accepted", reply


def test_sync_is_idempotent_and_keeps_connections(engine, town: Town, gateway_a) -> None:
    again = sync_broker(uplink_of(engine).credentials, town.settings)
    assert (again.created, again.updated, again.deleted, again.roles) == ([], [], [], [])
    assert not gateway_a.publish(mqtt_up_topic(town.a.code), b"still here").is_failure
    assert "disconnect" not in gateway_a.seen


def test_sync_leaves_clients_it_did_not_create(engine, town: Town) -> None:
    from nenghao.ingest.dynsec import DynsecAdmin

    with DynsecAdmin(town.settings) as admin:
        admin.run([{"command": "createClient", "username": "ops-dashboard", "password": "x" * 12}])
    sync_broker(uplink_of(engine).credentials, town.settings)
    with DynsecAdmin(town.settings) as admin:
        [listed] = admin.run([{"command": "getClient", "username": "ops-dashboard"}])
        admin.run([{"command": "deleteClient", "username": "ops-dashboard"}])
    assert listed.error is None


def test_issuing_a_key_through_the_api_admits_the_device_at_once(engine, town: Town, tmp_path):
    from fastapi.testclient import TestClient
    from pydantic import SecretStr

    from nenghao.app import create_app
    from nenghao.store import tokens, users

    settings = town.settings.model_copy(
        update={"secret_key": SecretStr(MASTER_KEY.decode()), "data_dir": tmp_path}
    )
    with engine.begin() as conn:
        user = users.create(
            conn, username="reg", password="pw-long-enough-1", role="regulator", actor="test"
        )
        token = tokens.issue(conn, user["id"], 30).token
    with TestClient(create_app(settings, engine)) as client:
        answer = client.post(
            f"/api/v1/enterprises/{town.b.enterprise_id}/devices",
            headers={"Authorization": f"Bearer {token}"},
            json={"label": "gw-2"},
        )
    assert answer.status_code == 201, answer.text
    issued = answer.json()
    tenant = Tenant(town.b.code, town.b.enterprise_id, issued["key_id"], issued["secret"])
    town.gateway(tenant).close()  # admitted without a full sync


def test_an_unreachable_broker_leaves_the_key_change_standing(engine, town: Town, caplog):
    down = town.settings.model_copy(update={"mqtt_port": 1})
    with caplog.at_level(logging.WARNING, logger="nenghao.mqtt"):
        warning = after_key_change(uplink_of(engine).credentials, down, town.a.key_id)
    assert warning is not None
    assert "nenghao mqtt sync-broker" in warning
    assert "not updated" in caplog.text
    with pytest.raises(BrokerError):
        sync_broker(uplink_of(engine).credentials, down)
    unmanaged = town.settings.model_copy(update={"mqtt_admin_username": None})
    assert after_key_change(uplink_of(engine).credentials, unmanaged, town.a.key_id) is None


def test_sync_broker_command(engine, town: Town, db_url, tmp_path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from nenghao.cli.main import app

    settings = town.settings
    assert settings.mqtt_admin_password is not None
    assert settings.mqtt_password is not None
    environment = {
        "NENGHAO_DATABASE_URL": db_url,
        "NENGHAO_DATA_DIR": str(tmp_path),
        "NENGHAO_SECRET_KEY": MASTER_KEY.decode(),
        "NENGHAO_MQTT_HOST": settings.mqtt_host,
        "NENGHAO_MQTT_PORT": str(settings.mqtt_port),
        "NENGHAO_MQTT_USERNAME": str(settings.mqtt_username),
        "NENGHAO_MQTT_PASSWORD": settings.mqtt_password.get_secret_value(),
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    unmanaged = runner.invoke(app, ["mqtt", "sync-broker"])
    assert unmanaged.exit_code == 2
    assert "NENGHAO_MQTT_ADMIN_USERNAME" in unmanaged.stderr
    monkeypatch.setenv("NENGHAO_MQTT_ADMIN_USERNAME", str(settings.mqtt_admin_username))
    monkeypatch.setenv("NENGHAO_MQTT_ADMIN_PASSWORD", "wrong")
    refused = runner.invoke(app, ["mqtt", "sync-broker"])
    assert refused.exit_code == 1
    assert "refused the admin" in refused.stderr
    monkeypatch.setenv(
        "NENGHAO_MQTT_ADMIN_PASSWORD", settings.mqtt_admin_password.get_secret_value()
    )
    with engine.begin() as conn:
        devices.revoke(conn, Scope.all(), town.b.key_id, actor="test")
    done = runner.invoke(app, ["mqtt", "sync-broker"])
    assert done.exit_code == 0, done.output
    assert "0 clients created, 0 updated, 1 deleted" in done.stdout
    with pytest.raises(ConnectRefusedError):
        town.gateway(town.b)


def test_mqtt_over_tls(engine, town: Town, tls_files) -> None:
    broker = town.broker
    assert broker.tls_port is not None
    settings = town.settings.model_copy(
        update={
            "mqtt_port": broker.tls_port,
            "mqtt_tls": True,
            "mqtt_tls_ca_file": tls_files.cafile,
        }
    )
    with pytest.raises(Exception, match="CERTIFICATE_VERIFY_FAILED"):  # untrusted: refused
        MqttClient(broker.host, broker.tls_port, username="x", password="y", ca_certs=None)
    subscriber = UplinkSubscriber(uplink_of(engine), settings).start()
    gateway = Gateway(
        broker.host,
        broker.tls_port,
        town.a.code,
        town.a.key_id,
        town.a.secret,
        ca_certs=str(tls_files.cafile),
    )
    try:
        assert subscriber.subscribed.wait(WAIT_S)
        gateway.send(message(town.a.code, town.a.key_id, 8))
        reply = gateway.reply()
    finally:
        gateway.close()
        subscriber.stop()
    assert reply["results"][0]["status"] == "accepted", json.dumps(reply)


def test_device_commands_keep_the_broker_in_step(engine, town: Town, db_url, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from nenghao.cli.main import app

    settings = town.settings
    assert settings.mqtt_admin_password is not None
    for name, value in {
        "NENGHAO_DATABASE_URL": db_url,
        "NENGHAO_DATA_DIR": str(tmp_path),
        "NENGHAO_SECRET_KEY": MASTER_KEY.decode(),
        "NENGHAO_MQTT_HOST": settings.mqtt_host,
        "NENGHAO_MQTT_PORT": str(settings.mqtt_port),
        "NENGHAO_MQTT_ADMIN_USERNAME": str(settings.mqtt_admin_username),
        "NENGHAO_MQTT_ADMIN_PASSWORD": settings.mqtt_admin_password.get_secret_value(),
    }.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    issued = runner.invoke(app, ["device", "issue", town.b.code])
    assert issued.exit_code == 0, issued.output
    key_id = issued.stdout.split("issued key ")[1].split()[0]
    secret = issued.stdout.split("secret ")[1].split()[0]
    tenant = Tenant(town.b.code, town.b.enterprise_id, key_id, secret)
    town.gateway(tenant).close()  # admitted at once
    monkeypatch.setenv("NENGHAO_MQTT_PORT", "1")  # the broker is away: the change stands
    revoked = runner.invoke(app, ["device", "revoke", key_id])
    assert revoked.exit_code == 0, revoked.output
    assert "nenghao mqtt sync-broker" in revoked.stderr
    town.gateway(tenant).close()  # still admitted by the broker until the sync...
    sync_broker(uplink_of(engine).credentials, town.settings)
    with pytest.raises(ConnectRefusedError):  # ...which refuses it
        town.gateway(tenant)


def test_the_subscriber_brings_the_broker_in_step_when_it_starts(engine, town: Town) -> None:
    key_id, secret = issue_key(engine, town.b.enterprise_id)  # behind the broker's back
    tenant = Tenant(town.b.code, town.b.enterprise_id, key_id, secret)
    with pytest.raises(ConnectRefusedError):
        town.gateway(tenant)
    subscriber = UplinkSubscriber(uplink_of(engine), town.settings).start()
    try:
        assert subscriber.subscribed.wait(WAIT_S)  # connected after the sync
        gateway = town.gateway(tenant)
        gateway.send(message(tenant.code, key_id, 8))
        reply = gateway.reply()
        gateway.close()
    finally:
        subscriber.stop()
    assert reply["results"][0]["status"] == "accepted", reply
