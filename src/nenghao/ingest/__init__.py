"""Ingest: the uplink protocol v1 (messages, validation, register decoding, signing).

The pure core lives here; storage and transports (HTTPS, MQTT, files) build on it. The
reason codes and record statuses are the shared vocabulary's (`nenghao.standards`).
"""

from nenghao.ingest.errors import IngestError, MessageRejected, Problem
from nenghao.ingest.item_limits import ItemSpec, ValidationLimits
from nenghao.ingest.parsing import parse_message
from nenghao.ingest.protocol import (
    PROTOCOL,
    RecordResult,
    RegisterEvent,
    UplinkAck,
    UplinkMessage,
    UplinkRecord,
)
from nenghao.ingest.validation import validate_records
from nenghao.ingest.validation_outcome import (
    AcceptedRecord,
    DerivedInterval,
    RejectedRecord,
    UnresolvedInterval,
    ValidationOutcome,
)

__all__ = [
    "PROTOCOL",
    "AcceptedRecord",
    "DerivedInterval",
    "IngestError",
    "ItemSpec",
    "MessageRejected",
    "Problem",
    "RecordResult",
    "RegisterEvent",
    "RejectedRecord",
    "UnresolvedInterval",
    "UplinkAck",
    "UplinkMessage",
    "UplinkRecord",
    "ValidationLimits",
    "ValidationOutcome",
    "parse_message",
    "validate_records",
]
