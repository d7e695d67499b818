"""Who sends an uplink message, and the limits every message is held to."""

from __future__ import annotations

from dataclasses import dataclass, field

from nenghao.ingest.item_limits import ValidationLimits
from nenghao.ingest.protocol import DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_RECORDS
from nenghao.standards.vocabulary import Channel


@dataclass(frozen=True)
class Sender:
    """Who sends: the enterprise, the channel and the actor (device key id or username)."""

    enterprise_id: int
    credit_code: str
    channel: Channel
    actor: str


@dataclass(frozen=True)
class UplinkLimits:
    """Message limits and validation limits (built once from the settings at start-up)."""

    max_records: int = DEFAULT_MAX_RECORDS
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    validation: ValidationLimits = field(default_factory=ValidationLimits)
