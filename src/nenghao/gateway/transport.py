"""How a message reaches the platform and what came back, whatever the transport.

An `Answer` is what the uploader acts on: an HTTP-like status (200 an acknowledgement, 401
signature, 403 sender, 413 size, 422 message refused, 429 rate limited, 503 not stored), the
JSON body (the ``UplinkAck`` or the error object's envelope), the wait the platform asked for,
and the platform's clock when it answered. `HttpsTransport` posts the signed message
(protocol §7); `nenghao.gateway.mqtt_link.MqttTransport` publishes the signed envelope and
reads its ack, mapping error codes to the same statuses (`status_of_code`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from nenghao.gateway.config import GatewayConfig
from nenghao.gateway.signing import UPLINK_PATH, request_headers

SIGNATURE_CODES = frozenset(
    {
        "missing_signature_field",
        "malformed_signature_field",
        "malformed_envelope",
        "unknown_key",
        "stale_timestamp",
        "bad_signature",
        "replayed_nonce",
    }
)
"""Reason codes of an envelope or request that did not authenticate (appendix C)."""
_CODE_STATUS = {
    "rate_limited": 429,
    "body_too_large": 413,
    "device_mismatch": 403,
    "enterprise_mismatch": 403,
    "storage_unavailable": 503,
}


def status_of_code(code: str) -> int:
    """The HTTPS status the protocol gives an error `code` (§7): used for MQTT error acks."""
    return 401 if code in SIGNATURE_CODES else _CODE_STATUS.get(code, 422)


@dataclass(frozen=True, slots=True)
class Answer:
    """The platform's answer to one message."""

    status: int
    body: dict[str, Any] = field(default_factory=dict)
    retry_after: float | None = None
    """The wait the platform asked for [s] (``Retry-After``, ``details.retry_after_s``)."""
    platform_time: float | None = None
    """The platform's clock when it answered [Unix s], when the answer tells."""


class Transport(Protocol):
    """Sends one message body signed at `timestamp` and returns the platform's answer;
    raises `OSError` or `httpx.HTTPError` when no answer came."""

    def exchange(self, body: bytes, message_id: str, timestamp: int) -> Answer: ...

    def close(self) -> None: ...


def instant(text: object) -> float | None:
    """An RFC 3339 instant (``received_at``) as Unix seconds, or None."""
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


class HttpsTransport:
    """``POST {url}/api/v1/uplink`` with the four signature headers (§6, §7)."""

    def __init__(
        self, config: GatewayConfig, secret: bytes, client: httpx.Client | None = None
    ) -> None:
        platform = config.platform
        verify: Any = str(config.resolve(platform.ca_file)) if platform.ca_file else True
        self.client = client or httpx.Client(timeout=platform.timeout_s, verify=verify)
        self.key_id = platform.key_id
        self.secret = secret
        self.url = platform.url + UPLINK_PATH
        self.path = (urlsplit(platform.url).path or "") + UPLINK_PATH

    def exchange(self, body: bytes, message_id: str, timestamp: int) -> Answer:
        """Post `body`; the answer (the ``Date`` header gives the platform's clock)."""
        headers = request_headers(self.key_id, self.secret, self.path, body, timestamp)
        response = self.client.post(self.url, content=body, headers=headers)
        try:
            content = response.json()
        except ValueError:
            content = {}
        retry_after = None
        if response.status_code in (429, 503):
            try:
                retry_after = float(response.headers.get("Retry-After", ""))
            except ValueError:
                retry_after = None
        return Answer(
            response.status_code,
            content if isinstance(content, dict) else {},
            retry_after,
            _date(response.headers.get("Date")),
        )

    def close(self) -> None:
        """Close the HTTP client."""
        self.client.close()


def _date(header: str | None) -> float | None:
    if not header:
        return None
    try:
        return parsedate_to_datetime(header).timestamp()
    except (TypeError, ValueError):
        return None
