"""The MQTT transport (protocol §7, appendix F): signed envelopes on the enterprise's ``up``
topic, per-record acks from its ``ack`` topic.

The device logs in with its key id as client id and username and the MQTT password derived from
its secret (`signing.mqtt_password`); it subscribes to ``nenghao/v1/{code}/ack`` (QoS 1) and
publishes each message as an envelope to ``nenghao/v1/{code}/up`` (QoS 1). An ack is matched by
``device_id`` and ``message_id`` (an error ack whose message could not be read, and a
heartbeat's ack, by the envelope's ``nonce``). Heartbeats (§12) go the same way
(`MqttTransport.heartbeat`), on the uploader's connection. No ack within ``ack_timeout_s`` is a
failure: the uploader backs off and resends the same records under the same message id with a
new timestamp and nonce, which the platform answers ``duplicate`` for what it already stored.
The connection is made on first use and again after a drop (paho reconnects with back-off 1-60
s; a refused login is a failure like a network error). Error acks map to the HTTPS statuses
(`transport.status_of_code`), so that the uploader treats both transports alike.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

from paho.mqtt.client import Client, MQTTMessage, MQTTv311
from paho.mqtt.enums import CallbackAPIVersion

from nenghao.gateway.config import GatewayConfig
from nenghao.gateway.signing import (
    ack_topic,
    fresh_nonce,
    mqtt_password,
    seal_envelope,
    up_topic,
)
from nenghao.gateway.transport import Answer, instant, status_of_code

log = logging.getLogger("nenghao.gateway.mqtt")
QOS = 1


class _Waiter:
    """One message waiting for its ack."""

    def __init__(self, message_id: str, nonce: str) -> None:
        self.message_id = message_id
        self.nonce = nonce
        self.done = threading.Event()
        self.ack: dict[str, Any] = {}


class MqttTransport:
    """Publishes envelopes and waits for their acks; one per uploader."""

    def __init__(self, config: GatewayConfig, secret: bytes) -> None:
        if config.mqtt is None:
            raise ValueError('transport "mqtt" needs an [mqtt] section')
        self.settings = config.mqtt
        self.key_id = config.platform.key_id
        self.secret = secret
        self.up = up_topic(config.gateway.credit_code)
        self.ack = ack_topic(config.gateway.credit_code)
        self.ready = threading.Event()
        self.refused: str | None = None
        self._lock = threading.Lock()
        self._waiting: dict[str, _Waiter] = {}
        self._started = False
        client = Client(
            CallbackAPIVersion.VERSION2,
            client_id=self.key_id,
            clean_session=True,
            protocol=MQTTv311,
        )
        client.username_pw_set(self.key_id, mqtt_password(secret.decode("utf-8")))
        if self.settings.tls:
            ca = self.settings.ca_file
            client.tls_set(ca_certs=str(config.resolve(ca)) if ca else None)
        client.reconnect_delay_set(1, 60)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_subscribe = self._on_subscribe
        client.on_message = self._on_message
        self.client = client

    # paho callbacks (network thread)

    def _on_connect(self, client: Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        if reason.is_failure:
            self.refused = str(reason)
            log.error("the broker refused the login: %s", reason)
            return
        self.refused = None
        client.subscribe(self.ack, qos=QOS)

    def _on_subscribe(self, _c: Client, _u: Any, _mid: int, reasons: Any, _p: Any) -> None:
        if any(r.is_failure for r in reasons):
            self.refused = f"subscription to {self.ack} refused: {reasons}"
            log.error("%s", self.refused)
        else:
            self.ready.set()

    def _on_disconnect(self, _c: Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        self.ready.clear()
        log.warning("disconnected from the broker (%s); reconnecting", reason)

    def _on_message(self, _c: Client, _u: Any, message: MQTTMessage) -> None:
        try:
            ack = json.loads(message.payload)
        except ValueError:
            return
        if not isinstance(ack, dict) or ack.get("device_id") not in (self.key_id, None):
            return  # another device of the enterprise shares the ack topic
        with self._lock:
            waiter = self._waiting.get(str(ack.get("message_id")))
            if waiter is None and ack.get("message_id") is None:
                waiter = next(
                    (w for w in self._waiting.values() if w.nonce == ack.get("nonce")), None
                )
        if waiter is not None:
            waiter.ack = ack
            waiter.done.set()

    # the uploader's side

    def _connect(self, timeout: float) -> None:
        if not self._started:
            self.client.connect_async(
                self.settings.host, self.settings.port, keepalive=self.settings.keepalive_s
            )
            self.client.loop_start()
            self._started = True
        if not self.ready.wait(timeout):
            raise ConnectionError(
                f"broker {self.settings.host}:{self.settings.port} not reached"
                + (f" ({self.refused})" if self.refused else "")
            )

    def exchange(self, body: bytes, message_id: str, timestamp: int) -> Answer:
        """Publish `body` sealed at `timestamp` and wait for its ack; raises `TimeoutError`
        or `ConnectionError` when none came."""
        return answer_of(self._publish(body, message_id, timestamp))

    def heartbeat(self, body: bytes, timestamp: int) -> dict[str, Any]:
        """Publish a heartbeat (§12) sealed at `timestamp` on the ``up`` topic and wait for
        its ack (matched by the envelope's nonce): the platform's answer, or its error."""
        return self._publish(body, None, timestamp)

    def _publish(self, body: bytes, message_id: str | None, timestamp: int) -> dict[str, Any]:
        timeout = self.settings.ack_timeout_s
        self._connect(timeout)
        nonce = fresh_nonce()
        key = message_id if message_id is not None else f"\0{nonce}"  # no message id has NUL
        waiter = _Waiter(key, nonce)
        with self._lock:
            self._waiting[key] = waiter
        try:
            envelope = seal_envelope(self.key_id, self.secret, self.up, body, timestamp, nonce)
            self.client.publish(self.up, envelope, qos=QOS)
            if not waiter.done.wait(timeout):
                what = f"message {message_id}" if message_id is not None else "the heartbeat"
                raise TimeoutError(f"no ack for {what} within {timeout:.0f} s")
        finally:
            with self._lock:
                self._waiting.pop(key, None)
        return waiter.ack

    def close(self) -> None:
        """Disconnect."""
        if self._started:
            self.client.disconnect()
            self.client.loop_stop()


def answer_of(ack: dict[str, Any]) -> Answer:
    """An ack-topic message as an `Answer`: an ``UplinkAck`` is a 200; an error is the
    status its code has over HTTPS, ``details.retry_after_s`` the wait."""
    error = ack.get("error")
    if not isinstance(error, dict):
        return Answer(200, ack, None, instant(ack.get("received_at")))
    details = error.get("details") if isinstance(error.get("details"), dict) else {}
    wait = details.get("retry_after_s") if details else None
    retry = float(wait) if isinstance(wait, int | float) else None
    return Answer(status_of_code(str(error.get("code"))), ack, retry, None)
