"""The gateway heartbeat (docs/uplink-protocol.md, section 12): what a device reports about
itself every few minutes, checked like an uplink message and kept as the key's latest.

A heartbeat is a signed JSON object with the message head (``protocol``, ``credit_code``,
``device_id``, ``sent_at``) and: ``gateway_version``, ``interval_s`` (the time to the next
heartbeat, by which the platform calls it stale), ``queue_depth``, ``rejected_count``,
``clock_skew_s`` (platform − gateway as the gateway measured it, or null) and ``meters`` (each
meter's name, item and last successful read). The platform answers with its own view of the
skew: ``received_at`` − ``sent_at``.

Over HTTPS a heartbeat has its own path; over MQTT it travels on the ``up`` topic like an
upload, sealed the same way, and `is_heartbeat` tells it apart (it has ``gateway_version``
and no ``records``); its ack on the ``ack`` topic is the HTTPS answer plus the envelope's
``nonce``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Connection

from nenghao.ingest.errors import MessageRejected
from nenghao.ingest.parsing import parse_object, problem_from_error
from nenghao.ingest.protocol import (
    ITEM_PATTERN,
    PROTOCOL,
    AwareDateTime,
    MessageHead,
    check_sender,
)
from nenghao.ingest.sender import Sender
from nenghao.ingest.signing import MAX_SKEW_S
from nenghao.store import heartbeats

MAX_HEARTBEAT_BYTES = 256 * 1024
"""The largest heartbeat body [bytes]."""
MAX_METERS = 5000
"""The most meters one heartbeat lists."""


class MeterBeat(BaseModel):
    """One meter as the gateway last read it."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    meter: Annotated[str, Field(min_length=1, max_length=64)]
    item: Annotated[str, Field(pattern=ITEM_PATTERN)]
    last_read_at: AwareDateTime | None = None
    """The last successful read [RFC 3339], null when never read."""


class Heartbeat(MessageHead):
    """A gateway heartbeat (``nenghao-uplink/1``, section 12)."""

    gateway_version: Annotated[str, Field(pattern=r"^[!-~]{1,40}$")]
    interval_s: Annotated[int, Field(ge=60, le=86400)]
    queue_depth: Annotated[int, Field(ge=0, le=2**31 - 1)]
    rejected_count: Annotated[int, Field(ge=0, le=2**31 - 1)]
    clock_skew_s: Annotated[float, Field(ge=-1e9, le=1e9)] | None = None
    meters: Annotated[list[MeterBeat], Field(max_length=MAX_METERS)]


class HeartbeatAck(BaseModel):
    """The answer to a stored heartbeat."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    protocol: str = PROTOCOL
    device_id: str
    received_at: datetime
    clock_skew_s: int = Field(description="received_at − sent_at [s]: platform − gateway")
    skew_beyond_tolerance: bool = Field(description=f"|clock_skew_s| > {MAX_SKEW_S} s")


def is_heartbeat(payload: bytes) -> bool:
    """Whether an MQTT payload is a heartbeat rather than an upload message: it names
    ``gateway_version`` and has no ``records`` (which no heartbeat may have)."""
    return b'"gateway_version"' in payload and b'"records"' not in payload


def parse_heartbeat(body: bytes | str) -> Heartbeat:
    """Parse and check a heartbeat body; raises `MessageRejected` with every problem (the
    reason codes of section 2)."""
    data = parse_object(body, MAX_HEARTBEAT_BYTES)
    try:
        return Heartbeat.model_validate(data)
    except ValidationError as exc:
        raise MessageRejected([problem_from_error(e) for e in exc.errors()]) from None


def _instant(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())


def store_heartbeat(
    conn: Connection,
    body: bytes | str,
    sender: Sender,
    received_at: int,
    topic_credit_code: str | None = None,
) -> HeartbeatAck:
    """Check a heartbeat from `sender` (on the MQTT topic of `topic_credit_code`) and keep it
    as the key's latest (in `conn`'s transaction); the answer. Raises `MessageRejected`
    (``device_mismatch``, ``enterprise_mismatch`` and the structural codes)."""
    beat = parse_heartbeat(body)
    check_sender(
        beat,
        key_id=sender.actor,
        key_credit_code=sender.credit_code,
        topic_credit_code=topic_credit_code,
    )
    sent_at = int(beat.sent_at.timestamp())
    meters: list[dict[str, Any]] = [
        {"meter": m.meter, "item": m.item, "last_read_at": _instant(m.last_read_at)}
        for m in beat.meters
    ]
    heartbeats.record(
        conn,
        key_id=sender.actor,
        enterprise_id=sender.enterprise_id,
        channel=sender.channel,
        received_at=received_at,
        sent_at=sent_at,
        gateway_version=beat.gateway_version,
        interval_s=beat.interval_s,
        queue_depth=beat.queue_depth,
        rejected_count=beat.rejected_count,
        reported_skew_s=beat.clock_skew_s,
        meters=meters,
    )
    skew = received_at - sent_at
    return HeartbeatAck(
        device_id=beat.device_id,
        received_at=datetime.fromtimestamp(received_at, UTC),
        clock_skew_s=skew,
        skew_beyond_tolerance=abs(skew) > MAX_SKEW_S,
    )
