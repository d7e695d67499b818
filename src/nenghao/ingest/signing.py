"""HMAC-SHA256 signing of uplink requests (HTTPS) and envelopes (MQTT).

Each access-end device holds a key: a public key id and a shared secret. A signature covers
the canonical string::

    METHOD \\n PATH \\n TIMESTAMP \\n NONCE \\n hex(sha256(BODY))

- HTTPS: METHOD is the request method (``POST``), PATH the request target as sent (path, and
  ``?query`` if any), BODY the raw request body. The fields travel in the headers
  ``X-Nenghao-Key``, ``X-Nenghao-Timestamp`` (Unix seconds), ``X-Nenghao-Nonce`` (16-64
  characters of ``A-Z a-z 0-9 - _``) and ``X-Nenghao-Signature`` (hex HMAC-SHA256).
- MQTT: METHOD is ``MQTT``, PATH the topic, BODY the UTF-8 bytes of the envelope's
  ``payload`` string; the fields travel in the JSON envelope
  ``{"key", "timestamp", "nonce", "signature", "payload"}``.

The server accepts a timestamp at most 300 s from its clock (either direction) and each
(key, nonce) once while the timestamp is acceptable; nonces are remembered only after the
signature is verified, so forged requests cannot fill the cache.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from nenghao.ingest.errors import IngestError
from nenghao.ingest.json_depth import check_json_depth
from nenghao.standards.reason_codes import ReasonCode
from nenghao.standards.vocabulary import SIGNING_WINDOW_S

KEY_HEADER = "X-Nenghao-Key"
TIMESTAMP_HEADER = "X-Nenghao-Timestamp"
NONCE_HEADER = "X-Nenghao-Nonce"
SIGNATURE_HEADER = "X-Nenghao-Signature"
MAX_SKEW_S = SIGNING_WINDOW_S
"""The largest accepted distance between a request's timestamp and the server clock [s]."""
MQTT_METHOD = "MQTT"
ENVELOPE_FIELDS = ("key", "timestamp", "nonce", "signature", "payload")

KEY_ID_RE = re.compile(r"[A-Za-z0-9._:\-]{1,64}\Z")
NONCE_RE = re.compile(r"[A-Za-z0-9_\-]{16,64}\Z")
TIMESTAMP_RE = re.compile(r"(?:0|[1-9][0-9]{0,11})\Z")
SIGNATURE_RE = re.compile(r"[0-9A-Fa-f]{64}\Z")

SecretLookup = Callable[[str], bytes | None]
"""Returns the secret of an active key id, or None when the key is unknown or disabled."""


class SignatureError(IngestError):
    """The request or envelope is not authenticated; `code` says why."""

    reason: ClassVar[ReasonCode]

    def __init__(self, message: str) -> None:
        super().__init__(self.reason, message)


class MissingSignatureField(SignatureError):  # noqa: N818 - protocol names
    """A signature header (or envelope field) is absent."""

    reason = ReasonCode.MISSING_SIGNATURE_FIELD


class MalformedSignatureField(SignatureError):  # noqa: N818
    """A signature header (or envelope field) does not have its format."""

    reason = ReasonCode.MALFORMED_SIGNATURE_FIELD


class MalformedEnvelope(SignatureError):  # noqa: N818
    """The MQTT envelope is not the JSON object the protocol defines."""

    reason = ReasonCode.MALFORMED_ENVELOPE


class UnknownKey(SignatureError):  # noqa: N818
    """The key id is not known (or disabled)."""

    reason = ReasonCode.UNKNOWN_KEY


class StaleTimestamp(SignatureError):  # noqa: N818
    """The timestamp is more than the allowed skew before or after the server clock."""

    reason = ReasonCode.STALE_TIMESTAMP


class BadSignature(SignatureError):  # noqa: N818
    """The signature does not match the canonical string under the key's secret."""

    reason = ReasonCode.BAD_SIGNATURE


class ReplayedNonce(SignatureError):  # noqa: N818
    """The (key, nonce) pair was already used within the acceptance window."""

    reason = ReasonCode.REPLAYED_NONCE


class NonceCache(Protocol):
    """Remembers used nonces per key until they expire."""

    def remember(self, key_id: str, nonce: str, *, now: int, expires_at: int) -> bool:
        """Record (key_id, nonce) until `expires_at` [Unix s, inclusive].

        Returns False, recording nothing, when the pair is already recorded and
        ``now <= expires_at`` of that record (a replay). Must be atomic.
        """
        ...


