"""The uplink protocol's conformance vectors (docs/uplink-vectors/) and the checks a client
implementation is held to: signing, MQTT passwords and golden envelopes.

The checks take the client's own functions, so the same vectors test the platform's
`nenghao.ingest.signing` here and any other client (the gateway) elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

VECTORS = Path(__file__).resolve().parents[2] / "docs" / "uplink-vectors"

Signer = Callable[[bytes, str, str, int, str, bytes], str]
"""``sign(secret, method, path, timestamp, nonce, body) -> lower-case hex``."""
Sealer = Callable[[str, bytes, str, bytes, int, str], bytes]
"""``seal(key_id, secret, topic, payload, timestamp, nonce) -> envelope JSON bytes``."""


def load(kind: str) -> dict[str, dict[str, Any]]:
    """The vectors of one directory (``signing``, ``envelopes``, ``answers``) by name."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((VECTORS / kind).glob("*.json"))
    }


def check_signer(sign: Signer) -> int:
    """Assert that `sign` gives every signing vector's signature; the number checked."""
    checked = 0
    for name, vector in load("signing").items():
        if "signature" not in vector:
            continue
        got = sign(
            vector["secret"].encode("utf-8"),
            vector["method"],
            vector["path"],
            vector["timestamp"],
            vector["nonce"],
            vector["body"].encode("utf-8"),
        )
        assert got == vector["signature"], name
        checked += 1
    return checked


def check_mqtt_password(derive: Callable[[str], str]) -> None:
    """Assert that `derive(secret)` gives the vector's MQTT password."""
    vector = load("signing")["mqtt-password"]
    assert derive(vector["secret"]) == vector["mqtt_password"]


def check_sealer(seal: Sealer) -> int:
    """Assert that `seal` builds each golden envelope (compared as JSON); the number checked."""
    checked = 0
    for name, vector in load("envelopes").items():
        envelope = vector["envelope"]
        got = seal(
            envelope["key"],
            vector["secret"].encode("utf-8"),
            vector["topic"],
            envelope["payload"].encode("utf-8"),
            envelope["timestamp"],
            envelope["nonce"],
        )
        assert json.loads(got) == envelope, name
        checked += 1
    return checked


def fill(value: Any, values: dict[str, Any]) -> Any:
    """`value` with the placeholders ``$name`` (whole strings, or inside one) replaced."""
    if isinstance(value, str):
        if value in values:
            return values[value]
        for name, replacement in values.items():
            value = value.replace(name, str(replacement))
        return value
    if isinstance(value, dict):
        return {k: fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, values) for v in value]
    return value
