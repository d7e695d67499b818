"""nenghao's own forwarding protocol, the first upstream adapter (docs/federation.md).

A batch is ``POST {upstream}/api/v1/federation/batches`` with the JSON body
``{"entries": [{"id", "kind", "payload"}, ...]}``, signed as an uplink request (key id,
timestamp, nonce, HMAC-SHA256 of the canonical string; docs/uplink-protocol.md) with the
member credential the upstream issued. 200 means every entry is applied (or was already).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from urllib.parse import urlsplit

import httpx

from nenghao.federation.adapter import DeliveryError, OutboxEntry
from nenghao.ingest.signing import signed_headers
from nenghao.standards.digits import is_digits
from nenghao.store.federation import Upstream

BATCH_PATH = "/api/v1/federation/batches"
TIMEOUT_S = 60.0


def batch_body(entries: Sequence[OutboxEntry]) -> bytes:
    """The JSON body of a batch (compact UTF-8)."""
    document = {"entries": [{"id": e.id, "kind": e.kind, "payload": e.payload} for e in entries]}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def retry_after(response: httpx.Response) -> float | None:
    """The ``Retry-After`` of an answer in seconds (the delay form), else None."""
    value = response.headers.get("retry-after", "").strip()
    return float(value) if is_digits(value) else None


class NenghaoProtocol:
    """`UpstreamAdapter` for an upstream that is another nenghao."""

    def __init__(self, upstream: Upstream, transport: httpx.BaseTransport | None = None) -> None:
        self.upstream = upstream
        self.path = urlsplit(upstream.url).path.rstrip("/") + BATCH_PATH
        self.client = httpx.Client(timeout=TIMEOUT_S, transport=transport)

    def deliver(self, entries: Sequence[OutboxEntry]) -> None:
        """Send one signed batch; `DeliveryError` unless the upstream answers 200."""
        body = batch_body(entries)
        secret = self.upstream.secret.encode("utf-8")
        headers = signed_headers(self.upstream.key_id, secret, "POST", self.path, body)
        headers["Content-Type"] = "application/json"
        url = self.upstream.url + BATCH_PATH
        try:
            response = self.client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"upstream unreachable: {exc.__class__.__name__}") from None
        if response.status_code != 200:
            raise DeliveryError(_described(response), retry_after(response))

    def close(self) -> None:
        """Close the HTTP client."""
        self.client.close()


def _described(response: httpx.Response) -> str:
    try:
        error = response.json()["error"]
        return f"HTTP {response.status_code} {error['code']}: {error['message']}"
    except (ValueError, KeyError, TypeError):
        return f"HTTP {response.status_code}"
