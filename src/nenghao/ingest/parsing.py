"""Parsing uplink bodies: the one parser that reports every problem with its location.

`parse_message` (a device's message) and `parse_records` (a manual filing) read the JSON
with Python's parser, which finds syntax errors, non-finite numbers and repeated keys (the
one duplicate-key check that reports), then validate the `UplinkMessage` model; problems are
collected per stage. The plain path (`nenghao.ingest.plain.parse_plain`) reads the common
case faster, but never reports: it declines anything it cannot prove valid, and this
parser then gives the reasons.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from nenghao.ingest.errors import MessageRejected, Problem
from nenghao.ingest.json_depth import JsonTooDeepError, check_json_depth
from nenghao.ingest.protocol import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_RECORDS,
    PROTOCOL,
    UplinkMessage,
    UplinkRecord,
    duplicate_records,
)
from nenghao.standards.reason_codes import ReasonCode


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
    return _validate_message(parse_object(body, max_body_bytes), max_records)


def parse_object(body: bytes | str, max_body_bytes: int) -> dict[str, Any]:
    """The JSON object of a device message `body` (size, nesting, syntax, duplicate keys,
    an object); raises `MessageRejected` with the problems."""
    data = _load_json(body, max_body_bytes)
    if not isinstance(data, dict):
        raise MessageRejected(
            [Problem(ReasonCode.WRONG_TYPE, "$", "the message must be a JSON object")]
        )
    return data


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
