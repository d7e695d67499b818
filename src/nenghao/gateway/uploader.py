"""Upload the queue to the platform: signed messages of up to 1 000 records, in order, over
HTTPS or MQTT (`nenghao.gateway.transport`).

Each round sends the oldest pending readings as up to `IN_FLIGHT` messages at once, which
share no item (`disjoint_batches`: an item's readings go in one message, in the order they
were read, and the next ones only in a later round), and settles each by its per-record ack:
stored statuses leave the queue, ``rejected`` ones are set aside with their reason. Nothing
is removed on any other answer. Failures back off exponentially with jitter
(``Retry-After`` / ``retry_after_s`` is a floor; a failed round counts once); a 413 halves
the batch. Every answer that tells the platform's clock (the HTTPS
``Date`` header, the ack's ``received_at``) gives the clock skew (platform − gateway), kept in
the status and logged when beyond the protocol's ±300 s window.
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

from nenghao.gateway.config import GatewayConfig
from nenghao.gateway.queue import Queue, Queued
from nenghao.gateway.signing import MAX_SKEW_S, STORED, message, rfc3339
from nenghao.gateway.transport import Answer, HttpsTransport, Transport

log = logging.getLogger("nenghao.gateway.uploader")
BACKOFF_BASE_S = 1.0
BACKOFF_CAP_S = 300.0
_RECORD_LOCATION = re.compile(r"records\[([0-9]+)\]")
IN_FLIGHT = 3
"""Messages sent at once (each waits for its own ack; they share no item)."""


@dataclass(frozen=True, slots=True)
class Round:
    """What one upload round did: records settled, and the wait before the next [s]."""

    sent: int
    stored: int
    rejected: int
    wait_s: float
    error: str | None = None
    floor_s: float = 0.0
    """The platform's ``Retry-After`` of a failure [s]."""


def disjoint_batches(pending: list[Queued], size: int, count: int) -> list[list[Queued]]:
    """Up to `count` batches of at most `size` readings from `pending` (queue order) that
    share no item, each item's readings in order: a reading joins the batch that holds its
    item, or the first open batch for a new item; once an item's batch is full, or no batch
    is open, the item's later readings wait (so none overtakes an earlier one)."""
    batches: list[list[Queued]] = [[]]
    home: dict[str, int] = {}
    blocked: set[str] = set()
    for queued in pending:
        item = queued.reading.item
        if item in blocked:
            continue
        index = home.get(item)
        if index is None:
            if len(batches[-1]) >= size:
                if len(batches) >= count:
                    blocked.add(item)
                    continue
                batches.append([])
            index = home[item] = len(batches) - 1
        if len(batches[index]) >= size:
            blocked.add(item)
            continue
        batches[index].append(queued)
    return [batch for batch in batches if batch]


def record_json(reading: Queued) -> dict[str, Any]:
    """One queued reading as a protocol record (appendix B)."""
    r = reading.reading
    record: dict[str, Any] = {
        "item": r.item,
        "period": r.period,
        "start": rfc3339(r.start),
        "register": r.register,
        "unit": r.unit,
    }
    if r.event:
        record["register_event"] = r.event
    return record


