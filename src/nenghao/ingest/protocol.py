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

import warnings
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from nenghao.ingest.errors import MessageRejected, Problem
from nenghao.standards.calendar import (
    CST,
    NAIVE_DATETIME,
    PERIODS,
    CalendarError,
    PeriodName,
    is_aligned,
    parse_rfc3339,
)
from nenghao.standards.reason_codes import ReasonCode
from nenghao.standards.vocabulary import Quality, RecordStatus
from nenghao.store.credit_code import CreditCodeError, validate_credit_code

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


def parse_datetime(value: object) -> datetime:
    if not isinstance(value, str):
        raise _custom(ReasonCode.WRONG_TYPE, "expected an RFC 3339 date-time string")
    try:
        parsed = parse_rfc3339(value)
    except CalendarError as exc:
        naive = exc.code == NAIVE_DATETIME
        code = ReasonCode.NAIVE_DATETIME if naive else ReasonCode.INVALID_DATETIME
        raise _custom(code, str(exc)) from None
    year = parsed.astimezone(UTC).year
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _custom(
            ReasonCode.INVALID_DATETIME, f"{value!r} is outside the years {MIN_YEAR}-{MAX_YEAR}"
        )
    return parsed


YEARS_PATTERN = r"^(?:197[1-9]|19[89][0-9]|2(?:[0-8][0-9]{2}|9[0-8][0-9]|99[0-8]))-"
"""Years 1971 to 2998: inside `MIN_YEAR` to `MAX_YEAR` whatever the offset (documented)."""

AwareDateTime = Annotated[
    datetime,
    BeforeValidator(parse_datetime),
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
        period : PeriodName
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
        period: PeriodName
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
        def key(self) -> tuple[str, PeriodName, int]:
            """``(item, period, period_start)``: what identifies a record's slot."""
            return (self.item, self.period, self.period_start)


_ALIGNMENT: dict[str, str] = {
    "15min": "minute 00, 15, 30 or 45, second 0",
    "hour": "HH:00:00",
    "day": "00:00:00",
    "month": "the 1st at 00:00:00",
    "year": "January 1st at 00:00:00",
}


class MessageHead(_Strict):
    """The fields every device message starts with: protocol, enterprise, device, sent at
    (uplink messages, heartbeats)."""

    protocol: str
    credit_code: str
    device_id: Annotated[str, Field(pattern=IDENT_PATTERN)]
    sent_at: AwareDateTime

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


class UplinkMessage(MessageHead):
    """One uplink message (``nenghao-uplink/1``).

    Validation context (optional, via ``model_validate(..., context=...)``): ``max_records``
    (default `DEFAULT_MAX_RECORDS`).
    """

    message_id: Annotated[str, Field(pattern=IDENT_PATTERN)]
    records: list[UplinkRecord]
    dry_run: bool | None = None
    """True: validate and answer as usual, but store, archive and quarantine nothing
    (section 7, "Dry run")."""

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
    first: dict[tuple[str, PeriodName, int], int] = {}
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
    message: MessageHead,
    *,
    key_id: str,
    key_credit_code: str,
    topic_credit_code: str | None = None,
) -> None:
    """Check that the authenticated key may send `message`.

    Parameters
    ----------
    message : MessageHead
        An uplink message or a heartbeat.
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
    dry_run: bool | None = None
    """True on the answer to a dry run: nothing was stored (absent otherwise)."""
    results: list[RecordResult]
