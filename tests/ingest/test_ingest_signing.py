"""HMAC-SHA256 signing: round trips, tampering, clock window, replays, keys, MQTT envelope."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from message_builders import CREDIT_CODE, dumps, message

from nenghao.ingest.parsing import parse_message
from nenghao.ingest.protocol import HTTP_PATH, mqtt_up_topic
from nenghao.ingest.signing import (
    KEY_HEADER,
    NONCE_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    BadSignature,
    InMemoryNonceCache,
    MalformedEnvelope,
    MalformedSignatureField,
    MissingSignatureField,
    ReplayedNonce,
    SignatureError,
    StaleTimestamp,
    UnknownKey,
    canonical_string,
    new_nonce,
    open_envelope,
    seal_envelope,
    sign,
    signed_headers,
    verify,
)
from nenghao.standards.reason_codes import ReasonCode

KEYS = {"dev-1": b"secret-one-0123456789abcdef", "dev-2": b"secret-two-0123456789abcdef"}
NOW = 1_714_530_000
NONCE = "AbCdEfGhIjKlMnOp_-12"
BODY = dumps(message()).encode("utf-8")
TOPIC = mqtt_up_topic(CREDIT_CODE)


def secret_of(key_id: str) -> bytes | None:
    return KEYS.get(key_id)


def headers(**overrides: str) -> dict[str, str]:
    result = signed_headers(
        "dev-1", KEYS["dev-1"], "POST", HTTP_PATH, BODY, timestamp=NOW, nonce=NONCE
    )
    result.update(overrides)
    return result


def check(
    hdrs: dict[str, str],
    *,
    method: str = "POST",
    path: str = HTTP_PATH,
    body: bytes = BODY,
    now: float = NOW,
    cache: InMemoryNonceCache | None = None,
) -> str:
    verified = verify(
        hdrs,
        method,
        path,
        body,
        secret_of=secret_of,
        nonces=InMemoryNonceCache() if cache is None else cache,
        now=now,
    )
    return verified.key_id


def test_canonical_string_is_documented_shape() -> None:
    text = canonical_string("POST", "/api/v1/uplink", 1714530000, NONCE, b"{}")
    assert text == (
        "POST\n/api/v1/uplink\n1714530000\n" + NONCE + "\n" + hashlib.sha256(b"{}").hexdigest()
    )


def test_golden_signature() -> None:
    # Worked example (also in docs/uplink-protocol.md): secret "demo-secret", body "{}".
    expected = "89b0fe8d62cb71fadeae399bc7af4e80a8d90524d054a259446b4b1935955949"
    assert sign(b"demo-secret", "POST", "/api/v1/uplink", 1714530000, NONCE, b"{}") == expected


def test_round_trip() -> None:
    assert check(headers()) == "dev-1"


def test_header_names_are_case_insensitive_and_hex_case_ignored() -> None:
    hdrs = {name.lower(): value for name, value in headers().items()}
    hdrs["x-nenghao-signature"] = hdrs["x-nenghao-signature"].upper()
    assert check(hdrs) == "dev-1"


@pytest.mark.parametrize(
    "tamper",
    [
        {"method": "PUT"},
        {"path": "/api/v1/uplink?x=1"},
        {"path": "/api/v1/Uplink"},
        {"body": BODY + b" "},
        {"body": BODY.replace(b"123.5", b"123.6")},
    ],
    ids=["method", "query", "path", "body-space", "body-value"],
)
def test_tampered_request_parts(tamper: dict[str, object]) -> None:
    with pytest.raises(BadSignature) as info:
        check(headers(), **tamper)  # type: ignore[arg-type]
    assert info.value.code is ReasonCode.BAD_SIGNATURE


def test_tampered_timestamp_and_nonce_headers() -> None:
    with pytest.raises(BadSignature):
        check(headers(**{TIMESTAMP_HEADER: str(NOW + 1)}))
    with pytest.raises(BadSignature):
        check(headers(**{NONCE_HEADER: NONCE[:-1] + "3"}))


def test_tampered_signature() -> None:
    signature = headers()[SIGNATURE_HEADER]
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    with pytest.raises(BadSignature):
        check(headers(**{SIGNATURE_HEADER: flipped}))


def test_other_key_and_unknown_key() -> None:
    with pytest.raises(BadSignature):
        check(headers(**{KEY_HEADER: "dev-2"}))  # signed with dev-1's secret
    other = signed_headers(
        "dev-2", KEYS["dev-1"], "POST", HTTP_PATH, BODY, timestamp=NOW, nonce=NONCE
    )
    with pytest.raises(BadSignature):
        check(other)
    with pytest.raises(UnknownKey) as info:
        check(headers(**{KEY_HEADER: "dev-9"}))
    assert info.value.code is ReasonCode.UNKNOWN_KEY


@pytest.mark.parametrize("offset", [301, -301, 10_000, -10_000])
def test_stale_timestamp_both_directions(offset: int) -> None:
    with pytest.raises(StaleTimestamp) as info:
        check(headers(), now=NOW + offset)
    assert info.value.code is ReasonCode.STALE_TIMESTAMP


@pytest.mark.parametrize("offset", [300, -300, 0, 299.9])
def test_timestamp_within_window(offset: float) -> None:
    assert check(headers(), now=NOW + offset) == "dev-1"


def test_replayed_nonce() -> None:
    cache = InMemoryNonceCache()
    assert check(headers(), cache=cache) == "dev-1"
    with pytest.raises(ReplayedNonce) as info:
        check(headers(), cache=cache, now=NOW + 200)
    assert info.value.code is ReasonCode.REPLAYED_NONCE
    # the same nonce under another key is a different pair
    other = signed_headers(
        "dev-2", KEYS["dev-2"], "POST", HTTP_PATH, BODY, timestamp=NOW, nonce=NONCE
    )
    assert check(other, cache=cache) == "dev-2"


def test_failed_verification_does_not_consume_the_nonce() -> None:
    cache = InMemoryNonceCache()
    bad = headers(**{SIGNATURE_HEADER: "0" * 64})
    with pytest.raises(BadSignature):
        check(bad, cache=cache)
    assert len(cache) == 0
    assert check(headers(), cache=cache) == "dev-1"


def test_nonce_cache_expiry() -> None:
    cache = InMemoryNonceCache()
    assert cache.remember("k", NONCE, now=100, expires_at=400)
    assert not cache.remember("k", NONCE, now=400, expires_at=700)
    assert cache.remember("other", NONCE, now=401, expires_at=701)
    assert len(cache) == 1  # the first entry was purged
    assert cache.remember("k", NONCE, now=401, expires_at=701)


def test_replay_after_window_is_stale_not_replayed() -> None:
    cache = InMemoryNonceCache()
    check(headers(), cache=cache)
    with pytest.raises(StaleTimestamp):
        check(headers(), cache=cache, now=NOW + 301)


@pytest.mark.parametrize("header", [KEY_HEADER, TIMESTAMP_HEADER, NONCE_HEADER, SIGNATURE_HEADER])
def test_missing_headers(header: str) -> None:
    hdrs = headers()
    del hdrs[header]
    with pytest.raises(MissingSignatureField, match=header) as info:
        check(hdrs)
    assert info.value.code is ReasonCode.MISSING_SIGNATURE_FIELD


@pytest.mark.parametrize(
    ("header", "value"),
    [
        (KEY_HEADER, ""),
        (KEY_HEADER, "has space"),
        (TIMESTAMP_HEADER, "-5"),
        (TIMESTAMP_HEADER, "+1714530000"),
        (TIMESTAMP_HEADER, "01714530000"),
        (TIMESTAMP_HEADER, "1714530000.0"),
        (TIMESTAMP_HEADER, "2024-05-01T00:00:00Z"),
        (NONCE_HEADER, "short"),
        (NONCE_HEADER, "x" * 65),
        (NONCE_HEADER, "has+plus/slash=padding"),
        (SIGNATURE_HEADER, "abc"),
        (SIGNATURE_HEADER, "g" * 64),
    ],
)
def test_malformed_headers(header: str, value: str) -> None:
    with pytest.raises(MalformedSignatureField) as info:
        check(headers(**{header: value}))
    assert info.value.code is ReasonCode.MALFORMED_SIGNATURE_FIELD


def test_new_nonces_are_valid_and_distinct() -> None:
    nonces = {new_nonce() for _ in range(100)}
    assert len(nonces) == 100
    assert (
        check(
            headers(
                **signed_headers("dev-1", KEYS["dev-1"], "POST", HTTP_PATH, BODY, timestamp=NOW)
            )
        )
        == "dev-1"
    )


def test_signature_errors_share_a_base() -> None:
    for cls in (
        MissingSignatureField,
        MalformedSignatureField,
        MalformedEnvelope,
        UnknownKey,
        StaleTimestamp,
        BadSignature,
        ReplayedNonce,
    ):
        assert issubclass(cls, SignatureError)
        assert cls.reason.value in {code.value for code in ReasonCode}


@given(
    secret=st.binary(min_size=1, max_size=64),
    method=st.sampled_from(["POST", "PUT", "GET"]),
    path=st.text(min_size=1, max_size=40).filter(lambda p: "\n" not in p),
    timestamp=st.integers(min_value=0, max_value=10**11),
    nonce=st.from_regex(r"\A[A-Za-z0-9_\-]{16,64}\Z"),
    body=st.binary(max_size=500),
)
def test_sign_verify_round_trip(
    secret: bytes, method: str, path: str, timestamp: int, nonce: str, body: bytes
) -> None:
    hdrs = signed_headers("k", secret, method, path, body, timestamp=timestamp, nonce=nonce)
    verified = verify(
        hdrs,
        method,
        path,
        body,
        secret_of=lambda key: secret if key == "k" else None,
        nonces=InMemoryNonceCache(),
        now=timestamp,
    )
    assert (verified.key_id, verified.timestamp, verified.nonce) == ("k", timestamp, nonce)


# --- MQTT envelope ----------------------------------------------------------------------


def envelope(**overrides: object) -> bytes:
    sealed = seal_envelope("dev-1", KEYS["dev-1"], TOPIC, BODY, timestamp=NOW, nonce=NONCE)
    data = json.loads(sealed)
    data.update(overrides)
    return json.dumps({k: v for k, v in data.items() if v is not None}).encode()


def open_(
    raw: bytes, topic: str = TOPIC, cache: InMemoryNonceCache | None = None, now: int = NOW
) -> bytes:
    opened = open_envelope(
        raw,
        topic,
        secret_of=secret_of,
        nonces=InMemoryNonceCache() if cache is None else cache,
        now=now,
    )
    assert opened.key_id == "dev-1"
    return opened.payload


def test_envelope_round_trip_keeps_the_payload_bytes() -> None:
    sealed = seal_envelope("dev-1", KEYS["dev-1"], TOPIC, BODY, timestamp=NOW, nonce=NONCE)
    assert set(json.loads(sealed)) == {"key", "timestamp", "nonce", "signature", "payload"}
    payload = open_(sealed)
    assert payload == BODY
    assert parse_message(payload).credit_code == CREDIT_CODE


def test_envelope_signature_covers_method_mqtt_and_topic() -> None:
    data = json.loads(envelope())
    assert data["signature"] == sign(KEYS["dev-1"], "MQTT", TOPIC, NOW, NONCE, BODY)
    with pytest.raises(BadSignature):
        open_(envelope(), topic=mqtt_up_topic("91210300MA0XY1235X"))


def test_envelope_tampering() -> None:
    with pytest.raises(BadSignature):
        open_(envelope(payload=BODY.decode().replace("123.5", "1235")))
    with pytest.raises(BadSignature):
        open_(envelope(timestamp=NOW + 1))
    with pytest.raises(BadSignature):
        open_(envelope(key="dev-2"))
    with pytest.raises(StaleTimestamp):
        open_(envelope(), now=NOW - 301)


def test_envelope_replay() -> None:
    cache = InMemoryNonceCache()
    open_(envelope(), cache=cache)
    with pytest.raises(ReplayedNonce):
        open_(envelope(), cache=cache)


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b"not json", MalformedEnvelope),
        (b"[]", MalformedEnvelope),
        (envelope(extra=1), MalformedEnvelope),
        (envelope(payload=None), MalformedEnvelope),
        (envelope(payload={"protocol": "nenghao-uplink/1"}), MalformedEnvelope),
        (envelope(signature=None), MissingSignatureField),
        (envelope(nonce=None), MissingSignatureField),
        (envelope(timestamp=str(NOW)), MalformedSignatureField),
        (envelope(timestamp=True), MalformedSignatureField),
        (envelope(timestamp=-1), MalformedSignatureField),
        (envelope(nonce=12345678901234567), MalformedSignatureField),
        (envelope(nonce="short"), MalformedSignatureField),
    ],
)
def test_malformed_envelopes(raw: bytes, error: type[SignatureError]) -> None:
    with pytest.raises(error) as info:
        open_(raw)
    assert info.value.code is error.reason
