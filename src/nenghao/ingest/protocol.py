"""Uplink protocol v1 (``nenghao-uplink/1``): the message models and their parsing.

An uplink message carries statistic records of one enterprise, sent by one access-end
device. `parse_message` turns the raw body into an `UplinkMessage` or raises
`MessageRejected` listing every structural problem with its location (``records[3].start``)
and stable `ReasonCode`. Structural means "decidable from the body alone": JSON syntax, types,
finiteness, date-times with offsets, period alignment in CST, duplicates. Checks that need the
enterprise's registered items or the clock are per record, in `nenghao.ingest.validation`.

See ``docs/uplink-protocol.md`` for the specification.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, NotRequired

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from typing_extensions import TypedDict

from nenghao.ingest.errors import MessageRejected, Problem
from nenghao.ingest.json_depth import JsonTooDeepError, check_json_depth
from nenghao.ingest.periods import FIXED_SECONDS, PERIODS, Period, is_aligned, period_end
from nenghao.standards.reason_codes import ReasonCode
from nenghao.standards.vocabulary import Quality, RecordStatus
from nenghao.store.credit_code import CreditCodeError, validate_credit_code
from nenghao.store.timebase import CST

PROTOCOL = "nenghao-uplink/1"
"""The protocol identifier every v1 message carries in ``protocol``."""
DEFAULT_MAX_RECORDS = 1000
"""Default upper bound on the records of one message."""
DEFAULT_MAX_BODY_BYTES = 1_048_576
"""Default upper bound on the size of one message body [bytes] (1 MiB)."""
HTTP_PATH = "/api/v1/uplink"
MIN_YEAR, MAX_YEAR = 1970, 2999
"""Date-times outside these (UTC) years are refused as ``invalid_datetime``."""
"""The HTTPS endpoint (``POST``) that receives uplink messages."""


IDENT_PATTERN = r"^[A-Za-z0-9._:\-]{1,64}$"
"""message_id and device_id: 1-64 characters of ``A-Z a-z 0-9 . _ : -``."""
ITEM_PATTERN = r"^[!-~]{1,64}$"
"""Item codes: 1-64 printable ASCII characters, no spaces."""
UNIT_PATTERN = r"^\S(?:.{0,14}\S)?$"
"""Units: 1-16 characters, no leading or trailing white space (``kWh``, ``万m3``, ``t``)."""

_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?"
    r"(?P<offset>Z|[+-][0-9]{2}:[0-9]{2})?\Z"
)


def mqtt_up_topic(credit_code: str) -> str:
    """The MQTT topic a device of `credit_code` publishes uplink envelopes to (QoS 1)."""
    return f"nenghao/v1/{credit_code}/up"


def mqtt_ack_topic(credit_code: str) -> str:
    """The MQTT topic the platform publishes acknowledgements to (QoS 1)."""
    return f"nenghao/v1/{credit_code}/ack"


def _custom(code: ReasonCode, message: str, **context: Any) -> PydanticCustomError:
    # The error type is the reason code, so the mapping back is exact. Braces in the message
    # would be read as template fields, so they are escaped.
    safe = message.replace("{", "(").replace("}", ")")
    return PydanticCustomError(code.value, safe, context or None)


def _parse_datetime(value: object) -> datetime:
    if not isinstance(value, str):
        raise _custom(ReasonCode.WRONG_TYPE, "expected an RFC 3339 date-time string")
    match = _RFC3339.match(value)
    if match is None:
        raise _custom(
            ReasonCode.INVALID_DATETIME,
            f"{value!r} is not YYYY-MM-DDTHH:MM:SS[.ffffff](Z|+HH:MM)",
        )
    if match.group("offset") is None:
        raise _custom(
            ReasonCode.NAIVE_DATETIME,
            f"{value!r} has no UTC offset; write it as e.g. {value}+08:00",
        )
    try:
        parsed = datetime.fromisoformat(value)
        year = parsed.astimezone(UTC).year
    except (ValueError, OverflowError) as exc:
        raise _custom(ReasonCode.INVALID_DATETIME, f"{value!r}: {exc}") from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _custom(
            ReasonCode.INVALID_DATETIME, f"{value!r} is outside the years {MIN_YEAR}-{MAX_YEAR}"
        )
    return parsed


YEARS_PATTERN = r"^(?:197[1-9]|19[89][0-9]|2(?:[0-8][0-9]{2}|9[0-8][0-9]|99[0-8]))-"
"""Years 1971 to 2998: inside `MIN_YEAR` to `MAX_YEAR` whatever the offset (documented)."""

AwareDateTime = Annotated[
    datetime,
    BeforeValidator(_parse_datetime),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": YEARS_PATTERN}),
]
"""An RFC 3339 date-time with seconds and an explicit offset (``Z`` or ``±HH:MM``)."""


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, allow_inf_nan=False)


class RegisterEvent(_Strict):
    """Something that happened to a cumulative meter between the previous reading and this one.

    ``replacement``: the meter was exchanged; ``old_final`` is the last reading of the old
    meter, ``new_initial`` the first reading of the new one (both in the record's unit).
    ``reset``: the register was set back to zero; ``old_final`` is the reading just before the
    reset if known (without it the consumption of the span cannot be derived).
    """

    kind: Literal["replacement", "reset"]
    old_final: float | None = None
    new_initial: float | None = None

    @field_validator("old_final", "new_initial")
    @classmethod
    def _non_negative(cls, value: float | None) -> float | None:
        if value is not None and value < 0:
            raise _custom(ReasonCode.NEGATIVE_REGISTER, f"a register reading is >= 0, got {value}")
        return value

    @model_validator(mode="after")
    def _complete(self) -> RegisterEvent:
        if self.kind == "replacement" and (self.old_final is None or self.new_initial is None):
            raise _custom(
                ReasonCode.INVALID_REGISTER_EVENT,
                "a replacement needs both old_final and new_initial",
            )
        if self.kind == "reset" and self.new_initial is not None:
            raise _custom(
                ReasonCode.INVALID_REGISTER_EVENT,
                "a reset restarts at 0; new_initial is not allowed (use a replacement)",
            )
        return self


# The wire name "register" is also the name of ABCMeta.register (a class-level method of every
# pydantic model); the field works as an instance attribute, so the warning is silenced.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message='Field name "register"', category=UserWarning)

    class UplinkRecord(_Strict):
        """One statistic record: the value of one data item for one period.

        Attributes
        ----------
        item : str
            The data item code, as registered for the enterprise.
        period : Period
            ``15min``, ``hour``, ``day``, ``month`` or ``year``.
        start : datetime
            The start of the statistic period, aligned in China Standard Time.
        value : float or None
            The consumption (or output, ...) over the whole period [unit]. Required for interval
            items; not sent for register items.
        unit : str
            The unit of `value`, `register` and the event readings.
        register : float or None
            The cumulative meter reading at the instant `start` [unit], >= 0.
        register_event : RegisterEvent or None
            A replacement or reset between the previous reading and this one.
        quality : Quality or None
            Absent means ``good``.
        """

        item: Annotated[str, Field(pattern=ITEM_PATTERN)]
        period: Period
        start: AwareDateTime
        value: float | None = None
        unit: Annotated[str, Field(pattern=UNIT_PATTERN)]
        register: float | None = None
        register_event: RegisterEvent | None = None
        quality: Quality | None = None

        @field_validator("start")
        @classmethod
        def _aligned(cls, start: datetime, info: ValidationInfo) -> datetime:
            period = info.data.get("period")
            if period in PERIODS and not is_aligned(period, start):
                local = start.astimezone(CST)
                shown = start.isoformat()
                if local.utcoffset() != start.utcoffset():
                    shown += f" ({local.isoformat()} in CST)"
                raise _custom(
                    ReasonCode.MISALIGNED_START,
                    f"{shown} is not the start of a '{period}' period in China Standard Time"
                    f" (expected {_ALIGNMENT[period]})",
                )
            return start

        @field_validator("register")
        @classmethod
        def _register_non_negative(cls, value: float | None) -> float | None:
            if value is not None and value < 0:
                raise _custom(
                    ReasonCode.NEGATIVE_REGISTER, f"a register reading is >= 0, got {value}"
                )
            return value

        @model_validator(mode="after")
        def _has_content(self) -> UplinkRecord:
            if self.value is None and self.register is None:
                raise _custom(ReasonCode.NO_VALUE, "a record needs a value, a register, or both")
            if self.register_event is not None and self.register is None:
                raise _custom(
                    ReasonCode.INVALID_REGISTER_EVENT,
                    "a register_event needs the register reading it precedes",
                )
            return self

        @property
        def period_start(self) -> int:
            """The start of the period as Unix seconds (UTC)."""
            return int(self.start.timestamp())

        @property
        def key(self) -> tuple[str, Period, int]:
            """``(item, period, period_start)``: what identifies a record's slot."""
            return (self.item, self.period, self.period_start)


_ALIGNMENT: dict[str, str] = {
    "15min": "minute 00, 15, 30 or 45, second 0",
    "hour": "HH:00:00",
    "day": "00:00:00",
    "month": "the 1st at 00:00:00",
    "year": "January 1st at 00:00:00",
}


class UplinkMessage(_Strict):
    """One uplink message (``nenghao-uplink/1``).

    Validation context (optional, via ``model_validate(..., context=...)``): ``max_records``
    (default `DEFAULT_MAX_RECORDS`).
    """

    protocol: str
    credit_code: str
    device_id: Annotated[str, Field(pattern=IDENT_PATTERN)]
    sent_at: AwareDateTime
    message_id: Annotated[str, Field(pattern=IDENT_PATTERN)]
    records: list[UplinkRecord]

    @field_validator("protocol")
    @classmethod
    def _known_protocol(cls, value: str) -> str:
        if value != PROTOCOL:
            raise _custom(
                ReasonCode.UNKNOWN_PROTOCOL, f"{value!r} is not supported; send {PROTOCOL!r}"
            )
        return value

    @field_validator("credit_code")
    @classmethod
    def _credit_code(cls, value: str) -> str:
        try:
            canonical = validate_credit_code(value)
        except CreditCodeError as exc:
            raise _custom(ReasonCode.INVALID_CREDIT_CODE, str(exc)) from None
        if canonical != value:
            raise _custom(
                ReasonCode.INVALID_CREDIT_CODE,
                f"write the code in its canonical form {canonical!r} (upper case, no spaces)",
            )
        return value

    @field_validator("records", mode="before")
    @classmethod
    def _record_count(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, list):
            limit = _max_records(info)
            if not value:
                raise _custom(ReasonCode.NO_RECORDS, "records must hold at least one record")
            if len(value) > limit:
                raise _custom(
                    ReasonCode.TOO_MANY_RECORDS,
                    f"{len(value)} records; at most {limit} per message",
                )
        return value

    @field_validator("records")
    @classmethod
    def _no_duplicates(cls, records: list[UplinkRecord]) -> list[UplinkRecord]:
        for problem in duplicate_records(records):
            raise _custom(ReasonCode.DUPLICATE_RECORD, f"{problem.location}: {problem.message}")
        return records


def _max_records(info: ValidationInfo) -> int:
    context = info.context
    if isinstance(context, dict):
        limit = context.get("max_records", DEFAULT_MAX_RECORDS)
        if isinstance(limit, int):
            return limit
    return DEFAULT_MAX_RECORDS


def duplicate_records(records: Sequence[UplinkRecord]) -> list[Problem]:
    """Every record whose (item, period, start) an earlier record of the list already has.

    Starts are compared as instants, so ``00:00+08:00`` and ``16:00Z`` the day before collide.
    """
    first: dict[tuple[str, Period, int], int] = {}
    problems: list[Problem] = []
    for index, record in enumerate(records):
        seen = first.setdefault(record.key, index)
        if seen != index:
            problems.append(
                Problem(
                    ReasonCode.DUPLICATE_RECORD,
                    f"records[{index}]",
                    f"item {record.item!r}, {record.period} starting {record.start.isoformat()}"
                    f" already sent as records[{seen}]",
                )
            )
    return problems


def check_sender(
    message: UplinkMessage,
    *,
    key_id: str,
    key_credit_code: str,
    topic_credit_code: str | None = None,
) -> None:
    """Check that the authenticated key may send `message`.

    Parameters
    ----------
    message : UplinkMessage
    key_id : str
        The key id that signed the request or envelope; ``device_id`` must equal it.
    key_credit_code : str
        The credit code of the enterprise the key is registered to.
    topic_credit_code : str or None
        For MQTT: the credit code in the topic the envelope arrived on.

    Raises
    ------
    MessageRejected
        ``device_mismatch`` at ``device_id``, ``enterprise_mismatch`` at ``credit_code``.
    """
    problems: list[Problem] = []
    if message.device_id != key_id:
        problems.append(
            Problem(
                ReasonCode.DEVICE_MISMATCH,
                "device_id",
                f"device_id {message.device_id!r} but the message was signed with key {key_id!r}",
            )
        )
    owners = {key_credit_code} | ({topic_credit_code} if topic_credit_code is not None else set())
    if owners != {message.credit_code}:
        problems.append(
            Problem(
                ReasonCode.ENTERPRISE_MISMATCH,
                "credit_code",
                f"credit_code {message.credit_code} does not match the key's enterprise"
                f" {key_credit_code}"
                + ("" if topic_credit_code is None else f" or the topic's {topic_credit_code}"),
            )
        )
    if problems:
        raise MessageRejected(problems)


# --- acknowledgement ---------------------------------------------------------------------


class RecordResult(BaseModel):
    """The acknowledgement of one record (by its index in ``records``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    index: int
    status: RecordStatus
    revision: int | None = None
    code: ReasonCode | None = None
    message: str | None = None


class UplinkAck(BaseModel):
    """The acknowledgement of a stored message: one result per record, in order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    protocol: str = PROTOCOL
    message_id: str
    device_id: str
    received_at: datetime
    results: list[RecordResult]


# --- parsing -----------------------------------------------------------------------------


class _NonFinite:
    """Stand-in for a JSON NaN/Infinity literal (or an overflowing number) in parsed data."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


class _PairsDict(dict[str, Any]):
    """A JSON object that remembers keys it saw more than once."""

    duplicates: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> _PairsDict:
    result = _PairsDict()
    result.duplicates = []
    for key, value in pairs:
        if key in result and key not in result.duplicates:
            result.duplicates.append(key)
        result[key] = value
    return result


def _parse_float(text: str) -> float | _NonFinite:
    value = float(text)
    return value if math.isfinite(value) else _NonFinite(text)


def _parse_int(text: str) -> int | _NonFinite:
    value = int(text)
    try:
        float(value)
    except OverflowError:
        return _NonFinite(text)
    return value


def _duplicate_keys(node: object, location: str) -> Iterable[Problem]:
    if isinstance(node, dict):
        for key in getattr(node, "duplicates", ()):
            yield Problem(
                ReasonCode.DUPLICATE_KEY,
                _join(location, key),
                f"key {key!r} occurs more than once in this object",
            )
        for key, child in node.items():
            yield from _duplicate_keys(child, _join(location, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _duplicate_keys(child, f"{location or '$'}[{index}]")


def _join(location: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{location or '$'}[{key}]"
    return f"{location}.{key}" if location else key


def format_location(loc: Sequence[str | int]) -> str:
    """A pydantic location tuple as a path: ``("records", 3, "start")`` -> ``records[3].start``."""
    location = ""
    for part in loc:
        location = _join(location, part)
    return location or "$"


_REASON_VALUES = frozenset(code.value for code in ReasonCode)


def _is_non_finite_text(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return not math.isfinite(float(value))
    except ValueError:
        return False


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def problem_from_error(error: Any) -> Problem:
    """Map one pydantic error (an item of ``ValidationError.errors()``) to a `Problem`."""
    kind: str = error["type"]
    location = format_location(error["loc"])
    given = error.get("input")
    message: str = error["msg"]
    if isinstance(given, _NonFinite) or kind == "finite_number":
        return Problem(ReasonCode.NOT_FINITE, location, f"{_shown(given)} is not a finite number")
    if kind == "float_type" and _is_non_finite_text(given):
        return Problem(
            ReasonCode.NOT_FINITE,
            location,
            f"{_shown(given)} is not a finite number (nor a number)",
        )
    if kind in _REASON_VALUES:
        return Problem(ReasonCode(kind), location, message)
    if kind == "missing":
        return Problem(ReasonCode.MISSING_FIELD, location, "this field is required")
    if kind == "extra_forbidden":
        return Problem(ReasonCode.UNEXPECTED_FIELD, location, "this field is not in the protocol")
    if kind.endswith("_type"):
        return Problem(ReasonCode.WRONG_TYPE, location, f"{message}, got {_shown(given)}")
    return Problem(ReasonCode.INVALID_VALUE, location, f"{message}, got {_shown(given)}")


def parse_message(
    body: bytes | str,
    *,
    max_records: int = DEFAULT_MAX_RECORDS,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> UplinkMessage:
    """Parse and structurally validate an uplink message body.

    Parameters
    ----------
    body : bytes or str
        The message as received (UTF-8 JSON, no byte-order mark).
    max_records : int
        The most records one message may carry.
    max_body_bytes : int
        The largest accepted body [bytes].

    Returns
    -------
    UplinkMessage
        The parsed message; every record is structurally valid and no two share a slot.

    Raises
    ------
    MessageRejected
        With every problem found, each with its code and location. Problems are collected
        per stage: JSON syntax, then duplicate keys, then fields, then duplicate records.
    """
    raw = body.encode("utf-8") if isinstance(body, str) else body
    if len(raw) <= max_body_bytes:
        fast = _fast_parse(raw, max_records)
        if fast is not None:
            return fast
    data = _load_json(raw, max_body_bytes)
    if not isinstance(data, dict):
        raise MessageRejected(
            [Problem(ReasonCode.WRONG_TYPE, "$", "the message must be a JSON object")]
        )
    return _validate_message(data, max_records)


def _fast_parse(raw: bytes, max_records: int) -> UplinkMessage | None:
    """The message parsed by pydantic's JSON parser, or None to take the full path.

    The full path (`_load_json`) finds every problem, but pays for it in Python. A valid
    message gives the same result here, provided no object repeats a key, which this
    parser would accept silently (the last one winning). So the fast result is used only
    when each field name occurs in the body exactly as often as it is set in the parsed
    message, and the body has no ``\\u`` escape (an escaped key could hide a repeat).
    Any doubt, and any error, goes the full way.
    """
    if b"\\u" in raw:
        return None
    try:
        message = UplinkMessage.model_validate_json(raw, context={"max_records": max_records})
    except (ValidationError, ValueError):
        return None
    counts: dict[str, int] = dict.fromkeys(message.model_fields_set, 1)
    for record in message.records:
        for name in record.model_fields_set:
            counts[name] = counts.get(name, 0) + 1
        if record.register_event is not None:
            for name in record.register_event.model_fields_set:
                counts[name] = counts.get(name, 0) + 1
    for name, expected in counts.items():
        if raw.count(b'"' + name.encode("ascii") + b'"') != expected:
            return None
    return message


# --- the lean path ------------------------------------------------------------------------
#
# `parse_lean` gives the service what it needs of a valid message without building an
# `UplinkRecord` per record: pydantic-core parses and type-checks the JSON (with the same
# strict types, patterns and extra-field rule, but no Python validator per record), and the
# per-record date-time rules run once per distinct (start, period) pair. It accepts only
# messages `parse_message` accepts, and gives up (None) on anything else or anything unusual
# (escapes, fractional seconds in a start, repeated keys), leaving it to `parse_message`.

_LEAN_START = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:Z|[+-][0-9]{2}:[0-9]{2})$"
"""The start date-times the lean path reads itself: seconds, no fraction, an offset."""

_LEAN_CONFIG = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False)


class LeanRecord(TypedDict):
    """One record as the lean parser returns it (a plain dict; optional keys as sent)."""

    __pydantic_config__ = _LEAN_CONFIG  # type: ignore[misc]

    item: Annotated[str, Field(pattern=ITEM_PATTERN)]
    period: Period
    start: Annotated[str, Field(pattern=_LEAN_START)]
    value: NotRequired[float | None]
    unit: Annotated[str, Field(pattern=UNIT_PATTERN)]
    register: NotRequired[Annotated[float, Field(ge=0)] | None]
    register_event: NotRequired[RegisterEvent | None]
    quality: NotRequired[Quality | None]


class _LeanMessage(TypedDict):
    __pydantic_config__ = _LEAN_CONFIG  # type: ignore[misc]

    protocol: Literal["nenghao-uplink/1"]
    credit_code: str
    device_id: Annotated[str, Field(pattern=IDENT_PATTERN)]
    sent_at: str
    message_id: Annotated[str, Field(pattern=IDENT_PATTERN)]
    records: list[LeanRecord]


_LEAN_ADAPTER: TypeAdapter[_LeanMessage] = TypeAdapter(_LeanMessage)
_MESSAGE_KEYS = len(_LeanMessage.__annotations__)
"""Keys of a message object (all required)."""
_SPACED_COLON = re.compile(rb'"[ \t\r\n]+:')


@dataclass(frozen=True, slots=True)
class LeanMessage:
    """A structurally valid message as `parse_lean` returns it.

    `records` are the parsed record objects (dicts, in message order) and `starts` their
    period starts [Unix s, UTC], aligned and in range; no two records share a slot.
    """

    credit_code: str
    device_id: str
    message_id: str
    records: list[LeanRecord]
    starts: list[int]


def parse_lean(
    raw: bytes,
    *,
    max_records: int = DEFAULT_MAX_RECORDS,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> LeanMessage | None:
    """The message of `raw` if it is valid and plain, else None (use `parse_message` then).

    A message returned here is one `parse_message` accepts with the same content; None
    says nothing about validity.
    """
    if len(raw) > max_body_bytes or b"\\u" in raw:
        return None
    try:
        data = _LEAN_ADAPTER.validate_json(raw)
    except (ValidationError, ValueError):
        return None
    records = data["records"]
    if not 0 < len(records) <= max_records:
        return None
    try:
        _parse_datetime(data["sent_at"])
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
    starts = _lean_starts(records)
    if starts is None:
        return None
    return LeanMessage(data["credit_code"], data["device_id"], data["message_id"], records, starts)


def _lean_starts(records: list[LeanRecord]) -> list[int] | None:
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
            start = known[key] = _lean_start(*key)
        if start is None:
            return None
        if record.get("value") is None and record.get("register") is None:
            return None
        if record.get("register_event") is not None and record.get("register") is None:
            return None
        append(start)
    slots = {(r["item"], r["period"], s) for r, s in zip(records, starts, strict=True)}
    return starts if len(slots) == len(records) else None


def _lean_start(text: str, period: str) -> int | None:
    try:
        parsed = _parse_datetime(text)
    except PydanticCustomError:
        return None
    if period not in PERIODS or not is_aligned(period, parsed):
        return None
    return int(parsed.timestamp())


def lean_record_model(record: LeanRecord) -> UplinkRecord:
    """The `UplinkRecord` of a record `parse_lean` returned (for the rare full treatment)."""
    return UplinkRecord.model_validate(record)


def lean_period_end(period: str, start: int) -> int:
    """The end of the period starting at `start` (a shortcut for the fixed periods)."""
    fixed = FIXED_SECONDS.get(period)
    return start + fixed if fixed is not None else period_end(period, start)  # type: ignore[arg-type]


def _load_json(body: bytes | str, max_body_bytes: int) -> Any:
    """The JSON value of `body`; raises for size, nesting depth, syntax and duplicate keys."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    if len(raw) > max_body_bytes:
        raise MessageRejected(
            [
                Problem(
                    ReasonCode.BODY_TOO_LARGE,
                    "$",
                    f"the body has {len(raw)} bytes; at most {max_body_bytes} are accepted",
                )
            ]
        )
    try:
        check_json_depth(raw)
        data = json.loads(
            raw.decode("utf-8"),
            parse_float=_parse_float,
            parse_int=_parse_int,
            parse_constant=_NonFinite,
            object_pairs_hook=_pairs,
        )
    except JsonTooDeepError as exc:
        raise MessageRejected([Problem(ReasonCode.JSON_TOO_DEEP, "$", str(exc))]) from None
    except UnicodeDecodeError as exc:
        raise MessageRejected(
            [Problem(ReasonCode.MALFORMED_JSON, "$", f"not UTF-8 at byte {exc.start}")]
        ) from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise MessageRejected(
            [Problem(ReasonCode.MALFORMED_JSON, "$", f"{exc.msg} at {where}")]
        ) from None
    except ValueError as exc:  # e.g. an integer literal beyond Python's digit limit
        raise MessageRejected(
            [Problem(ReasonCode.MALFORMED_JSON, "$", f"a number has too many digits: {exc}")]
        ) from None
    duplicates = list(_duplicate_keys(data, ""))
    if duplicates:
        raise MessageRejected(duplicates)
    return data


def _validate_message(data: dict[str, Any], max_records: int) -> UplinkMessage:
    try:
        return UplinkMessage.model_validate(data, context={"max_records": max_records})
    except ValidationError as exc:
        problems = [problem_from_error(error) for error in exc.errors()]
    if any(p.code is ReasonCode.DUPLICATE_RECORD for p in problems):
        # Report every duplicate, each at its own location, not only the first.
        records = [UplinkRecord.model_validate(r) for r in data["records"]]
        problems = [p for p in problems if p.code is not ReasonCode.DUPLICATE_RECORD]
        problems.extend(duplicate_records(records))
    raise MessageRejected(problems)


def parse_records(
    body: bytes | str,
    *,
    credit_code: str,
    max_records: int = DEFAULT_MAX_RECORDS,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> list[UplinkRecord]:
    """Parse ``{"records": [...]}`` (manual filing) with the rules of `parse_message`.

    The records are checked exactly as in a message of the enterprise `credit_code`
    (types, finiteness, alignment, count, duplicates); problems are located as
    ``records[i].field``.

    Raises
    ------
    MessageRejected
        With every problem found.
    """
    data = _load_json(body, max_body_bytes)
    if not isinstance(data, dict):
        raise MessageRejected(
            [
                Problem(
                    ReasonCode.WRONG_TYPE, "$", 'the body must be a JSON object {"records": [...]}'
                )
            ]
        )
    extra = [
        Problem(ReasonCode.UNEXPECTED_FIELD, key, "this field is not part of a filing")
        for key in data
        if key != "records"
    ]
    if "records" not in data:
        extra.append(Problem(ReasonCode.MISSING_FIELD, "records", "this field is required"))
    if extra:
        raise MessageRejected(extra)
    envelope = {
        "protocol": PROTOCOL,
        "credit_code": credit_code,
        "device_id": "manual",
        "sent_at": datetime.now(UTC).isoformat(),
        "message_id": "filing",
        "records": data["records"],
    }
    return _validate_message(envelope, max_records).records
