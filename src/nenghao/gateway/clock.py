"""The gateway's clock: the system clock, or a faster one for simulations and tests.

`SystemClock` is what `nenghao gateway run` uses. `FastClock` runs `speed` times faster than
real time from a given origin, so that days of 15-minute periods pass in seconds; the Modbus
simulator and the gateway share one origin and speed to agree on the time.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass


class SystemClock:
    """Real time [Unix s]."""

    def now(self) -> float:
        """The current instant [Unix s]."""
        return time.time()

    def wait_until(self, instant: float, stop: threading.Event) -> bool:
        """Sleep until `instant` or until `stop` is set; whether `stop` was set."""
        return stop.wait(max(0.0, instant - self.now()))


@dataclass(frozen=True)
class FastClock:
    """Time that starts at `origin` [Unix s] when the real clock reads `real_origin` [Unix s]
    and runs `speed` times faster."""

    origin: float
    real_origin: float
    speed: float

    def now(self) -> float:
        """The current simulated instant [Unix s]."""
        return self.origin + (time.time() - self.real_origin) * self.speed

    def wait_until(self, instant: float, stop: threading.Event) -> bool:
        """Sleep until the simulated `instant` or until `stop` is set."""
        return stop.wait(max(0.0, (instant - self.now()) / self.speed))


Clock = SystemClock | FastClock
