"""The gateway's link to a real platform (uvicorn subprocess): item discovery with file:line
refusals, the heartbeat shown with the device status, and uploads and a heartbeat over MQTT
through a private Mosquitto whose device logins the platform keeps (appendix F)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from platform_site import Platform, mqtt_env

from nenghao.gateway.config import ConfigError, load_config
from nenghao.gateway.discovery import check_against_platform
from nenghao.gateway.heartbeat import send_heartbeat
from nenghao.gateway.queue import Queue, Reading
from nenghao.gateway.uploader import Uploader

POINTS = 2
BOUND_S = 60  # an upper bound for a loaded machine, never a wait


def queue_readings(queue: Queue, items: list[str], n: int) -> None:
    """`n` 15-minute register readings per item, ending in the last whole quarter hour."""
    last = int(time.time()) // 900 * 900
    with queue.transaction() as conn:
        for k in range(n):
            for item in items:
                start = last - 900 * (n - 1 - k)
                queue.add(conn, Reading(item, "15min", start, 100.0 + 25.0 * k, "kWh", start))


def test_discovery_and_heartbeat(tmp_path: Path) -> None:
    platform = Platform(tmp_path, POINTS).start()
    try:
        path = platform.gateway_config(tmp_path / "gateway.toml", 5020, POINTS)
        config = load_config(path)
        secret = config.read_secret()
        assert check_against_platform(config, secret) is None
        # an item the platform does not know, refused with its line
        text = path.read_text()
        text = text.replace('code = "M0002"', 'code = "M0099"').replace(
            'item = "M0002"', 'item = "M0099"'
        )
        path.write_text(text)
        line = text.splitlines().index('code = "M0099"') + 1
        with pytest.raises(ConfigError) as refused:
            check_against_platform(load_config(path), secret)
        assert f"{path}:{line}: unknown item code 'M0099'" in str(refused.value)
        # heartbeat: the queue's state as the platform keeps it
        queue = Queue(config.queue_path)
        queue_readings(queue, ["M0001"], 2)
        with httpx.Client() as client:
            answer = send_heartbeat(config, queue, secret, client)
        assert answer["skew_beyond_tolerance"] is False
        (kept,) = platform.heartbeats()
        assert (kept["key_id"], kept["queue_depth"], kept["rejected_count"]) == (
            platform.site.key_id,
            2,
            0,
        )
        assert kept["interval_s"] == 300  # heartbeat_min = 5 by default
        assert [m["item"] for m in kept["meters"]] == ["M0001", "M0002"]
    finally:
        platform.stop()
    # the platform down: discovery falls back to the configuration's items
    assert check_against_platform(config, secret) is not None


def test_uploads_over_mqtt(tmp_path: Path, mqtt_broker) -> None:
    platform = Platform(tmp_path, POINTS, extra_env=mqtt_env(mqtt_broker)).start()
    try:
        path = platform.gateway_config(
            tmp_path / "gateway.toml",
            5020,
            POINTS,
            broker=(mqtt_broker.host, mqtt_broker.port),
        )
        config = load_config(path)
        queue = Queue(config.queue_path)
        queue_readings(queue, ["M0001", "M0002"], 3)
        uploader = Uploader(config, queue, config.read_secret())
        deadline = time.monotonic() + BOUND_S
        try:
            while queue.depth():  # until the platform has synced the device's login
                assert time.monotonic() < deadline, uploader.queue.status_values()
                uploader.send_once()
            # the heartbeat goes over the same connection, through the same broker
            answer = send_heartbeat(config, queue, config.read_secret(), uploader.transport)
        finally:
            uploader.close()
        assert answer["skew_beyond_tolerance"] is False
        assert answer["device_id"] == platform.site.key_id
        assert "nonce" in answer
        (kept,) = platform.heartbeats()
        assert (kept["channel"], kept["queue_depth"], kept["interval_s"]) == ("mqtt", 0, 60)
        assert queue.rejected_count() == 0
        assert [r[1] for r in platform.registers("M0001")] == [100.0, 125.0, 150.0]
        assert queue.status_values()["clock_skew_s"] == pytest.approx(0, abs=2)
    finally:
        platform.stop()
