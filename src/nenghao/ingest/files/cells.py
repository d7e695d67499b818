"""The header row, and each row's cells read into an `UplinkRecord` or row errors."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cache
from typing import Any

from pydantic import ValidationError

from nenghao.ingest.files.layout import (
    COLUMNS,
    PERIOD_NAMES,
    QUALITY_NAMES,
    Column,
    FileRejected,
    RowError,
)
from nenghao.ingest.parsing import problem_from_error
from nenghao.ingest.protocol import UplinkRecord
from nenghao.standards.calendar import CST
from nenghao.standards.reason_codes import ReasonCode

Header = dict[int, tuple[Column, str]]
"""Column position -> (column, the header text as written in the file)."""

_HEADER_NOISE = re.compile(r"[\s/()（）_\-:：]+")


def _normal(text: str) -> str:
    return _HEADER_NOISE.sub("", text).casefold()


@cache
def _header_index(columns: tuple[Column, ...]) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for column in columns:
        for form in (column.zh, column.en, column.zh + column.en, column.en + column.zh):
            index[_normal(form)] = column
    return index


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column position (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_header(number: int, cells: list[Any], columns: tuple[Column, ...] = COLUMNS) -> Header:
    """Column position -> (column, header text) of `columns` (by default the record file's);
    raises `FileRejected` listing every problem."""
    mapping: Header = {}
    errors: list[RowError] = []
    seen: dict[str, str] = {}
    for position, cell in enumerate(cells):
        text = "" if cell is None else str(cell).strip().lstrip("\ufeff")
        if not text:
            continue
        column = _header_index(columns).get(_normal(text))
        if column is None:
            known = "、".join(c.zh for c in columns)
            errors.append(
                RowError(
                    number,
                    text,
                    ReasonCode.UNKNOWN_COLUMN,
                    f"column {column_letter(position)} {text!r} is not a known column"
                    f" (known: {known}, or their English names)",
                )
            )
        elif column.key in seen:
            errors.append(
                RowError(
                    number,
                    text,
                    ReasonCode.DUPLICATE_COLUMN,
                    f"{text!r} is the same column as {seen[column.key]!r}",
                )
            )
        else:
            seen[column.key] = text
            mapping[position] = (column, text)
    for column in columns:
        if column.required and column.key not in seen:
            errors.append(
                RowError(
                    number,
                    column.zh,
                    ReasonCode.MISSING_COLUMN,
                    f"the required column {column.zh} ({column.en}) is missing",
                )
            )
    if errors:
        raise FileRejected(errors)
    return mapping


class CellError(Exception):
    """A cell that cannot be read as asked: its reason code and message."""

    def __init__(self, code: ReasonCode, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def is_blank(cell: Any) -> bool:
    """Whether a cell holds nothing (None or only white space)."""
    return cell is None or (isinstance(cell, str) and not cell.strip())


def text_cell(cell: Any) -> str:
    """A cell as text (a whole number stored by a spreadsheet as its digits)."""
    if isinstance(cell, bool):
        raise CellError(ReasonCode.WRONG_TYPE, f"expected text, got the logical value {cell}")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a code such as 1001 that a spreadsheet stored as a number
    if isinstance(cell, datetime | date | time):
        raise CellError(ReasonCode.WRONG_TYPE, f"expected text, got the date/time {cell}")
    return str(cell).strip()


_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_NON_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)


def number_cell(cell: Any) -> float:
    """A cell as a finite number (digits grouped with commas allowed)."""
    if isinstance(cell, bool):
        raise CellError(ReasonCode.NOT_A_NUMBER, f"expected a number, got the logical value {cell}")
    if isinstance(cell, int | float):
        value = float(cell)
    elif isinstance(cell, str):
        text = cell.strip()
        if _NON_FINITE.fullmatch(text):
            raise CellError(ReasonCode.NOT_FINITE, f"{text!r} is not a finite number")
        if _GROUPED.fullmatch(text):
            text = text.replace(",", "")
        if not _NUMBER.fullmatch(text):
            raise CellError(ReasonCode.NOT_A_NUMBER, f"{cell.strip()!r} is not a number")
        value = float(text)
    else:
        raise CellError(ReasonCode.NOT_A_NUMBER, f"expected a number, got {cell!r}")
    if not math.isfinite(value):
        raise CellError(ReasonCode.NOT_FINITE, f"{cell!r} is not a finite number")
    return value


def choice_cell(cell: Any, names: dict[str, str], what: str) -> str:
    """The value `names` gives the cell's text (as written or case-folded)."""
    text = text_cell(cell)
    chosen = names.get(text.casefold()) or names.get(text)
    if chosen is None:
        allowed = " ".join(dict.fromkeys(names))
        raise CellError(ReasonCode.INVALID_VALUE, f"{text!r} is not a {what} ({allowed})")
    return chosen


_START = re.compile(
    r"(?P<y>[0-9]{4})[-/](?P<m>[0-9]{1,2})[-/](?P<d>[0-9]{1,2})"
    r"(?:[ T](?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2})(?:\.(?P<f>[0-9]{1,6}))?)?)?"
    r"\s*(?P<tz>Z|[+-][0-9]{2}:?[0-9]{2})?"
)


def _zone(text: str | None) -> timezone:
    if text is None:
        return CST
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def start_cell(cell: Any) -> str:
    """The period start as an RFC 3339 string; naive times are China Standard Time."""
    if isinstance(cell, datetime):
        moment = cell if cell.tzinfo else cell.replace(tzinfo=CST)
    elif isinstance(cell, date):
        moment = datetime(cell.year, cell.month, cell.day, tzinfo=CST)
    else:
        text = text_cell(cell)
        match = _START.fullmatch(text)
        if match is None:
            raise CellError(
                ReasonCode.INVALID_DATETIME,
                f"{text!r} is not a date-time; write e.g. 2026-10-01 00:00 (China Standard Time)",
            )
        parts = match.groupdict()
        try:
            moment = datetime(
                int(parts["y"]),
                int(parts["m"]),
                int(parts["d"]),
                int(parts["H"] or 0),
                int(parts["M"] or 0),
                int(parts["S"] or 0),
                int((parts["f"] or "0").ljust(6, "0")),
                tzinfo=_zone(parts["tz"]),
            )
        except ValueError as exc:
            raise CellError(ReasonCode.INVALID_DATETIME, f"{text!r}: {exc}") from None
    return moment.isoformat()


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "item": text_cell,
    "period": lambda cell: choice_cell(cell, PERIOD_NAMES, "statistic period"),
    "start": start_cell,
    "value": number_cell,
    "unit": text_cell,
    "register": number_cell,
    "quality": lambda cell: choice_cell(cell, QUALITY_NAMES, "quality"),
}
_REQUIRED_CELLS = ("item", "period", "start", "unit")


