"""Signed webhooks with retries, and e-mail through an in-process SMTP server."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging

import httpx
from smtp_sink import SmtpSink

from nenghao.monitor.notify import (
    SIGNATURE_HEADER,
    Retry,
    SmtpConfig,
    send_email,
    send_webhook,
    sign,
    verify,
)

SECRET = "s3cret-webhook-key-0123456789"


def test_signature_is_hmac_sha256_of_the_exact_body():
    body = b'{"a": 1}'
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert sign(SECRET, body) == expected
    assert verify(SECRET, body, expected)
    assert not verify(SECRET, body + b" ", expected)
    assert not verify("another-secret-0123456789", body, expected)


def _client(answers: list[int], seen: list[httpx.Request]) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        status = answers.pop(0)
        if status == 0:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(status)

    return httpx.Client(transport=httpx.MockTransport(handler))


def test_webhook_retries_with_backoff_then_succeeds(caplog):
    waits: list[float] = []
    seen: list[httpx.Request] = []
    retry = Retry(attempts=4, backoff_s=0.5, sleep=waits.append)
    payload = {"event": "alert.opened", "alert": {"id": 7, "title": "停机"}}
    with caplog.at_level(logging.DEBUG, logger="nenghao.monitor.notify"):
        delivery = send_webhook(
            "https://hooks.example/x?token=abc",
            SECRET,
            payload,
            retry=retry,
            client=_client([0, 503, 200], seen),
        )
    assert delivery.ok
    assert delivery.attempts == 3
    assert waits == [0.5, 1.0]
    for request in seen:
        assert verify(SECRET, request.content, request.headers[SIGNATURE_HEADER])
        assert json.loads(request.content) == payload
    assert SECRET not in caplog.text
    assert "token=abc" not in caplog.text


def test_webhook_gives_up_and_does_not_retry_client_errors():
    waits: list[float] = []
    seen: list[httpx.Request] = []
    failed = send_webhook(
        "https://hooks.example/y",
        SECRET,
        {"event": "x"},
        retry=Retry(3, 0.1, waits.append),
        client=_client([500, 500, 500], seen),
    )
    assert (failed.ok, failed.attempts, failed.error) == (False, 3, "HTTP 500")
    assert waits == [0.1, 0.2]
    refused = send_webhook(
        "https://hooks.example/z",
        SECRET,
        {"event": "x"},
        retry=Retry(3, 0.1, waits.append),
        client=_client([400], []),
    )
    assert (refused.ok, refused.attempts, refused.error) == (False, 1, "HTTP 400")


def test_webhook_without_secret_is_unsigned():
    seen: list[httpx.Request] = []
    send_webhook("https://h.example/", None, {"event": "x"}, client=_client([204], seen))
    assert SIGNATURE_HEADER not in seen[0].headers


def test_email_through_a_local_smtp_server():
    with SmtpSink() as sink:
        config = SmtpConfig("127.0.0.1", sink.port, sender="monitor@nenghao.test")
        delivery = send_email(
            config, ["a@x.test", "b@x.test"], "告警: 数据缺失", "第一行\n.第二行\n", retry=Retry(1)
        )
    assert delivery.ok
    (message,) = sink.state.messages
    assert message.sender == "monitor@nenghao.test"
    assert message.recipients == ["a@x.test", "b@x.test"]
    text = message.data.decode()
    assert "Subject: =?utf-8?" in text


def test_email_retries_a_busy_server():
    waits: list[float] = []
    with SmtpSink() as sink:
        sink.state.refuse_connections = 1
        delivery = send_email(
            SmtpConfig("127.0.0.1", sink.port),
            ["ops@x.test"],
            "subject",
            "body",
            retry=Retry(3, 0.25, waits.append),
        )
        assert delivery.ok
        assert delivery.attempts == 2
        assert waits == [0.25]
        assert len(sink.state.messages) == 1
