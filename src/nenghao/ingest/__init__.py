"""Ingest: the uplink protocol v1 (messages, validation, register decoding, signing).

The pure core lives here; storage and transports (HTTPS, MQTT, files) build on it.
"""

from nenghao.ingest.errors import (
    IngestError,
    MessageRejected,
    Problem,
    Reason,
    ReasonCode,
    Scope,
    reason,
)
from nenghao.ingest.parsing import parse_message
from nenghao.ingest.protocol import (
    PROTOCOL,
    RecordResult,
    RecordStatus,
    RegisterEvent,
    UplinkAck,
    UplinkMessage,
    UplinkRecord,
)
from nenghao.ingest.validation import (
    AcceptedRecord,
    DerivedInterval,
    ItemSpec,
    RejectedRecord,
    UnresolvedInterval,
    ValidationLimits,
    ValidationOutcome,
    validate_records,
)

__all__ = [
    "PROTOCOL",
    "AcceptedRecord",
    "DerivedInterval",
    "IngestError",
    "ItemSpec",
    "MessageRejected",
    "Problem",
    "Reason",
    "ReasonCode",
    "RecordResult",
    "RecordStatus",
    "RegisterEvent",
    "RejectedRecord",
    "Scope",
    "UnresolvedInterval",
    "UplinkAck",
    "UplinkMessage",
    "UplinkRecord",
    "ValidationLimits",
    "ValidationOutcome",
    "parse_message",
    "reason",
    "validate_records",
]