class Uploader:
    """Sends the queue in order; one per process (its thread owns `queue`)."""

    def __init__(
        self,
        config: GatewayConfig,
        queue: Queue,
        secret: bytes,
        *,
        client: httpx.Client | None = None,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        transport: Transport | None = None,
        in_flight: int = IN_FLIGHT,
    ) -> None:
        self.config = config
        self.queue = queue
        self.secret = secret
        self.clock = clock
        self.rng = rng or random.Random()
        self.transport = transport or make_transport(config, secret, client)
        self.batch = config.platform.batch_records
        self.failures = 0
        self.in_flight = max(1, in_flight)
        self._senders: ThreadPoolExecutor | None = None

    def close(self) -> None:
        """Stop the senders and close the transport."""
        if self._senders is not None:
            self._senders.shutdown(wait=True)
        self.transport.close()

    def backoff(self, retry_after: float | None = None) -> float:
        """The wait after one more failure [s]: exponential, jittered to 50-100 %, capped,
        never shorter than the platform's ``Retry-After``."""
        self.failures += 1
        ceiling = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** (self.failures - 1))
        wait = self.rng.uniform(ceiling / 2, ceiling)
        return max(wait, retry_after or 0.0)

    def _skew(self, answer: Answer, sent: float, answered: float) -> None:
        if answer.platform_time is None:
            return
        # whole seconds on both transports
        skew = round(answer.platform_time - (sent + answered) / 2, 1)
        beyond = abs(skew) > MAX_SKEW_S
        if beyond:
            log.warning(
                "clock skew %+.0f s against the platform exceeds the protocol's ±%d s:"
                " uploads are refused (stale_timestamp) until the gateway clock is set (NTP)",
                skew,
                MAX_SKEW_S,
            )
        self.queue.put_status(clock_skew_s=skew, clock_skew_at=answered, clock_skew_beyond=beyond)

    def send_once(self) -> Round:
        """Upload the oldest batch of the queue once; what happened."""
        return self._send(self.queue.head(self.batch), 1)

    def send_window(self) -> Round:
        """Upload the oldest readings as up to `in_flight` messages at once (no item in two
        of them); what happened, summed (the longest wait if one failed)."""
        return self._send(self.queue.head(self.batch * self.in_flight), self.in_flight)

    def _send(self, pending: list[Queued], count: int) -> Round:
        batches = disjoint_batches(pending, self.batch, count)
        if not batches:
            return Round(0, 0, 0, 0.0)
        if len(batches) == 1:
            sent = self._post(batches[0])
            return self._answered(batches[0], *sent)
        if self._senders is None:
            self._senders = ThreadPoolExecutor(self.in_flight, thread_name_prefix="upload")
        futures: list[tuple[list[Queued], Future[tuple[Answer | Exception, float]]]] = [
            (batch, self._senders.submit(self._post, batch)) for batch in batches
        ]
        before = self.failures
        rounds = [self._answered(batch, *future.result()) for batch, future in futures]
        errors = [r for r in rounds if r.error is not None]
        wait = 0.0
        if errors:  # one failed window is one failure: the first one's backoff, or longer
            self.failures = before + 1  # if the platform asked for it
            wait = max(errors[0].wait_s, *(r.floor_s for r in errors))
        return Round(
            sum(r.sent for r in rounds),
            sum(r.stored for r in rounds),
            sum(r.rejected for r in rounds),
            wait,
            errors[0].error if errors else None,
        )

    def _post(self, batch: list[Queued]) -> tuple[Answer | Exception, float]:
        """Send `batch` as one signed message: the answer (or the network error) and when it
        was signed."""
        now = self.clock()
        message_id = f"q{batch[0].seq}-{batch[-1].seq}"
        body = json.dumps(
            message(
                self.config.gateway.credit_code,
                self.config.platform.key_id,
                message_id,
                now,
                [record_json(q) for q in batch],
            ),
            separators=(",", ":"),
            ensure_ascii=False,
        ).encode("utf-8")
        try:
            return self.transport.exchange(body, message_id, int(now)), now
        except (httpx.HTTPError, OSError) as exc:
            return exc, now

    def _answered(self, batch: list[Queued], answer: Answer | Exception, sent: float) -> Round:
        """Act on the answer to `batch` (in the uploader's thread, which owns the queue)."""
        if isinstance(answer, Exception):
            return self._failed(len(batch), f"network: {answer.__class__.__name__}: {answer}")
        self._skew(answer, sent, self.clock())
        if answer.status == 200:
            return self._settle(batch, answer.body)
        return self._refused(batch, answer)

    def _settle(self, batch: list[Queued], ack: dict[str, Any]) -> Round:
        done: list[int] = []
        rejected: list[tuple[int, str, str]] = []
        for result in ack.get("results", []):
            index = result.get("index")
            if not isinstance(index, int) or not 0 <= index < len(batch):
                continue
            seq = batch[index].seq
            if result.get("status") in STORED:
                done.append(seq)
            elif result.get("status") == "rejected":
                rejected.append((seq, str(result.get("code")), str(result.get("message", ""))))
        self.failures = 0
        self.queue.settle(done, rejected, last_upload_at=self.clock(), last_upload_error=None)
        return Round(len(batch), len(done), len(rejected), 0.0)

    def _refused(self, batch: list[Queued], answer: Answer) -> Round:
        error = answer.body.get("error", {})
        error = error if isinstance(error, dict) else {}
        code = str(error.get("code", f"http_{answer.status}"))
        text = f"{answer.status} {code}: {error.get('message', '')}".strip()
        if answer.status == 413 and len(batch) > 1:
            self.batch = max(1, len(batch) // 2)
            return Round(len(batch), 0, 0, 0.0, text)
        if answer.status == 422:
            return self._message_refused(batch, code, error, text)
        return self._failed(len(batch), text, answer.retry_after)

    def _message_refused(
        self, batch: list[Queued], code: str, error: dict[str, Any], text: str
    ) -> Round:
        """A 422 names the faulty records; set them aside so that the others go on. When no
        record is named the whole batch is set aside (it would be refused for ever)."""
        named: dict[int, tuple[str, str]] = {}
        for problem in error.get("details", {}).get("problems", []) or []:
            where = _RECORD_LOCATION.match(str(problem.get("location", "")))
            if where and int(where.group(1)) < len(batch):
                named.setdefault(
                    int(where.group(1)),
                    (str(problem.get("code", code)), str(problem.get("message"))),
                )
        if not named:
            named = dict.fromkeys(range(len(batch)), (code, text))
        log.error("the platform refused message q%d: %s", batch[0].seq, text)
        self.queue.settle([], [(batch[i].seq, c, m) for i, (c, m) in named.items()])
        self.queue.put_status(last_upload_error=text, last_upload_error_at=self.clock())
        return Round(len(batch), 0, len(named), 0.0, text)

    def _failed(self, count: int, text: str, retry_after: float | None = None) -> Round:
        wait = self.backoff(retry_after)
        log.warning("upload failed (%s); retrying in %.1f s", text, wait)
        self.queue.put_status(last_upload_error=text, last_upload_error_at=self.clock())
        return Round(count, 0, 0, wait, text, retry_after or 0.0)

    def run(self, stop: threading.Event, idle_s: float = 1.0) -> None:
        """Upload until `stop` is set: round after round while the queue has readings, else
        every `idle_s`, and after a failure when its backoff has passed."""
        while not stop.is_set():
            try:
                outcome = self.send_window()
            except Exception as exc:  # an unforeseen answer must not end the uploads
                log.exception("upload round failed")
                outcome = self._failed(0, f"{exc.__class__.__name__}: {exc}")
            if outcome.error is not None:
                stop.wait(outcome.wait_s)
            elif outcome.sent == 0:
                stop.wait(idle_s)


def make_transport(
    config: GatewayConfig, secret: bytes, client: httpx.Client | None = None
) -> Transport:
    """The transport the configuration chooses (``[platform] transport``)."""
    if config.platform.transport == "mqtt":
        from nenghao.gateway.mqtt_link import MqttTransport  # paho only when used

        return MqttTransport(config, secret)
    return HttpsTransport(config, secret, client)
