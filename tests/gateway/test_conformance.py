"""The gateway against the protocol's conformance vectors (docs/uplink-vectors/, appendix I):
its signer, its MQTT envelope and its broker password, with the check functions every client
implementation is held to (tests/api/uplink_vectors.py)."""

from __future__ import annotations

from uplink_vectors import check_mqtt_password, check_sealer, check_signer

from nenghao.gateway import signing


def test_signing_vectors() -> None:
    # the HTTPS POST (appendix D), the two GET reads and the MQTT example
    assert check_signer(signing.signature) >= 4


def test_golden_envelopes() -> None:
    assert check_sealer(signing.seal_envelope) >= 1


def test_mqtt_password() -> None:
    check_mqtt_password(signing.mqtt_password)
    # appendix F's worked example, written out
    assert signing.mqtt_password("demo-secret") == "yJQ3qfr686DWIYYco0du_TL7Ua0XwsPJZo-hL7N69og"


def test_get_headers_sign_the_empty_body() -> None:
    headers = signing.request_headers(
        "nhk_3f9a0c1d2e4b5a69",
        b"demo-secret",
        "/api/v1/uplink/items?page=1&page_size=50",
        b"",
        1714530000,
        "AbCdEfGhIjKlMnOp_-12",
        method="GET",
    )
    # appendix D's read example
    assert headers[signing.SIGNATURE_HEADER] == (
        "d2c1f2ba744a828a6c09600f5afb1cf65504c52826112affc71533ff4fc7ecaa"
    )
    assert "Content-Type" not in headers
