"""How the platform's MQTT clients reach the broker: address, TLS and credentials.

Both of the platform's clients (the uplink subscriber and the dynamic-security admin of
`nenghao.ingest.broker_sync`) are built here, so they share one transport configuration
(settings ``mqtt_host``, ``mqtt_port``, ``mqtt_tls``, ``mqtt_tls_ca_file``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import SecretStr

from nenghao.config import Settings

if TYPE_CHECKING:
    from paho.mqtt.client import Client


def make_client(
    settings: Settings,
    *,
    client_id: str,
    username: str | None,
    password: SecretStr | None,
    clean_session: bool = True,
    manual_ack: bool = False,
) -> Client:
    """An MQTT 3.1.1 client with the broker's TLS settings and the given credentials."""
    from paho.mqtt.client import Client, MQTTv311
    from paho.mqtt.enums import CallbackAPIVersion

    client = Client(
        CallbackAPIVersion.VERSION2,
        client_id=client_id,
        clean_session=clean_session,
        protocol=MQTTv311,
        manual_ack=manual_ack,
    )
    if settings.mqtt_tls:
        ca_file = settings.mqtt_tls_ca_file
        client.tls_set(ca_certs=str(ca_file) if ca_file else None)
    if username:
        client.username_pw_set(username, password.get_secret_value() if password else None)
    return client