def row_record(
    number: int, cells: list[Any], header: Header, headers: dict[str, str]
) -> UplinkRecord | list[RowError]:
    """Row `number` as a record, or every problem of its cells (`headers`: key -> header)."""
    fields: dict[str, Any] = {}
    errors: list[RowError] = []
    for position, cell in enumerate(cells):
        if position not in header:
            if not is_blank(cell):
                letter = column_letter(position)
                errors.append(
                    RowError(
                        number,
                        letter,
                        ReasonCode.UNKNOWN_COLUMN,
                        f"column {letter} has no header but holds {cell!r}",
                    )
                )
            continue
        column, text = header[position]
        if column.key not in _PARSERS or is_blank(cell):
            continue
        try:
            fields[column.key] = _PARSERS[column.key](cell)
        except CellError as exc:
            errors.append(RowError(number, text, exc.code, exc.message))
    failed = {error.column for error in errors}
    for key in _REQUIRED_CELLS:
        if key not in fields and headers[key] not in failed:
            errors.append(
                RowError(number, headers[key], ReasonCode.MISSING_FIELD, "this cell is required")
            )
    if errors:
        return errors
    try:
        return UplinkRecord.model_validate(fields)
    except ValidationError as exc:
        problems = [problem_from_error(error) for error in exc.errors()]
    located = []
    for problem in problems:
        key = problem.location.split(".")[0].split("[")[0]
        if key not in headers:
            key = "register" if problem.code is ReasonCode.NEGATIVE_REGISTER else "value"
        located.append(RowError(number, headers.get(key, key), problem.code, problem.message))
    return located
