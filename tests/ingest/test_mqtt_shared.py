"""Several API nodes on one broker: MQTT 5 shared subscriptions split the envelopes, and each
envelope is stored and answered once (two subscribers through the private Mosquitto)."""

from __future__ import annotations

import pytest
from mqtt_broker import PrivateBroker
from mqtt_site import add_enterprise, issue_key, message, new_code, uplink_of
from sqlalchemy import func, select
from test_mqtt_broker import WAIT_S, Tenant, Town

from nenghao.ingest.broker_sync import sync_broker
from nenghao.ingest.mqtt import UplinkSubscriber
from nenghao.ingest.mqtt_link import shared_filters
from nenghao.store.schema import readings, uplink_archive

MESSAGES = 24


def test_shared_filters_of_a_group() -> None:
    assert shared_filters("nenghao/v1/+/up, a/b", "nenghao") == [
        "$share/nenghao/nenghao/v1/+/up",
        "$share/nenghao/a/b",
    ]
    assert shared_filters("nenghao/v1/+/up", "") == ["nenghao/v1/+/up"]


@pytest.fixture
def town(engine, mqtt_broker: PrivateBroker) -> Town:
    tenants = []
    for _ in range(2):
        code = new_code()
        enterprise_id = add_enterprise(engine, code)
        tenants.append(Tenant(code, enterprise_id, *issue_key(engine, enterprise_id)))
    settings = mqtt_broker.settings()
    sync_broker(uplink_of(engine).credentials, settings)
    return Town(mqtt_broker, settings, *tenants)


def test_two_subscribers_split_the_envelopes_and_store_each_once(engine, town: Town) -> None:
    handled: dict[str, int] = {}
    nodes = []
    for name in ("node-1", "node-2"):
        uplink = uplink_of(engine)
        ingest = uplink.ingest

        def counted(*args, _name=name, _ingest=ingest, **kwargs):
            if kwargs.get("ticket") is None:  # not the service's own call with its ticket
                handled[_name] = handled.get(_name, 0) + 1
            return _ingest(*args, **kwargs)

        uplink.ingest = counted  # type: ignore[method-assign]
        client_id = f"{town.settings.mqtt_client_id}-{name}"  # each node its own session
        settings = town.settings.model_copy(update={"mqtt_client_id": client_id})
        nodes.append(UplinkSubscriber(uplink, settings).start())
    gateway = town.gateway(town.a)
    try:
        for node in nodes:
            assert node.subscribed.wait(WAIT_S)
        for m in range(MESSAGES):
            gateway.send(message(town.a.code, town.a.key_id, m % 24, value=float(m)))
        replies = [gateway.reply() for _ in range(MESSAGES)]
        with pytest.raises(Exception):  # noqa: B017,PT011 - queue.Empty: no second answer
            gateway.messages.get(timeout=0.5)
    finally:
        gateway.close()
        for node in nodes:
            node.stop()
    assert [r["results"][0]["status"] for r in replies] == ["accepted"] * MESSAGES
    assert sum(handled.values()) == MESSAGES  # each envelope handled by one node once
    assert set(handled) == {"node-1", "node-2"}, handled  # and the nodes shared them
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(uplink_archive)).scalar() == MESSAGES
        assert conn.execute(select(func.count()).select_from(readings)).scalar() == MESSAGES
