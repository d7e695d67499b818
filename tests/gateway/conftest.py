"""Fixtures of the gateway tests (the conformance checks of tests/api and the private
Mosquitto of tests/ingest are reused from there)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from nenghao.gateway.config import GatewayConfig, load_config
from nenghao.gateway.example import modbus_example

for _shared in ("api", "ingest"):
    _folder = str(Path(__file__).resolve().parents[1] / _shared)
    if _folder not in sys.path:
        sys.path.append(_folder)

from mqtt_broker import PrivateBroker, start_or_skip  # noqa: E402 - from tests/ingest


@pytest.fixture
def example_config(tmp_path: Path) -> GatewayConfig:
    """The simulator's example configuration with 3 points and a secret file."""
    (tmp_path / "gateway.secret").write_text("demo-secret\n")
    path = tmp_path / "gateway.toml"
    path.write_text(
        modbus_example(
            url="http://127.0.0.1:9",
            key_id="nhk_test",
            credit_code="91210300MA0XY1234W",
            secret_file="gateway.secret",
            points=3,
            raw_max=249_999,
        )
    )
    return load_config(path)


@pytest.fixture
def mqtt_broker(tmp_path: Path) -> Iterator[PrivateBroker]:
    """A private Mosquitto of tests/ingest (dynamic security, anonymous refused)."""
    broker = start_or_skip(tmp_path / "mosquitto")
    yield broker
    broker.stop()
