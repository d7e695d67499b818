"""Uplink state shared by several API nodes, in Redis (setting ``redis_url``).

- `RedisNonceCache`: each (key, nonce) is claimed with ``SET NX`` and expires with the
  protocol's window (the request's timestamp + 300 s), so a nonce used on one node is refused
  on every other.
- `RedisTokenBucket`: the per-device token bucket of `nenghao.ingest.ratelimit`, kept in one
  Redis hash per device and taken by an atomic script on Redis's own clock, so the rate holds
  across nodes.

A Redis that cannot answer raises `SharedStateUnavailable`: the uplink is then answered 503
``storage_unavailable`` with ``Retry-After`` (MQTT: left unacknowledged and retried); a nonce
is never accepted unchecked. Without ``redis_url`` a single node keeps its nonces in the
database and its rate limits in process memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import redis
from sqlalchemy import Connection


class SharedStateUnavailable(RuntimeError):  # noqa: N818 - reads as the condition it is
    """Redis did not answer (down, unreachable, too slow): nothing was checked or recorded."""


@dataclass(frozen=True)
class SharedState:
    """A Redis client and the prefix of this platform's keys."""

    client: redis.Redis
    prefix: str

    @classmethod
    def connect(cls, url: str, *, prefix: str = "nenghao", timeout_s: float = 2.0) -> SharedState:
        """A client of `url` (connected lazily) waiting at most `timeout_s` [s] for Redis."""
        client = redis.Redis.from_url(
            url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s
        )
        return cls(client, prefix)

    def key(self, *parts: str) -> str:
        """The Redis key of `parts` under the prefix."""
        return ":".join((self.prefix, *parts))

    def ping(self) -> None:
        """Raise `SharedStateUnavailable` unless Redis answers."""
        try:
            self.client.ping()
        except redis.RedisError as exc:
            raise SharedStateUnavailable(f"Redis: {exc.__class__.__name__}") from None

    def close(self) -> None:
        """Close the client's connections."""
        self.client.close()


class RedisNonceCache:
    """`nonces.NonceStore` in Redis: one key per (key id, nonce), expiring with the window.

    A claim does not roll back with the database transaction (`outside_transaction`): the
    caller releases it (`forget`) when the message was neither stored nor held.
    """

    outside_transaction = True

    def __init__(self, shared: SharedState) -> None:
        self.shared = shared

    def remember(self, key_id: str, nonce: str, *, now: int, expires_at: int) -> bool:
        """Claim (key_id, nonce) until `expires_at` [Unix s, inclusive]; False when it is
        claimed already (a replay)."""
        ttl = max(1, expires_at - now + 1)
        try:
            claimed = self.shared.client.set(self._key(key_id, nonce), b"1", nx=True, ex=ttl)
        except redis.RedisError as exc:
            raise SharedStateUnavailable(f"nonce not checked: {exc.__class__.__name__}") from None
        return bool(claimed)

    def remember_in(
        self, _conn: Connection, key_id: str, nonce: str, *, now: int, expires_at: int
    ) -> bool:
        """`remember` (Redis has no part in the database transaction)."""
        return self.remember(key_id, nonce, now=now, expires_at=expires_at)

    def forget(self, key_id: str, nonce: str) -> None:
        """Release a claim (the message was not stored: the nonce is not used up)."""
        try:
            self.shared.client.delete(self._key(key_id, nonce))
        except redis.RedisError as exc:
            raise SharedStateUnavailable(f"nonce not released: {exc.__class__.__name__}") from None

    def _key(self, key_id: str, nonce: str) -> str:
        return self.shared.key("nonce", key_id, nonce)  # a nonce holds no ":"


TAKE_TOKEN = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return tostring(wait)
"""
"""One token of a device's bucket (`ratelimit.TokenBucket.take`, atomically in Redis, on its
clock): refill `rate` per second up to `burst`, then take one or answer the wait [s]. A bucket
idle long enough to be full again expires."""


class RedisTokenBucket:
    """`ratelimit.TokenBucket` shared by every node: the same `take`, kept in Redis."""

    def __init__(self, shared: SharedState, rate: float, burst: int) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.shared, self.rate, self.burst = shared, rate, burst
        self._script: Any = shared.client.register_script(TAKE_TOKEN)

    def take(self, key: str) -> float:
        """Take one token of `key`: 0.0 when admitted, else the seconds until one is free."""
        try:
            wait = self._script(keys=[self.shared.key("rate", key)], args=[self.rate, self.burst])
        except redis.RedisError as exc:
            raise SharedStateUnavailable(f"rate not checked: {exc.__class__.__name__}") from None
        return float(wait)
