"""The published uplink protocol as a client needs it (docs/uplink-protocol.md), written from
the document alone: the message, the signature (§6, appendix D), the HTTPS transport and the
MQTT envelope (§7, appendix F) with the device's broker password.

The signature is HMAC-SHA256 under the secret's UTF-8 bytes of five lines joined by ``\\n``:
``METHOD``, ``PATH`` (the request target as the device sends it), ``TIMESTAMP`` (Unix seconds),
``NONCE`` (16-64 of ``A-Z a-z 0-9 - _``), and the lower-case hex SHA-256 of the body.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import datetime
from typing import Any

from nenghao.standards.calendar import CST

PROTOCOL = "nenghao-uplink/1"
UPLINK_PATH = "/api/v1/uplink"
ITEMS_PATH = "/api/v1/uplink/items"
HEARTBEAT_PATH = "/api/v1/uplink/heartbeat"
MQTT_METHOD = "MQTT"
MQTT_PASSWORD_LABEL = b"nenghao-mqtt-password"
MAX_RECORDS = 1000
"""Records per message (§9)."""
MAX_SKEW_S = 300
"""The signing window: a timestamp further than this from the platform clock is refused [s]."""
KEY_HEADER = "X-Nenghao-Key"
TIMESTAMP_HEADER = "X-Nenghao-Timestamp"
NONCE_HEADER = "X-Nenghao-Nonce"
SIGNATURE_HEADER = "X-Nenghao-Signature"
STORED = frozenset({"accepted", "duplicate", "revised"})
"""Per-record statuses after which the platform holds the record (§8)."""


def canonical_string(method: str, path: str, timestamp: int, nonce: str, body: bytes) -> str:
    """The five signed lines (§6)."""
    digest = hashlib.sha256(body).hexdigest()
    return f"{method}\n{path}\n{timestamp}\n{nonce}\n{digest}"


def signature(
    secret: bytes, method: str, path: str, timestamp: int, nonce: str, body: bytes
) -> str:
    """Lower-case hex HMAC-SHA256 of the canonical string under `secret`."""
    text = canonical_string(method, path, timestamp, nonce, body).encode("utf-8")
    return hmac.new(secret, text, hashlib.sha256).hexdigest()


def fresh_nonce() -> str:
    """A random nonce of 32 characters from ``A-Z a-z 0-9 - _``."""
    return secrets.token_urlsafe(24)


def request_headers(
    key_id: str,
    secret: bytes,
    path: str,
    body: bytes,
    timestamp: int,
    nonce: str | None = None,
    method: str = "POST",
) -> dict[str, str]:
    """The headers of a signed request: a ``POST`` of `body` to `path` (§6, §7), or a
    ``GET`` of `path` (with its query string) and an empty `body` (§11)."""
    nonce = fresh_nonce() if nonce is None else nonce
    headers = {
        KEY_HEADER: key_id,
        TIMESTAMP_HEADER: str(timestamp),
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: signature(secret, method, path, timestamp, nonce, body),
    }
    if method == "POST":
        headers["Content-Type"] = "application/json"
    return headers


def seal_envelope(
    key_id: str, secret: bytes, topic: str, payload: bytes, timestamp: int, nonce: str
) -> bytes:
    """The MQTT envelope of `payload` (the message's UTF-8 JSON) for `topic` (§7): exactly
    ``key``, ``timestamp`` (a JSON integer), ``nonce``, ``signature`` (METHOD ``MQTT``, PATH
    the topic, BODY the payload bytes) and ``payload`` as a string."""
    envelope = {
        "key": key_id,
        "timestamp": timestamp,
        "nonce": nonce,
        "signature": signature(secret, MQTT_METHOD, topic, timestamp, nonce, payload),
        "payload": payload.decode("utf-8"),
    }
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def mqtt_password(secret: str) -> str:
    """The device's broker password (appendix F): ``base64url_nopad(HMAC-SHA256(secret,
    "nenghao-mqtt-password"))`` under the secret's UTF-8 bytes, 43 characters."""
    digest = hmac.new(secret.encode("utf-8"), MQTT_PASSWORD_LABEL, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def up_topic(credit_code: str) -> str:
    """The topic a device publishes its envelopes on (§7)."""
    return f"nenghao/v1/{credit_code}/up"


def ack_topic(credit_code: str) -> str:
    """The topic the platform answers on (§7)."""
    return f"nenghao/v1/{credit_code}/ack"


def rfc3339(instant: float) -> str:
    """`instant` [Unix s] in CST, whole seconds: ``2024-05-01T09:00:00+08:00``."""
    return datetime.fromtimestamp(int(instant), CST).isoformat()


def message(
    credit_code: str, key_id: str, message_id: str, sent_at: float, records: list[dict[str, Any]]
) -> dict[str, Any]:
    """An uplink message (appendix B)."""
    return {
        "protocol": PROTOCOL,
        "credit_code": credit_code,
        "device_id": key_id,
        "sent_at": rfc3339(sent_at),
        "message_id": message_id,
        "records": records,
    }