class InMemoryNonceCache:
    """A thread-safe `NonceCache` in process memory (one server process only)."""

    def __init__(self) -> None:
        self._expiry: dict[tuple[str, str], int] = {}
        self._heap: list[tuple[int, str, str]] = []
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._expiry)

    def remember(self, key_id: str, nonce: str, *, now: int, expires_at: int) -> bool:
        """See `NonceCache.remember`; expired entries are purged on every call."""
        with self._lock:
            while self._heap and self._heap[0][0] < now:
                expired, key, value = heapq.heappop(self._heap)
                if self._expiry.get((key, value)) == expired:
                    del self._expiry[(key, value)]
            current = self._expiry.get((key_id, nonce))
            if current is not None and now <= current:
                return False
            self._expiry[(key_id, nonce)] = expires_at
            heapq.heappush(self._heap, (expires_at, key_id, nonce))
            return True


@dataclass(frozen=True, slots=True)
class Verified:
    """An authenticated request: who signed it, and the signed timestamp and nonce."""

    key_id: str
    timestamp: int
    nonce: str


@dataclass(frozen=True, slots=True)
class VerifiedEnvelope:
    """An authenticated MQTT envelope and its payload bytes (the uplink message)."""

    key_id: str
    timestamp: int
    nonce: str
    payload: bytes


def body_digest(body: bytes) -> str:
    """Lower-case hex SHA-256 of `body`."""
    return hashlib.sha256(body).hexdigest()


def canonical_string(method: str, path: str, timestamp: int, nonce: str, body: bytes) -> str:
    """The signed text: method, path, timestamp, nonce and body digest, joined by ``\\n``."""
    return "\n".join((method, path, str(timestamp), nonce, body_digest(body)))


def sign(secret: bytes, method: str, path: str, timestamp: int, nonce: str, body: bytes) -> str:
    """Lower-case hex HMAC-SHA256 of the canonical string under `secret`."""
    text = canonical_string(method, path, timestamp, nonce, body)
    return hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()


def new_nonce() -> str:
    """A fresh random nonce (32 url-safe characters)."""
    return secrets.token_urlsafe(24)


