"""The per-device uplink rate limit, one implementation for every transport (HTTPS, MQTT).

A token bucket per key (in process memory, or in Redis shared by every API node:
`nenghao.ingest.redis_state`): `rate` tokens per second, at most `burst`
(settings ``uplink_rate_per_s`` and ``uplink_burst``). A refused message is answered with the
code `RATE_LIMITED` and `retry_after_s` seconds to wait (HTTP ``429`` with ``Retry-After``;
MQTT an error ack with ``details.retry_after_s``).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Protocol

RATE_LIMITED = "rate_limited"
"""The error code of a message refused by the rate limit."""


def retry_after_s(wait: float) -> int:
    """Whole seconds to announce for a `TokenBucket.take` wait [s] (at least 1)."""
    return max(1, math.ceil(wait))


class RateLimit(Protocol):
    """A per-key rate limit: `TokenBucket` (one process) or
    `nenghao.ingest.redis_state.RedisTokenBucket` (every node)."""

    def take(self, key: str) -> float:
        """Take one token of `key`: 0.0 when admitted, else the seconds until one is free."""
        ...


class TokenBucket:
    """Admits a call per token; `take` answers how long to wait when the bucket is empty."""

    MAX_KEYS = 100_000

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate, self.burst, self.clock = rate, float(burst), clock
        self._state: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Take one token of `key`: 0.0 when admitted, else the seconds until one is free."""
        now = self.clock()
        with self._lock:
            tokens, then = self._state.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            if tokens >= 1.0:
                self._state[key] = (tokens - 1.0, now)
                self._prune(now)
                return 0.0
            self._state[key] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def _prune(self, now: float) -> None:
        if len(self._state) <= self.MAX_KEYS:
            return
        full = self.burst / self.rate  # a key idle this long is full again: forget it
        for key in [k for k, (_, then) in self._state.items() if now - then > full]:
            del self._state[key]
