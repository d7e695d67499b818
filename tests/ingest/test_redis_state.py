"""The uplink state shared by several API nodes in a real Redis: nonces and rate limits."""

from __future__ import annotations

import time

import pytest

from nenghao.ingest.nonces import PendingNonce
from nenghao.ingest.redis_state import (
    RedisNonceCache,
    RedisTokenBucket,
    SharedState,
    SharedStateUnavailable,
)
from nenghao.ingest.signing import ReplayedNonce


@pytest.fixture
def shared(redis_url: str, redis_prefix: str):
    state = SharedState.connect(redis_url, prefix=redis_prefix)
    yield state
    state.close()


def test_a_nonce_is_claimed_once_per_key_until_its_window_ends(shared) -> None:
    node_a, node_b = RedisNonceCache(shared), RedisNonceCache(shared)  # two API nodes
    now = int(time.time())
    assert node_a.remember("k1", "n" * 16, now=now, expires_at=now + 300)
    assert not node_b.remember("k1", "n" * 16, now=now, expires_at=now + 300)
    assert node_b.remember("k2", "n" * 16, now=now, expires_at=now + 300)  # another key
    ttl = shared.client.ttl(f"{shared.prefix}:nonce:k1:{'n' * 16}")
    assert 299 <= ttl <= 301  # the window: timestamp + 300 s, seen from now
    node_a.forget("k1", "n" * 16)
    assert node_b.remember("k1", "n" * 16, now=now, expires_at=now + 300)


def test_a_pending_nonce_keeps_its_claim_through_a_retried_transaction(shared) -> None:
    cache = RedisNonceCache(shared)
    now = int(time.time())
    first = PendingNonce(cache)
    first.remember("k1", "abcdefghijklmnop", now=now, expires_at=now + 300)
    first.record(None)  # type: ignore[arg-type]  # Redis takes no part in the transaction
    first.record(None)  # type: ignore[arg-type]  # the group failed, written again alone
    replay = PendingNonce(cache)
    replay.remember("k1", "abcdefghijklmnop", now=now, expires_at=now + 300)
    with pytest.raises(ReplayedNonce):
        replay.record(None)  # type: ignore[arg-type]
    redelivered = PendingNonce(cache, redelivery=True)  # MQTT DUP: admitted, never released
    redelivered.remember("k1", "abcdefghijklmnop", now=now, expires_at=now + 300)
    redelivered.record(None)  # type: ignore[arg-type]
    redelivered.release()
    assert not cache.remember("k1", "abcdefghijklmnop", now=now, expires_at=now + 300)
    first.release()  # not stored: given back
    assert cache.remember("k1", "abcdefghijklmnop", now=now, expires_at=now + 300)


def test_the_token_bucket_holds_across_nodes(shared) -> None:
    # rate 0.5/s, burst 4: four messages pass, the fifth waits about 2 s (1 token / 0.5 per s)
    node_a = RedisTokenBucket(shared, 0.5, 4)
    node_b = RedisTokenBucket(shared, 0.5, 4)
    waits = [node.take("dev") for node in (node_a, node_b, node_a, node_b)]
    assert waits == [0.0, 0.0, 0.0, 0.0]
    wait = node_b.take("dev")
    assert 1.9 < wait <= 2.0
    assert node_a.take("other") == 0.0  # per device
    assert shared.client.pttl(f"{shared.prefix}:rate:dev") <= 4 / 0.5 * 1000 + 1000


def test_a_redis_that_is_down_is_unavailable_never_a_pass() -> None:
    down = SharedState.connect("redis://127.0.0.1:9/0", prefix="x", timeout_s=0.5)
    now = int(time.time())
    with pytest.raises(SharedStateUnavailable):
        RedisNonceCache(down).remember("k", "n" * 16, now=now, expires_at=now + 300)
    with pytest.raises(SharedStateUnavailable):
        RedisTokenBucket(down, 1.0, 1).take("k")
    with pytest.raises(SharedStateUnavailable):
        down.ping()
