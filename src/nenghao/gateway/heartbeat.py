"""The gateway's heartbeat (protocol §12): every ``heartbeat_min`` minutes a device-signed
message with the gateway's version, queue depth, rejected count, the last successful read of
each meter and its clock skew, read from the queue file.

It goes the way the uploads go: ``POST /api/v1/uplink/heartbeat`` over HTTPS, or, with
``transport = "mqtt"``, a sealed envelope on the ``up`` topic over the uploader's MQTT
connection (`MqttTransport.heartbeat`). A failed heartbeat is logged and tried again at the
next interval; it never holds up readings or uploads.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from nenghao import __version__
from nenghao.gateway.config import GatewayConfig
from nenghao.gateway.discovery import make_client
from nenghao.gateway.queue import Queue
from nenghao.gateway.signing import HEARTBEAT_PATH, PROTOCOL, request_headers, rfc3339

if TYPE_CHECKING:
    from nenghao.gateway.mqtt_link import MqttTransport

log = logging.getLogger("nenghao.gateway.heartbeat")


class HeartbeatRefusedError(ValueError):
    """The platform answered a heartbeat with an error."""


def heartbeat_body(config: GatewayConfig, queue: Queue, now: float) -> dict[str, Any]:
    """The heartbeat message (§12) from the queue file's state at `now` [Unix s]."""
    states = queue.meters()
    meters = []
    for point in config.points:
        state = states.get(point.item)
        last = state.last_read_at if state is not None else None
        meters.append(
            {
                "meter": point.name[:64],
                "item": point.item,
                "last_read_at": rfc3339(last) if last is not None else None,
            }
        )
    skew = queue.status_values().get("clock_skew_s")
    return {
        "protocol": PROTOCOL,
        "credit_code": config.gateway.credit_code,
        "device_id": config.platform.key_id,
        "sent_at": rfc3339(now),
        "gateway_version": __version__,
        "interval_s": config.platform.heartbeat_min * 60,
        "queue_depth": queue.depth(),
        "rejected_count": queue.rejected_count(),
        "clock_skew_s": skew if isinstance(skew, int | float) else None,
        "meters": meters,
    }


def send_heartbeat(
    config: GatewayConfig,
    queue: Queue,
    secret: bytes,
    via: httpx.Client | MqttTransport,
) -> dict[str, Any]:
    """Send one heartbeat `via` HTTPS (a client) or MQTT (the uploader's transport); the
    platform's answer. Raises `httpx.HTTPError` or `OSError` (no answer),
    `HeartbeatRefusedError`."""
    now = time.time()
    body = json.dumps(
        heartbeat_body(config, queue, now), ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    if not isinstance(via, httpx.Client):
        answer = via.heartbeat(body, int(now))
        error = answer.get("error")
        if isinstance(error, dict):
            raise HeartbeatRefusedError(f"{error.get('code')}: {error.get('message')}")
    else:
        path = (urlsplit(config.platform.url).path or "") + HEARTBEAT_PATH
        headers = request_headers(config.platform.key_id, secret, path, body, int(now))
        url = config.platform.url + HEARTBEAT_PATH
        response = via.post(url, content=body, headers=headers)
        response.raise_for_status()
        answer = response.json()
    if answer.get("skew_beyond_tolerance"):
        log.warning(
            "the platform measured a clock skew of %+d s: beyond the protocol's tolerance",
            answer.get("clock_skew_s", 0),
        )
    return answer


def run_heartbeats(
    config: GatewayConfig,
    queue: Queue,
    secret: bytes,
    stop: threading.Event,
    link: MqttTransport | None = None,
) -> None:
    """Send a heartbeat at once, then every ``heartbeat_min`` minutes until `stop` is set
    (over `link`, the uploader's MQTT connection, when given)."""
    with make_client(config) as client:
        while True:
            try:
                send_heartbeat(config, queue, secret, link or client)
                queue.put_status(last_heartbeat_at=time.time(), last_heartbeat_error=None)
            except (httpx.HTTPError, OSError, ValueError) as exc:
                log.warning("heartbeat not sent: %s", exc)
                queue.put_status(last_heartbeat_error=f"{exc.__class__.__name__}: {exc}")
            if stop.wait(config.platform.heartbeat_min * 60):
                return
