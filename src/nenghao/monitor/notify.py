"""Notifications: HMAC-signed webhooks (httpx) and e-mail (smtplib), with retries.

A webhook receives the alert as JSON; the header ``X-Nenghao-Signature: sha256=<hex>`` is
HMAC-SHA256 of the exact body bytes under the channel's secret (the receiver recomputes it
and compares in constant time). Transport errors, 429 and 5xx answers are retried with
exponential back-off; other answers are final. Secrets are never logged: log lines name the
channel and the host only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import httpx

logger = logging.getLogger("nenghao.monitor.notify")

SIGNATURE_HEADER = "X-Nenghao-Signature"
RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Delivery:
    """Outcome of one notification: sent or failed, after how many attempts."""

    ok: bool
    attempts: int
    error: str | None = None


@dataclass(frozen=True)
class Retry:
    """Attempts and back-off: waits ``backoff_s * 2**k`` after the k-th failed attempt."""

    attempts: int = 4
    backoff_s: float = 2.0
    sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how e-mail is sent."""

    host: str
    port: int = 25
    sender: str = "nenghao@localhost"
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout_s: float = 10.0


def sign(secret: str, body: bytes) -> str:
    """The signature header value: ``sha256=`` + hex HMAC-SHA256 of `body` under `secret`."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, body: bytes, header: str) -> bool:
    """Whether `header` is the signature of `body` (constant-time comparison)."""
    return hmac.compare_digest(sign(secret, body), header)


def body_of(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")


def _retrying(action: Callable[[], str | None], retry: Retry, what: str) -> Delivery:
    """Run `action` (None: done; a text: retryable error) up to `retry.attempts` times.
    A `PermanentError` stops at once."""
    error = None
    for attempt in range(1, retry.attempts + 1):
        try:
            error = action()
        except PermanentError as exc:
            logger.warning("%s: failed for good: %s", what, exc)
            return Delivery(False, attempt, str(exc))
        if error is None:
            return Delivery(True, attempt)
        logger.info("%s: attempt %d failed: %s", what, attempt, error)
        if attempt < retry.attempts:
            retry.sleep(retry.backoff_s * 2 ** (attempt - 1))
    logger.warning("%s: gave up after %d attempts", what, retry.attempts)
    return Delivery(False, retry.attempts, error)


class PermanentError(Exception):
    """A failure that retrying will not fix (e.g. HTTP 400, a refused recipient)."""


def send_webhook(
    url: str,
    secret: str | None,
    payload: dict[str, Any],
    *,
    retry: Retry | None = None,
    client: httpx.Client | None = None,
    timeout_s: float = 10.0,
) -> Delivery:
    """POST `payload` as signed JSON to `url`."""
    body = body_of(payload)
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "nenghao"}
    if secret:
        headers[SIGNATURE_HEADER] = sign(secret, body)
    headers["X-Nenghao-Event"] = str(payload.get("event", "alert"))
    own = client is None
    http = client or httpx.Client(timeout=timeout_s)
    host = urlsplit(url).netloc

    def attempt() -> str | None:
        try:
            response = http.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return f"{exc.__class__.__name__}"
        if response.status_code < 300:
            return None
        if response.status_code in RETRY_STATUS:
            return f"HTTP {response.status_code}"
        raise PermanentError(f"HTTP {response.status_code}")

    try:
        return _retrying(attempt, retry or Retry(), f"webhook to {host}")
    finally:
        if own:
            http.close()


def send_email(
    config: SmtpConfig,
    recipients: list[str],
    subject: str,
    text: str,
    *,
    retry: Retry | None = None,
) -> Delivery:
    """Send a plain-text message through the SMTP server of `config`."""
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message.set_content(text)

    def attempt() -> str | None:
        try:
            with smtplib.SMTP(config.host, config.port, timeout=config.timeout_s) as smtp:
                if config.starttls:
                    smtp.starttls()
                if config.username:
                    smtp.login(config.username, config.password or "")
                smtp.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPAuthenticationError) as exc:
            raise PermanentError(exc.__class__.__name__) from None
        except (OSError, smtplib.SMTPException) as exc:
            return exc.__class__.__name__
        return None

    return _retrying(attempt, retry or Retry(), f"e-mail via {config.host}:{config.port}")