def signed_headers(
    key_id: str,
    secret: bytes,
    method: str,
    path: str,
    body: bytes,
    *,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The four signature headers for an HTTPS request (client side).

    `timestamp` defaults to the current time [Unix s], `nonce` to `new_nonce`.
    """
    timestamp = int(time.time()) if timestamp is None else timestamp
    nonce = new_nonce() if nonce is None else nonce
    return {
        KEY_HEADER: key_id,
        TIMESTAMP_HEADER: str(timestamp),
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: sign(secret, method, path, timestamp, nonce, body),
    }


def _check_formats(
    key_id: str, timestamp: str, nonce: str, signature: str, names: dict[str, str]
) -> int:
    if not KEY_ID_RE.match(key_id):
        raise MalformedSignatureField(f"{names['key']}: 1-64 characters of A-Z a-z 0-9 . _ : -")
    if not TIMESTAMP_RE.match(timestamp):
        raise MalformedSignatureField(f"{names['timestamp']}: Unix seconds as a decimal integer")
    if not NONCE_RE.match(nonce):
        raise MalformedSignatureField(f"{names['nonce']}: 16-64 characters of A-Z a-z 0-9 - _")
    if not SIGNATURE_RE.match(signature):
        raise MalformedSignatureField(f"{names['signature']}: 64 hexadecimal digits")
    return int(timestamp)


def _verify(
    fields: tuple[str, str, str, str],
    names: dict[str, str],
    method: str,
    path: str,
    body: bytes,
    lookup: SecretLookup,
    nonces: NonceCache,
    now: float | None,
    max_skew_s: int,
) -> Verified:
    key_id, timestamp_text, nonce, signature = fields
    timestamp = _check_formats(key_id, timestamp_text, nonce, signature, names)
    secret = lookup(key_id)
    if secret is None:
        raise UnknownKey(f"key {key_id!r} is not known or not active")
    clock = time.time() if now is None else now
    if abs(clock - timestamp) > max_skew_s:
        raise StaleTimestamp(
            f"timestamp {timestamp} is {clock - timestamp:+.0f} s from the server clock"
            f" {int(clock)}; at most {max_skew_s} s are accepted (check the device clock)"
        )
    expected = sign(secret, method, path, timestamp, nonce, body)
    if not hmac.compare_digest(expected, signature.lower()):
        raise BadSignature(
            "the signature does not match the canonical string"
            " (method, path, timestamp, nonce, sha256 of the body) under this key"
        )
    if not nonces.remember(key_id, nonce, now=int(clock), expires_at=timestamp + max_skew_s):
        raise ReplayedNonce(f"nonce {nonce!r} was already used with key {key_id!r}")
    return Verified(key_id, timestamp, nonce)


_HEADER_NAMES = {
    "key": KEY_HEADER,
    "timestamp": TIMESTAMP_HEADER,
    "nonce": NONCE_HEADER,
    "signature": SIGNATURE_HEADER,
}


def verify(
    headers: Mapping[str, str],
    method: str,
    path: str,
    body: bytes,
    *,
    secret_of: SecretLookup,
    nonces: NonceCache,
    now: float | None = None,
    max_skew_s: int = MAX_SKEW_S,
) -> Verified:
    """Authenticate an HTTPS request (server side).

    Parameters
    ----------
    headers : mapping of str to str
        The request headers (names compared case-insensitively).
    method, path : str
        The request method and target exactly as received.
    body : bytes
        The raw body.
    secret_of : SecretLookup
        The secret of an active key id.
    nonces : NonceCache
        Where used nonces are remembered.
    now : float or None [Unix s]
        The server clock; None reads `time.time`.
    max_skew_s : int [s]
        The accepted timestamp distance.

    Returns
    -------
    Verified

    Raises
    ------
    SignatureError
        One of `MissingSignatureField`, `MalformedSignatureField`, `UnknownKey`,
        `StaleTimestamp`, `BadSignature`, `ReplayedNonce` (checked in this order).
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    values: list[str] = []
    for header in _HEADER_NAMES.values():
        value = lowered.get(header.lower())
        if value is None:
            raise MissingSignatureField(f"header {header} is required")
        values.append(value)
    key_id, timestamp, nonce, signature = values
    return _verify(
        (key_id, timestamp, nonce, signature),
        _HEADER_NAMES,
        method,
        path,
        body,
        secret_of,
        nonces,
        now,
        max_skew_s,
    )


def seal_envelope(
    key_id: str,
    secret: bytes,
    topic: str,
    payload: bytes,
    *,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> bytes:
    """The signed MQTT envelope carrying `payload` (client side).

    `payload` (the uplink message, UTF-8 JSON) travels as a JSON string so that the signed
    bytes survive unchanged.
    """
    timestamp = int(time.time()) if timestamp is None else timestamp
    nonce = new_nonce() if nonce is None else nonce
    envelope = {
        "key": key_id,
        "timestamp": timestamp,
        "nonce": nonce,
        "signature": sign(secret, MQTT_METHOD, topic, timestamp, nonce, payload),
        "payload": payload.decode("utf-8"),
    }
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _envelope_object(envelope: bytes) -> dict[str, Any]:
    try:
        check_json_depth(envelope)
        data = json.loads(envelope.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:  # JsonTooDeepError is a ValueError
        raise MalformedEnvelope(f"the envelope is not UTF-8 JSON: {exc}") from None
    if not isinstance(data, dict):
        raise MalformedEnvelope("the envelope must be a JSON object")
    extra = sorted(set(data) - set(ENVELOPE_FIELDS))
    if extra:
        raise MalformedEnvelope(f"unexpected envelope fields: {', '.join(extra)}")
    return data


def open_envelope(
    envelope: bytes,
    topic: str,
    *,
    secret_of: SecretLookup,
    nonces: NonceCache,
    now: float | None = None,
    max_skew_s: int = MAX_SKEW_S,
) -> VerifiedEnvelope:
    """Authenticate an MQTT envelope received on `topic` and return its payload bytes.

    Raises
    ------
    SignatureError
        `MalformedEnvelope` for a body that is not the envelope object (or whose payload is
        not a string), then as `verify`.
    """
    data = _envelope_object(envelope)
    for name in ENVELOPE_FIELDS[:4]:
        if name not in data:
            raise MissingSignatureField(f"envelope field {name!r} is required")
    key_id, timestamp, nonce, signature = (data[name] for name in ENVELOPE_FIELDS[:4])
    if isinstance(timestamp, bool) or not isinstance(timestamp, int) or timestamp < 0:
        raise MalformedSignatureField("envelope field 'timestamp': Unix seconds as a JSON integer")
    for name, value in (("key", key_id), ("nonce", nonce), ("signature", signature)):
        if not isinstance(value, str):
            raise MalformedSignatureField(f"envelope field {name!r} must be a string")
    payload_text = data.get("payload")
    if not isinstance(payload_text, str):
        raise MalformedEnvelope("envelope field 'payload' must be a string (the message JSON)")
    try:
        payload = payload_text.encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedEnvelope("envelope field 'payload' is not valid Unicode") from None
    names = {name: f"envelope field {name!r}" for name in ENVELOPE_FIELDS[:4]}
    verified = _verify(
        (key_id, str(timestamp), nonce, signature),
        names,
        MQTT_METHOD,
        topic,
        payload,
        secret_of,
        nonces,
        now,
        max_skew_s,
    )
    return VerifiedEnvelope(verified.key_id, verified.timestamp, verified.nonce, payload)
