"""The uploader against scripted platform answers (httpx.MockTransport) and a fake clock:
per-record acks, Retry-After, backoff, clock skew; the signature from the document."""

from __future__ import annotations

import json
import random
import threading
from email.utils import formatdate

import httpx
import pytest
from manual_clock import ManualClock

from nenghao.gateway import signing
from nenghao.gateway.queue import Queue, Queued, Reading
from nenghao.gateway.uploader import Uploader, disjoint_batches
from nenghao.ingest import signing as server_signing

NOW = 1_777_000_500.0


def test_signature_of_appendix_d() -> None:
    assert signing.signature(
        b"demo-secret", "POST", "/api/v1/uplink", 1714530000, "AbCdEfGhIjKlMnOp_-12", b"{}"
    ) == ("89b0fe8d62cb71fadeae399bc7af4e80a8d90524d054a259446b4b1935955949")


def test_the_gateway_signs_as_the_server_verifies() -> None:
    body = b'{"records": []}'
    args = ("POST", "/nenghao/api/v1/uplink", 1777000000, "n" * 20, body)
    assert signing.signature(b"k", *args) == server_signing.sign(b"k", *args)


def fill(queue: Queue, n: int) -> None:
    with queue.transaction() as conn:
        for i in range(n):
            queue.add(
                conn, Reading(f"M{i % 2}", "15min", 1_776_999_600 + 900 * i, float(i), "kWh", NOW)
            )


def uploader_with(example_config, handler, clock=None) -> tuple[Uploader, Queue, list]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    queue = Queue(example_config.queue_path)
    client = httpx.Client(transport=httpx.MockTransport(record))
    up = Uploader(
        example_config,
        queue,
        b"demo-secret",
        client=client,
        clock=clock or ManualClock(NOW),
        rng=random.Random(7),
    )
    return up, queue, seen


def test_per_record_acks(example_config) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        statuses = ["accepted", "duplicate", "revised", "rejected"]
        return httpx.Response(
            200,
            json={
                "results": [
                    {"index": i, "status": statuses[i]}
                    | ({"code": "unknown_item", "message": "not registered"} if i == 3 else {})
                    for i in range(len(body["records"]))
                ]
            },
        )

    up, queue, seen = uploader_with(example_config, handler)
    fill(queue, 4)
    outcome = up.send_once()
    assert (outcome.stored, outcome.rejected, queue.depth()) == (3, 1, 0)
    assert queue.rejected()[0][1:3] == ("unknown_item", "not registered")
    request = seen[0]
    assert request.url.path == "/api/v1/uplink"
    message = json.loads(request.content)
    assert message["records"][0] == {
        "item": "M0",
        "period": "15min",
        "start": "2026-04-24T11:00:00+08:00",
        "register": 0.0,
        "unit": "kWh",
    }
    assert request.headers["X-Nenghao-Signature"] == signing.signature(
        b"demo-secret",
        "POST",
        "/api/v1/uplink",
        int(NOW),
        request.headers["X-Nenghao-Nonce"],
        request.content,
    )


def test_failures_keep_everything_and_back_off_honouring_retry_after(example_config) -> None:
    answers = [
        httpx.Response(503, headers={"Retry-After": "5"}),
        httpx.Response(429, headers={"Retry-After": "120"}),
        httpx.Response(500),
        httpx.Response(500),
        httpx.Response(500),
    ]
    up, queue, _ = uploader_with(example_config, lambda request: answers.pop(0))
    fill(queue, 3)
    waits = [up.send_once().wait_s for _ in range(5)]
    assert queue.depth() == 3
    assert waits[0] >= 5
    assert waits[1] >= 120
    # then 2**2, 2**3, 2**4 s, each jittered to 50-100 %
    for wait, ceiling in zip(waits[2:], (4, 8, 16), strict=True):
        assert ceiling / 2 <= wait <= ceiling


def test_run_waits_the_backoff(example_config) -> None:
    up, queue, _ = uploader_with(
        example_config, lambda request: httpx.Response(429, headers={"Retry-After": "30"})
    )
    fill(queue, 1)

    class Stop:
        def __init__(self) -> None:
            self.waited: list[float] = []

        def is_set(self) -> bool:
            return len(self.waited) >= 2

        def wait(self, seconds: float) -> bool:
            self.waited.append(seconds)
            return False

    stop = Stop()
    up.run(stop)  # type: ignore[arg-type]
    assert all(w >= 30 for w in stop.waited)


