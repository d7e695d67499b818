"""Reading a message on the plain path: quickly, or not at all.

`parse_plain` gives the pipeline what it needs of a valid message without building an
`UplinkRecord` per record: pydantic-core parses and type-checks the JSON (with the same
strict types, patterns and extra-field rule, but no Python validator per record), and the
per-record date-time rules run once per distinct (start, period) pair. It accepts only
messages `nenghao.ingest.parsing.parse_message` accepts, and declines (None) anything else
or anything unusual (escapes, fractional seconds in a start, repeated keys): that parser then
reads it and reports its problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal, NotRequired

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError
from typing_extensions import TypedDict

from nenghao.ingest.protocol import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_RECORDS,
    IDENT_PATTERN,
    ITEM_PATTERN,
    UNIT_PATTERN,
    RegisterEvent,
    UplinkRecord,
    parse_datetime,
)
from nenghao.standards.calendar import PERIODS, PeriodName, is_aligned
from nenghao.standards.vocabulary import Quality
from nenghao.store.credit_code import CreditCodeError, validate_credit_code

_PLAIN_START = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:Z|[+-][0-9]{2}:[0-9]{2})$"
"""The start date-times the plain path reads itself: seconds, no fraction, an offset."""

_PLAIN_CONFIG = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False)


class PlainRecord(TypedDict):
    """One record as the plain parser returns it (a plain dict; optional keys as sent)."""

    __pydantic_config__ = _PLAIN_CONFIG  # type: ignore[misc]

    item: Annotated[str, Field(pattern=ITEM_PATTERN)]
    period: PeriodName
    start: Annotated[str, Field(pattern=_PLAIN_START)]
    value: NotRequired[float | None]
    unit: Annotated[str, Field(pattern=UNIT_PATTERN)]
    register: NotRequired[Annotated[float, Field(ge=0)] | None]
    register_event: NotRequired[RegisterEvent | None]
    quality: NotRequired[Quality | None]


class _PlainShape(TypedDict):
    __pydantic_config__ = _PLAIN_CONFIG  # type: ignore[misc]

    protocol: Literal["nenghao-uplink/1"]
    credit_code: str
    device_id: Annotated[str, Field(pattern=IDENT_PATTERN)]
    sent_at: str
    message_id: Annotated[str, Field(pattern=IDENT_PATTERN)]
    records: list[PlainRecord]


_PLAIN_ADAPTER: TypeAdapter[_PlainShape] = TypeAdapter(_PlainShape)
_MESSAGE_KEYS = len(_PlainShape.__annotations__)
"""Keys of a message object (all required)."""
_SPACED_COLON = re.compile(rb'"[ \t\r\n]+:')


@dataclass(frozen=True, slots=True)
class PlainMessage:
    """A structurally valid message as `parse_plain` returns it.

    `records` are the parsed record objects (dicts, in message order) and `starts` their
    period starts [Unix s, UTC], aligned and in range; no two records share a slot.
    """

    credit_code: str
    device_id: str
    message_id: str
    records: list[PlainRecord]
    starts: list[int]


def parse_plain(
    raw: bytes,
    *,
    max_records: int = DEFAULT_MAX_RECORDS,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> PlainMessage | None:
    """The message of `raw` if it is valid and plain, else None (use `parse_message` then).

    A message returned here is one `parse_message` accepts with the same content; None
    says nothing about validity.
    """
    if len(raw) > max_body_bytes or b"\\u" in raw:
        return None
    try:
        data = _PLAIN_ADAPTER.validate_json(raw)
    except (ValidationError, ValueError):
        return None
    records = data["records"]
    if not 0 < len(records) <= max_records:
        return None
    try:
        parse_datetime(data["sent_at"])
        if validate_credit_code(data["credit_code"]) != data["credit_code"]:
            return None
    except (PydanticCustomError, CreditCodeError):
        return None
    # Repeated keys (the parser keeps the last one silently). In JSON a key is a string, then
    # optional white space, then ":". With no white space before any colon (the regex), every
    # key of the body contributes one '":' and nothing else contributes less than nothing
    # (string values can only add some); so the body has exactly as many '":' as keys were
    # kept if and only if no object repeats a key (and no value mimics one; then the full
    # path decides).
    if _SPACED_COLON.search(raw) is not None:
        return None
    kept = _MESSAGE_KEYS + sum(map(len, records))
    for record in records:
        event = record.get("register_event")
        if event is not None:
            kept += len(event.model_fields_set)
    if raw.count(b'":') != kept:
        return None
    starts = _plain_starts(records)
    if starts is None:
        return None
    return PlainMessage(data["credit_code"], data["device_id"], data["message_id"], records, starts)


def _plain_starts(records: list[PlainRecord]) -> list[int] | None:
    """Each record's start [Unix s], or None if one is not a valid start, lacks content or
    repeats a slot."""
    known: dict[tuple[str, str], int | None] = {}
    starts: list[int] = []
    append = starts.append
    for record in records:
        key = (record["start"], record["period"])
        if key in known:
            start = known[key]
        else:
            start = known[key] = _plain_start(*key)
        if start is None:
            return None
        if record.get("value") is None and record.get("register") is None:
            return None
        if record.get("register_event") is not None and record.get("register") is None:
            return None
        append(start)
    slots = {(r["item"], r["period"], s) for r, s in zip(records, starts, strict=True)}
    return starts if len(slots) == len(records) else None


def _plain_start(text: str, period: str) -> int | None:
    try:
        parsed = parse_datetime(text)
    except PydanticCustomError:
        return None
    if period not in PERIODS or not is_aligned(period, parsed):
        return None
    return int(parsed.timestamp())


def record_models(message: PlainMessage) -> list[UplinkRecord]:
    """The `UplinkRecord` of each record of `message`, for the full treatment (registers,
    events, stored slots), built without validating again: `parse_plain` checked everything
    the model's validators check (types, patterns, bounds, alignment, content), so each
    record's fields are set as they are (a start string is parsed once per message)."""
    starts: dict[str, datetime] = {}
    models: list[UplinkRecord] = []
    construct = UplinkRecord.model_construct
    for record in message.records:
        text = record["start"]
        start = starts.get(text)
        if start is None:
            start = starts[text] = parse_datetime(text)
        fields = {**record, "start": start}
        models.append(construct(_fields_set=set(record), **fields))
    return models
