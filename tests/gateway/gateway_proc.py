"""Run a gateway on a `FastClock` (what ``nenghao gateway run`` does, days in seconds):
``python gateway_proc.py CONFIG ORIGIN REAL_ORIGIN SPEED``; SIGTERM stops it."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

from nenghao.gateway.clock import FastClock
from nenghao.gateway.config import load_config
from nenghao.gateway.runner import run_gateway

if __name__ == "__main__":
    config, origin, real_origin, speed = sys.argv[1:5]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    clock = FastClock(float(origin), float(real_origin), float(speed))
    run_gateway(load_config(Path(config)), stop, clock, idle_s=0.05)
