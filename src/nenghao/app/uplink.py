"""The uplink service as the settings configure it (one per process)."""

from __future__ import annotations

from sqlalchemy import Engine

from nenghao.config import Settings
from nenghao.ingest.item_limits import ValidationLimits
from nenghao.ingest.nonces import NonceStore
from nenghao.ingest.ratelimit import RateLimit, TokenBucket
from nenghao.ingest.redis_state import RedisNonceCache, RedisTokenBucket, SharedState
from nenghao.ingest.sender import UplinkLimits
from nenghao.ingest.service import UplinkService
from nenghao.store.keyfile import load_master_key


def uplink_limits(settings: Settings) -> UplinkLimits:
    """The message and validation limits of `settings` (``uplink_*``)."""
    return UplinkLimits(
        max_records=settings.uplink_max_records,
        max_body_bytes=settings.uplink_max_body_bytes,
        validation=ValidationLimits(clock_tolerance_s=settings.uplink_clock_tolerance_s),
    )


def build_uplink(settings: Settings, engine: Engine, *, prepare_workers: int = 0) -> UplinkService:
    """The uplink service on `engine`: the configured limits, the master key (loaded when
    first needed), one rate limit per device shared by HTTPS and MQTT, and
    `prepare_workers` prepare worker processes (the server passes the setting).

    With ``redis_url`` the nonces and the rate limits live in Redis, shared by every API node;
    without it the nonces are in the database and the rate limits in this process."""

    def master_key() -> bytes:
        configured = settings.secret_key.get_secret_value() if settings.secret_key else None
        return load_master_key(configured, settings.data_dir)

    rate: RateLimit = TokenBucket(settings.uplink_rate_per_s, settings.uplink_burst)
    nonces: NonceStore | None = None
    if settings.redis_url:
        shared = SharedState.connect(
            settings.redis_url, prefix=settings.redis_prefix, timeout_s=settings.redis_timeout_s
        )
        rate = RedisTokenBucket(shared, settings.uplink_rate_per_s, settings.uplink_burst)
        nonces = RedisNonceCache(shared)
    return UplinkService(
        engine,
        master_key=master_key,
        limits=uplink_limits(settings),
        rate=rate,
        nonces=nonces,
        prepare_workers=prepare_workers,
    )