def test_clock_skew_is_reported(example_config) -> None:
    platform_time = NOW + 1000

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            401,
            headers={"Date": formatdate(platform_time, usegmt=True)},
            json={"error": {"code": "stale_timestamp", "message": "…"}},
        )

    up, queue, _ = uploader_with(example_config, handler)
    fill(queue, 1)
    outcome = up.send_once()
    assert outcome.error is not None
    assert "stale_timestamp" in outcome.error
    status = queue.status_values()
    assert status["clock_skew_s"] == pytest.approx(1000, abs=1)
    assert status["clock_skew_beyond"] is True
    assert queue.depth() == 1


def test_a_refused_message_sets_aside_only_the_named_records(example_config) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            422,
            json={
                "error": {
                    "code": "invalid_value",
                    "message": "…",
                    "details": {
                        "problems": [
                            {
                                "code": "invalid_value",
                                "location": "records[1].unit",
                                "message": "bad",
                            }
                        ]
                    },
                }
            },
        )

    up, queue, _ = uploader_with(example_config, handler)
    fill(queue, 3)
    up.send_once()
    assert queue.depth() == 2
    assert queue.rejected()[0][0].seq == 2


def test_413_halves_the_batch(example_config) -> None:
    sizes: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        records = json.loads(request.content)["records"]
        sizes.append(len(records))
        if len(records) > 2:
            return httpx.Response(413, json={"error": {"code": "body_too_large"}})
        return httpx.Response(
            200, json={"results": [{"index": i, "status": "accepted"} for i in range(len(records))]}
        )

    up, queue, _ = uploader_with(example_config, handler)
    fill(queue, 5)
    while queue.depth():
        up.send_once()
    assert sizes[:4] == [5, 2, 2, 1]


def queued(items: str) -> list[Queued]:
    """Readings of the items named by letters, in queue order (seq 1, 2, ...)."""
    return [
        Queued(seq, Reading(item, "15min", 1_776_999_600, 0.0, "kWh", NOW))
        for seq, item in enumerate(items, start=1)
    ]


def test_batches_share_no_item_and_keep_each_items_order() -> None:
    # A B C fill the first batch (size 3); D opens the second; A's, B's and C's next readings
    # wait for the next round (their batch is full); D's second joins D's batch, then the
    # first E fills it; the second E waits (its batch is full, no third batch is allowed).
    batches = disjoint_batches(queued("ABCDABCDEE"), size=3, count=2)
    assert [[q.seq for q in batch] for batch in batches] == [[1, 2, 3], [4, 8, 9]]
    assert disjoint_batches([], size=3, count=2) == []


def test_a_round_keeps_messages_in_flight_and_settles_each_by_its_ack(example_config) -> None:
    arrived = threading.Barrier(2, timeout=10)  # both messages must be out before any answer

    def handler(request: httpx.Request) -> httpx.Response:
        records = json.loads(request.content)["records"]
        arrived.wait()
        if records[0]["item"] == "M0":
            return httpx.Response(
                200, json={"results": [{"index": i, "status": "accepted"} for i in range(2)]}
            )
        return httpx.Response(503, headers={"Retry-After": "7"})

    up, queue, seen = uploader_with(example_config, handler)
    up.batch = 2
    with queue.transaction() as conn:  # M0 M1 | M2 M3, then the next period of each
        for i in range(8):
            queue.add(
                conn,
                Reading(f"M{i % 4}", "15min", 1_776_999_600 + 900 * (i // 4), i, "kWh", NOW),
            )
    outcome = up.send_window()
    assert len(seen) == 2
    # the accepted message left the queue; the refused one stays whole, as do later readings
    assert (outcome.sent, outcome.stored, queue.depth()) == (4, 2, 6)
    assert [q.reading.item for q in queue.head(10)] == ["M2", "M3", "M0", "M1", "M2", "M3"]
    assert outcome.error is not None
    assert outcome.wait_s >= 7
    assert up.failures == 1
    up.close()
