"""The running gateway: the poller in one thread, the uploader in another, heartbeats in a
third (over the uploader's transport), one queue file."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, cast

from nenghao import __version__
from nenghao.gateway.clock import Clock, SystemClock
from nenghao.gateway.config import GatewayConfig
from nenghao.gateway.heartbeat import run_heartbeats
from nenghao.gateway.poller import Poller
from nenghao.gateway.queue import Queue
from nenghao.gateway.readers import MeterReaders
from nenghao.gateway.uploader import Uploader

if TYPE_CHECKING:
    from nenghao.gateway.mqtt_link import MqttTransport

log = logging.getLogger("nenghao.gateway")


def run_gateway(
    config: GatewayConfig, stop: threading.Event, clock: Clock | None = None, idle_s: float = 1.0
) -> None:
    """Poll and upload until `stop` is set.

    The uploader uses the real clock for signing whatever `clock` the poller follows (a
    `FastClock` only moves the meters' time).
    """
    clock = clock or SystemClock()
    secret = config.read_secret()
    upload_queue = Queue(config.queue_path)
    upload_queue.put_status(version=__version__)
    uploader = Uploader(config, upload_queue, secret)
    thread = threading.Thread(
        target=uploader.run, args=(stop, idle_s), name="uploader", daemon=True
    )
    thread.start()
    beat_queue = Queue(config.queue_path)
    # over MQTT the heartbeats share the uploader's connection (one client id per device)
    link = (
        cast("MqttTransport", uploader.transport) if config.platform.transport == "mqtt" else None
    )
    beats = threading.Thread(
        target=run_heartbeats,
        args=(config, beat_queue, secret, stop, link),
        name="heartbeat",
        daemon=True,
    )
    beats.start()
    poll_queue = Queue(config.queue_path)
    reader = MeterReaders(config)
    log.info(
        "gateway %s: %d points, cadence %d min, queue %s, upload over %s",
        __version__,
        len(config.all_points),
        config.gateway.cadence_min,
        config.queue_path,
        config.platform.transport,
    )
    try:
        Poller(config, poll_queue, reader.read_all, clock).run(stop)
    finally:
        stop.set()
        thread.join(30)
        beats.join(30)
        reader.close()
        uploader.close()
        poll_queue.close()
        upload_queue.close()
        beat_queue.close()
