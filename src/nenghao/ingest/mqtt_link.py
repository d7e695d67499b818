"""How the platform's MQTT clients reach the broker: address, TLS and credentials.

Both of the platform's clients (the uplink subscriber and the dynamic-security admin of
`nenghao.ingest.broker_sync`) are built here, so they share one transport configuration
(settings ``mqtt_host``, ``mqtt_port``, ``mqtt_tls``, ``mqtt_tls_ca_file``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from nenghao.config import Settings

if TYPE_CHECKING:
    from paho.mqtt.client import Client


SESSION_EXPIRY_S = 7 * 24 * 3600
"""How long the broker keeps an MQTT 5 session (and its unacknowledged messages) while its
client is away [s]."""


def make_client(
    settings: Settings,
    *,
    client_id: str,
    username: str | None,
    password: SecretStr | None,
    clean_session: bool = True,
    manual_ack: bool = False,
    mqtt5: bool = False,
) -> Client:
    """An MQTT 3.1.1 client (or MQTT 5: `mqtt5`, its session chosen at `connect_args`) with
    the broker's TLS settings and the given credentials."""
    from paho.mqtt.client import Client, MQTTv5, MQTTv311
    from paho.mqtt.enums import CallbackAPIVersion

    client = Client(
        CallbackAPIVersion.VERSION2,
        client_id=client_id,
        clean_session=None if mqtt5 else clean_session,
        protocol=MQTTv5 if mqtt5 else MQTTv311,
        manual_ack=manual_ack,
    )
    if settings.mqtt_tls:
        ca_file = settings.mqtt_tls_ca_file
        client.tls_set(ca_certs=str(ca_file) if ca_file else None)
    if username:
        client.username_pw_set(username, password.get_secret_value() if password else None)
    return client


def persistent_session() -> dict[str, Any]:
    """`connect_async` arguments of an MQTT 5 client whose session the broker keeps
    (`SESSION_EXPIRY_S`) and resumes (clean start off)."""
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
    properties.SessionExpiryInterval = SESSION_EXPIRY_S
    return {"clean_start": False, "properties": properties}


def shared_filters(subscription: str, group: str) -> list[str]:
    """The topic filters of `subscription` (comma-separated) as MQTT 5 shared subscriptions
    of `group` (``$share/<group>/<filter>``), or as they are when `group` is empty."""
    filters = [f.strip() for f in subscription.split(",") if f.strip()]
    return [f"$share/{group}/{f}" for f in filters] if group else filters
