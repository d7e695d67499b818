"""The MQTT transport: subscribe to signed uplink envelopes, answer on the ack topic.

The platform subscribes over MQTT 5 with QoS 1 and a persistent session (fixed client id,
clean start off, a session expiry) to ``$share/nenghao/nenghao/v1/+/up``: a shared
subscription (setting ``mqtt_shared_group``), so that several API nodes, each with its own
client id, split the envelopes among them and each envelope goes to one node. For each
envelope it checks the signature (`signing.open_envelope` on the topic), that the topic's
credit code is the key's enterprise, and hands the payload to the ingest service (a
heartbeat, `heartbeat.is_heartbeat`, to its heartbeat store); only
after the service returned
(the data are committed) does it publish the `UplinkAck` (or the error) on
``nenghao/v1/{credit code}/ack`` with QoS 1, and only then acknowledge the inbound message
(PUBACK, paho ``manual_ack``). A crash before that leaves the message unacknowledged, so the
broker delivers it again when the session resumes.

**Redelivery.** A redelivered envelope carries the nonce of its first delivery, which may
already be recorded. When the broker marks a delivery as a redelivery (DUP) — or when this
process retries after a failure — a recorded nonce is therefore accepted: the broker only
redelivers messages of this session that were never acknowledged, and storing records is
idempotent (the same value again is a ``duplicate``). Signature and time window still apply.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nenghao.ingest import broker_sync
from nenghao.ingest.dynsec import BrokerError
from nenghao.ingest.errors import MessageRejected, Problem
from nenghao.ingest.heartbeat import is_heartbeat
from nenghao.ingest.json_depth import check_json_depth
from nenghao.ingest.mqtt_link import make_client, persistent_session, shared_filters
from nenghao.ingest.nonces import PendingNonce
from nenghao.ingest.protocol import PROTOCOL, mqtt_ack_topic
from nenghao.ingest.ratelimit import RATE_LIMITED, retry_after_s
from nenghao.ingest.sender import Sender
from nenghao.ingest.service import UplinkService
from nenghao.ingest.signing import (
    SignatureError,
    UnknownKey,
    open_envelope,
)
from nenghao.standards.reason_codes import ReasonCode
from nenghao.store import devices

if TYPE_CHECKING:
    from paho.mqtt.client import Client, MQTTMessage

from nenghao.config import Settings

logger = logging.getLogger("nenghao.mqtt")

TOPIC_ROOT = "nenghao/v1"
QOS = 1
MAX_ENVELOPE_BYTES = 2 * 1024 * 1024
"""The largest envelope read [bytes] (payload limit 1 MiB, JSON string escaping doubles)."""


def topic_credit_code(topic: str) -> str | None:
    """The credit code of an uplink topic ``nenghao/v1/{code}/up``, else None."""
    parts = topic.split("/")
    if len(parts) == 4 and "/".join(parts[:2]) == TOPIC_ROOT and parts[3] == "up" and parts[2]:
        return parts[2]
    return None


@dataclass(frozen=True, slots=True)
class Reply:
    """What to publish in answer to one envelope."""

    topic: str
    body: bytes


def _json_object(text: Any) -> dict[str, Any] | None:
    try:
        check_json_depth(text.encode("utf-8", "replace") if isinstance(text, str) else text)
        data = json.loads(text)
    except (ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def _echo(envelope: bytes) -> dict[str, Any]:
    """``message_id``, ``device_id`` and ``nonce`` of an envelope as far as they can be read."""
    outer = _json_object(envelope) or {}
    inner = _json_object(outer.get("payload")) or {}
    found: dict[str, Any] = {}
    for source, name in ((inner, "message_id"), (inner, "device_id"), (outer, "nonce")):
        value = source.get(name)
        found[name] = value if isinstance(value, str) else None
    return found


def error_reply(exc: SignatureError | MessageRejected, envelope: bytes) -> dict[str, Any]:
    """The ack-topic body of a refused envelope, with the error in the one error shape."""
    details = (
        {"problems": [p.as_dict() for p in exc.problems]}
        if isinstance(exc, MessageRejected)
        else None
    )
    return {
        "protocol": PROTOCOL,
        **_echo(envelope),
        "error": {"code": exc.code.value, "message": exc.message, "details": details},
    }


def _reply(topic: str, body: dict[str, Any]) -> Reply:
    return Reply(topic, json.dumps(body, ensure_ascii=False).encode("utf-8"))


def rate_limited_reply(key_id: str, wait: float, envelope: bytes) -> dict[str, Any]:
    """The ack-topic body of an envelope refused by the per-device rate limit."""
    return {
        "protocol": PROTOCOL,
        **_echo(envelope),
        "error": {
            "code": RATE_LIMITED,
            "message": f"device {key_id!r} sends faster than allowed; resend after"
            " details.retry_after_s seconds with a new timestamp and nonce",
            "details": {"retry_after_s": retry_after_s(wait)},
        },
    }


def _too_large(envelope: bytes) -> MessageRejected:
    return MessageRejected(
        [
            Problem(
                ReasonCode.BODY_TOO_LARGE,
                "$",
                f"the envelope has {len(envelope)} bytes; at most {MAX_ENVELOPE_BYTES}",
            )
        ]
    )


def _owner_elsewhere(service: UplinkService, envelope: bytes, credit_code: str) -> str | None:
    """The credit code of the enterprise owning the key an envelope names, when that is not
    `credit_code` (the topic's); else None."""
    key = (_json_object(envelope) or {}).get("key")
    if not isinstance(key, str):
        return None
    with service.engine.connect() as conn:
        owner = devices.owner_credit_code(conn, key)
    return owner if owner is not None and owner != credit_code else None


def handle_envelope(
    service: UplinkService, topic: str, envelope: bytes, *, redelivered: bool = False
) -> Reply | None:
    """Authenticate and ingest one envelope; the reply to publish, or None.

    The reply goes to the ack topic of the sender's own enterprise, never another's:

    - authenticated: the key's enterprise; when the topic is another enterprise's, the answer
      is ``enterprise_mismatch`` (checked by the service, which archives the body as
      ``rejected`` under the sender's enterprise) and a warning is logged;
    - not authenticated: the topic's enterprise, unless the envelope names a key of another
      enterprise: then nothing is published (a warning is logged), as the reply would tell
      the topic's tenant about another tenant's device.

    None also for a topic that is not an uplink topic. A device over its rate (the service's)
    is answered ``rate_limited`` (its nonce is not used up; nothing is stored). A
    `redelivered` envelope may carry a nonce already recorded (its first delivery was
    stored, the acknowledgement lost): it is stored again, and answered ``duplicate``.

    Raises only for unexpected failures (e.g. the database is unreachable); the caller then
    leaves the message unacknowledged and retries.
    """
    credit_code = topic_credit_code(topic)
    if credit_code is None:
        logger.warning("ignored a message on %s (not an uplink topic)", topic)
        return None
    nonce = PendingNonce(service.nonces, redelivery=redelivered)
    sender: Sender | None = None
    try:
        if len(envelope) > MAX_ENVELOPE_BYTES:
            raise _too_large(envelope)
        verified = open_envelope(
            envelope,
            topic,
            secret_of=service.credentials.secret,
            nonces=nonce,
        )
        sender = service.credentials.sender(verified.key_id, "mqtt")
        if sender is None:  # revoked since the secret was read
            raise UnknownKey(f"key {verified.key_id!r} is unknown or disabled")
        if sender.credit_code != credit_code:
            logger.warning(
                "key %s of %s published on %s: answered on its own ack topic",
                sender.actor,
                sender.credit_code,
                topic,
            )
        wait = service.rate.take(sender.actor) if service.rate is not None else 0.0
        if wait > 0:
            body = rate_limited_reply(sender.actor, wait, envelope)
            return _reply(mqtt_ack_topic(sender.credit_code), body)
        if is_heartbeat(verified.payload):
            beat = service.heartbeat(
                verified.payload, sender=sender, nonce=nonce, topic_credit_code=credit_code
            )
            answer = {**beat.model_dump(mode="json"), "nonce": _echo(envelope)["nonce"]}
            return _reply(mqtt_ack_topic(sender.credit_code), answer)
        stored = service.ingest(
            verified.payload, sender=sender, topic_credit_code=credit_code, nonce=nonce
        )
    except (SignatureError, MessageRejected) as exc:
        if sender is None:
            owner = _owner_elsewhere(service, envelope, credit_code)
            if owner is not None:
                logger.warning(
                    "dropped an unauthenticated envelope on %s naming a key of %s (%s)",
                    topic,
                    owner,
                    exc.code.value,
                )
                return None
        reply_code = credit_code if sender is None else sender.credit_code
        return _reply(mqtt_ack_topic(reply_code), error_reply(exc, envelope))
    # The same bytes as the HTTPS answer: fields that are None are left out.
    return Reply(mqtt_ack_topic(sender.credit_code), stored.json())


class UplinkSubscriber:
    """The platform's MQTT client: a paho network thread plus one worker thread.

    Messages are handled in order by the worker, which publishes the reply and then
    acknowledges the message. An unexpected failure is retried with back-off; on `stop` an
    unhandled message stays unacknowledged (the broker redelivers it to the next session).
    Messages received on a connection that has since dropped are left to redelivery too.
    """

    def __init__(self, service: UplinkService, settings: Settings) -> None:
        self.service = service
        self.settings = settings
        self.subscribed = threading.Event()
        self._stopping = threading.Event()
        self._queue: queue.Queue[tuple[int, MQTTMessage]] = queue.Queue()
        self._generation = 0
        self._client = self._make_client()
        self._worker = threading.Thread(target=self._work, name="nenghao-mqtt", daemon=True)
        self._lifecycle = threading.Lock()

    def _make_client(self) -> Client:
        client = make_client(
            self.settings,
            client_id=self.settings.mqtt_client_id,
            username=self.settings.mqtt_username,
            password=self.settings.mqtt_password,
            manual_ack=True,
            mqtt5=True,
        )
        client.reconnect_delay_set(1, 30)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_subscribe = self._on_subscribe
        client.on_message = self._on_message
        return client

    # paho callbacks (network thread) -------------------------------------------------------

    def _on_connect(self, client: Client, _u: Any, flags: Any, reason: Any, _p: Any) -> None:
        if reason.is_failure:
            logger.error("MQTT connection refused: %s", reason)
            return
        self._generation += 1
        logger.info(
            "MQTT connected to %s:%s (session present: %s)",
            self.settings.mqtt_host,
            self.settings.mqtt_port,
            flags.session_present,
        )
        group = self.settings.mqtt_shared_group
        filters = shared_filters(self.settings.mqtt_subscription, group)
        if group and flags.session_present:
            # a session of before the shared subscription would still get every envelope
            client.unsubscribe(shared_filters(self.settings.mqtt_subscription, ""))
        client.subscribe([(f, QOS) for f in filters])

    def _on_disconnect(self, _c: Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        self.subscribed.clear()
        if not self._stopping.is_set():
            logger.warning("MQTT disconnected (%s); reconnecting", reason)

    def _on_subscribe(self, _c: Client, _u: Any, _mid: int, reasons: Any, _p: Any) -> None:
        if any(r.is_failure for r in reasons):
            logger.error("MQTT subscription refused: %s", reasons)
        else:
            self.subscribed.set()

    def _on_message(self, _c: Client, _u: Any, message: MQTTMessage) -> None:
        self._queue.put((self._generation, message))

    # worker ----------------------------------------------------------------------------------

    def _connect(self) -> bool:
        """Bring a managed broker in step, then connect (retrying); False when stopping."""
        if self.settings.mqtt_admin_username:
            try:
                broker_sync.sync_broker(self.service.credentials, self.settings)
            except BrokerError as exc:
                logger.error("MQTT broker not brought in step with the device keys: %s", exc)
        with self._lifecycle:
            if self._stopping.is_set():
                return False
            self._client.connect_async(
                self.settings.mqtt_host,
                self.settings.mqtt_port,
                keepalive=30,
                **persistent_session(),
            )
            self._client.loop_start()
            return True

    def _work(self) -> None:
        if not self._connect():
            return
        while not self._stopping.is_set():
            try:
                generation, message = self._queue.get(timeout=0.2)
            except queue.Empty:
                continue
            if generation == self._generation:
                self._process(generation, message)

    def _process(self, generation: int, message: MQTTMessage) -> None:
        delay, attempt = 0.5, 0
        while True:
            try:
                reply = handle_envelope(
                    self.service,
                    message.topic,
                    bytes(message.payload),
                    redelivered=bool(message.dup) or attempt > 0,
                )
                break
            except Exception:
                logger.exception("handling an envelope on %s failed; retrying", message.topic)
                attempt += 1
                if self._stopping.wait(delay):
                    return  # left unacknowledged: redelivered to the next session
                delay = min(delay * 2, 30.0)
        if reply is not None:
            self._client.publish(reply.topic, reply.body, qos=QOS)
        if generation == self._generation:
            self._client.ack(message.mid, message.qos)

    # lifecycle -------------------------------------------------------------------------------

    def start(self) -> UplinkSubscriber:
        """Connect and handle messages, in the background (`subscribed` tells when ready).

        When the platform manages the broker (``mqtt_admin_username``), the worker first
        brings the broker in step with the device keys; a failure is logged and the
        subscriber connects all the same (``nenghao mqtt sync-broker`` repeats it).
        """
        self._worker.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop handling, disconnect cleanly (the session is kept by the broker)."""
        self._stopping.set()
        self._worker.join(timeout)
        with self._lifecycle:
            self._client.disconnect()
            self._client.loop_stop()

    def run_forever(self) -> None:
        """Run in the foreground until interrupted (Ctrl-C)."""
        self.start()
        try:
            while not self._stopping.wait(1.0):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()
