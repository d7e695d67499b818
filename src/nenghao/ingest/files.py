"""CSV and XLSX uplink files: one statistic record per row, every row accounted for.

A file has a header row naming its columns (Chinese or English, or both as in the template:
``数据项编码 item``) and one record per row:

=========== ========== ======== ==================================================
中文         English    required meaning
=========== ========== ======== ==================================================
数据项编码   item       yes      the data item code
数据项名称   name       no       shown for the person filling the file; not imported
统计周期     period     yes      ``15min hour day month year`` or ``15分钟 小时 日 月 年``
周期开始     start      yes      period start: ``2026-10-01 00:00`` (CST) or RFC 3339
数值         value      yes      the amount over the period (empty for register items)
单位         unit       yes      the unit of value and register
累计读数     register   no       the cumulative meter reading at the period start
质量         quality    no       ``good estimated manual suspect`` or ``实测 估算 人工 存疑``
=========== ========== ======== ==================================================

`parse_file` turns every non-blank row into either an `UplinkRecord` or one or more
`RowError` (row number as a spreadsheet shows it; column as headed in the file; a stable
code; a message). Nothing is dropped or corrected. Checks against the enterprise's
registered items are the service's (`validate_records`): `import_file` sends the records
there and maps its per-record rejections back to rows and columns (`COLUMN_OF_REASON`), so
rejected records are quarantined like any other. Problems with the file as a whole raise
`FileRejected`. Entirely blank rows carry nothing and are skipped.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import PurePath
from typing import Any, Literal

from pydantic import ValidationError

from nenghao.ingest import workbook
from nenghao.ingest.errors import ReasonCode
from nenghao.ingest.parsing import problem_from_error
from nenghao.ingest.protocol import RecordResult, UplinkRecord
from nenghao.ingest.sender import Sender
from nenghao.ingest.service import UplinkService
from nenghao.store.timebase import CST

FileFormat = Literal["csv", "xlsx"]


class FileCode:
    """Reason codes of file import beyond the protocol's `ReasonCode` (stable strings)."""

    EMPTY_FILE = "empty_file"
    FILE_TOO_LARGE = "file_too_large"
    TOO_MANY_ROWS = "too_many_rows"
    BAD_ENCODING = "bad_encoding"
    UNSUPPORTED_FORMAT = "unsupported_format"
    UNREADABLE_FILE = "unreadable_file"
    MISSING_COLUMN = "missing_column"
    UNKNOWN_COLUMN = "unknown_column"
    DUPLICATE_COLUMN = "duplicate_column"
    NOT_A_NUMBER = "not_a_number"


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the file format: record field `key`, Chinese and English headers."""

    key: str
    zh: str
    en: str
    required: bool
    note_zh: str
    note_en: str

    @property
    def header(self) -> str:
        """The bilingual header the templates write (``数据项编码 item``)."""
        return f"{self.zh} {self.en}"


COLUMNS: tuple[Column, ...] = (
    Column("item", "数据项编码", "item", True, "登记的数据项编码", "registered data item code"),
    Column("name", "数据项名称", "name", False, "仅供填写参考，不导入", "for reference only"),
    Column(
        "period",
        "统计周期",
        "period",
        True,
        "15min/hour/day/month/year 或 15分钟/小时/日/月/年",
        "15min, hour, day, month, year",
    ),
    Column(
        "start",
        "周期开始",
        "start",
        True,
        "北京时间，如 2026-10-01 00:00；或带时区的 ISO 8601",
        "China Standard Time, e.g. 2026-10-01 00:00, or ISO 8601 with offset",
    ),
    Column(
        "value", "数值", "value", True, "周期内的量；累计值项留空", "amount; empty for registers"
    ),
    Column("unit", "单位", "unit", True, "数值和累计读数的单位", "unit of value and register"),
    Column(
        "register", "累计读数", "register", False, "周期起点的表底读数", "meter reading at start"
    ),
    Column(
        "quality",
        "质量",
        "quality",
        False,
        "实测/估算/人工/存疑，留空为实测",
        "good, estimated, manual, suspect (empty: good)",
    ),
)
RECORD_KEYS = ("item", "period", "start", "value", "unit", "register", "quality")

PERIOD_NAMES = {
    "15min": "15min",
    "15分钟": "15min",
    "hour": "hour",
    "小时": "hour",
    "day": "day",
    "日": "day",
    "天": "day",
    "month": "month",
    "月": "month",
    "year": "year",
    "年": "year",
}
QUALITY_NAMES = {
    "good": "good",
    "实测": "good",
    "estimated": "estimated",
    "估算": "estimated",
    "manual": "manual",
    "人工": "manual",
    "suspect": "suspect",
    "存疑": "suspect",
}
COLUMN_OF_REASON: dict[str, str] = {
    ReasonCode.UNKNOWN_ITEM: "item",
    ReasonCode.PERIOD_MISMATCH: "period",
    ReasonCode.FUTURE_PERIOD: "start",
    ReasonCode.UNIT_MISMATCH: "unit",
    ReasonCode.VALUE_REQUIRED: "value",
    ReasonCode.VALUE_NOT_ALLOWED: "value",
    ReasonCode.NEGATIVE_VALUE: "value",
    ReasonCode.VALUE_TOO_LARGE: "value",
    ReasonCode.REGISTER_REQUIRED: "register",
    ReasonCode.REGISTER_BACKWARDS: "register",
    ReasonCode.REGISTER_OUT_OF_RANGE: "register",
    ReasonCode.RESET_UNBRIDGED: "register",
}
"""The column a per-record rejection of the service points at, by reason code."""

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
DATA_SHEET_NAMES = ("数据", "data")


@dataclass(frozen=True, slots=True)
class FileLimits:
    """Upper bounds on one uploaded file."""

    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 100_000
    max_unzipped_bytes: int = 200 * 1024 * 1024
    """XLSX only: the uncompressed size of all parts (guards against zip bombs)."""


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem of one row: ``row`` as a spreadsheet numbers it (header = 1)."""

    row: int
    column: str | None
    code: str
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", str(self.code))  # a ReasonCode as its plain value

    def as_dict(self) -> dict[str, Any]:
        """The JSON form ``{"row", "column", "code", "message"}``."""
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


class FileRejected(Exception):  # noqa: N818 - named for what it says
    """The file as a whole cannot be read; `errors` locate the problems (at least one)."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = tuple(errors)
        first = self.errors[0]
        where = f"row {first.row}" + (f", column {first.column}" if first.column else "")
        super().__init__(f"{where}: {first.message}")
        self.code = first.code
        self.message = str(self)


def _reject(row: int, column: str | None, code: str, message: str) -> FileRejected:
    return FileRejected([RowError(row, column, code, message)])


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """The records of a file, the row of each record, and the rows that failed.

    Attributes
    ----------
    format : {"csv", "xlsx"}
    records : tuple of UplinkRecord
        In file order.
    rows : tuple of int
        ``rows[i]`` is the file row of ``records[i]``.
    errors : tuple of RowError
        By row; a row appears here or in `rows`, never both.
    headers : dict of str to str
        The file's header text of each column key present (for locating service rejections).
    data_rows : int
        Non-blank rows below the header.
    """

    format: FileFormat
    records: tuple[UplinkRecord, ...]
    rows: tuple[int, ...]
    errors: tuple[RowError, ...]
    headers: dict[str, str]
    data_rows: int

    def column(self, key: str | None) -> str | None:
        """The file's header text of a record field (`key`), or the key when absent."""
        return None if key is None else self.headers.get(key, key)


# --- reading rows ------------------------------------------------------------------------


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_csv(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), else GB18030.

    A file that is partly valid UTF-8 with non-ASCII text and breaks later is reported at the
    broken line rather than re-read as GB18030 (that would turn it into mojibake).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _reject(
            1, None, FileCode.BAD_ENCODING, "UTF-16 text is not supported; save as CSV UTF-8"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    head = data[: utf8_error.start]
    if head.startswith(b"\xef\xbb\xbf") or not head.isascii():
        line = _line_of(data, utf8_error.start)
        raise _reject(
            line,
            None,
            FileCode.BAD_ENCODING,
            f"byte {utf8_error.start} is not UTF-8 although the text before it is;"
            " save the whole file in one encoding (CSV UTF-8)",
        )
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        raise _reject(
            line,
            None,
            FileCode.BAD_ENCODING,
            f"byte {exc.start} is neither UTF-8 nor GB18030; save the file as CSV UTF-8",
        ) from None


Row = tuple[int, list[Any]]


def _csv_rows(data: bytes) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(decode_csv(data), newline=""), strict=True)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, list(cells)
    except csv.Error as exc:
        raise _reject(number + 1, None, FileCode.UNREADABLE_FILE, f"CSV syntax: {exc}") from None


_WORKBOOK_CODES = {
    workbook.WorkbookTooLargeError: FileCode.FILE_TOO_LARGE,
    workbook.WorkbookUnavailableError: FileCode.UNSUPPORTED_FORMAT,
}


def _xlsx_rows(data: bytes, limits: FileLimits) -> Iterator[Row]:
    try:
        yield from workbook.rows(
            data, max_unzipped_bytes=limits.max_unzipped_bytes, sheet_names=DATA_SHEET_NAMES
        )
    except workbook.WorkbookError as exc:
        code = _WORKBOOK_CODES.get(type(exc), FileCode.UNREADABLE_FILE)
        raise _reject(1, None, code, str(exc)) from None


def detect_format(data: bytes, filename: str) -> FileFormat:
    """``xlsx`` or ``csv`` from the content and the file name; raises `FileRejected`."""
    suffix = PurePath(filename).suffix.lower()
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    if data.startswith(XLS_MAGIC):
        raise _reject(
            1, None, FileCode.UNSUPPORTED_FORMAT, "old Excel .xls files: save as .xlsx or CSV"
        )
    if suffix == ".xlsx":
        raise _reject(1, None, FileCode.UNREADABLE_FILE, "the .xlsx file is not a workbook")
    if suffix in (".csv", ".txt", ""):
        return "csv"
    raise _reject(
        1, None, FileCode.UNSUPPORTED_FORMAT, f"{suffix!r} files are not supported; use .csv/.xlsx"
    )


# --- header ------------------------------------------------------------------------------

_HEADER_NOISE = re.compile(r"[\s/()（）_\-:：]+")


def _normal(text: str) -> str:
    return _HEADER_NOISE.sub("", text).casefold()


_HEADER_INDEX: dict[str, Column] = {}
for _column in COLUMNS:
    for _form in (_column.zh, _column.en, _column.zh + _column.en, _column.en + _column.zh):
        _HEADER_INDEX[_normal(_form)] = _column


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _header(number: int, cells: list[Any]) -> dict[int, tuple[Column, str]]:
    """Column position -> (column, header text); raises `FileRejected` listing every problem."""
    mapping: dict[int, tuple[Column, str]] = {}
    errors: list[RowError] = []
    seen: dict[str, str] = {}
    for position, cell in enumerate(cells):
        text = "" if cell is None else str(cell).strip().lstrip("\ufeff")
        if not text:
            continue
        column = _HEADER_INDEX.get(_normal(text))
        if column is None:
            known = "、".join(c.zh for c in COLUMNS)
            errors.append(
                RowError(
                    number,
                    text,
                    FileCode.UNKNOWN_COLUMN,
                    f"column {_column_letter(position)} {text!r} is not a known column"
                    f" (known: {known}, or their English names)",
                )
            )
        elif column.key in seen:
            errors.append(
                RowError(
                    number,
                    text,
                    FileCode.DUPLICATE_COLUMN,
                    f"{text!r} is the same column as {seen[column.key]!r}",
                )
            )
        else:
            seen[column.key] = text
            mapping[position] = (column, text)
    for column in COLUMNS:
        if column.required and column.key not in seen:
            errors.append(
                RowError(
                    number,
                    column.zh,
                    FileCode.MISSING_COLUMN,
                    f"the required column {column.zh} ({column.en}) is missing",
                )
            )
    if errors:
        raise FileRejected(errors)
    return mapping


# --- cells -------------------------------------------------------------------------------


class _CellError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _text(cell: Any) -> str:
    if isinstance(cell, bool):
        raise _CellError(ReasonCode.WRONG_TYPE, f"expected text, got the logical value {cell}")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a code such as 1001 that a spreadsheet stored as a number
    if isinstance(cell, datetime | date | time):
        raise _CellError(ReasonCode.WRONG_TYPE, f"expected text, got the date/time {cell}")
    return str(cell).strip()


_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_NON_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)


def _number(cell: Any) -> float:
    if isinstance(cell, bool):
        raise _CellError(FileCode.NOT_A_NUMBER, f"expected a number, got the logical value {cell}")
    if isinstance(cell, int | float):
        value = float(cell)
    elif isinstance(cell, str):
        text = cell.strip()
        if _NON_FINITE.fullmatch(text):
            raise _CellError(ReasonCode.NOT_FINITE, f"{text!r} is not a finite number")
        if _GROUPED.fullmatch(text):
            text = text.replace(",", "")
        if not _NUMBER.fullmatch(text):
            raise _CellError(FileCode.NOT_A_NUMBER, f"{cell.strip()!r} is not a number")
        value = float(text)
    else:
        raise _CellError(FileCode.NOT_A_NUMBER, f"expected a number, got {cell!r}")
    if not math.isfinite(value):
        raise _CellError(ReasonCode.NOT_FINITE, f"{cell!r} is not a finite number")
    return value


def _choice(cell: Any, names: dict[str, str], what: str) -> str:
    text = _text(cell)
    chosen = names.get(text.casefold()) or names.get(text)
    if chosen is None:
        allowed = " ".join(dict.fromkeys(names))
        raise _CellError(ReasonCode.INVALID_VALUE, f"{text!r} is not a {what} ({allowed})")
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


def _start(cell: Any) -> str:
    """The period start as an RFC 3339 string; naive times are China Standard Time."""
    if isinstance(cell, datetime):
        moment = cell if cell.tzinfo else cell.replace(tzinfo=CST)
    elif isinstance(cell, date):
        moment = datetime(cell.year, cell.month, cell.day, tzinfo=CST)
    else:
        text = _text(cell)
        match = _START.fullmatch(text)
        if match is None:
            raise _CellError(
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
            raise _CellError(ReasonCode.INVALID_DATETIME, f"{text!r}: {exc}") from None
    return moment.isoformat()


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "item": _text,
    "period": lambda cell: _choice(cell, PERIOD_NAMES, "statistic period"),
    "start": _start,
    "value": _number,
    "unit": _text,
    "register": _number,
    "quality": lambda cell: _choice(cell, QUALITY_NAMES, "quality"),
}
_REQUIRED_CELLS = ("item", "period", "start", "unit")


def _row_record(
    number: int, cells: list[Any], header: dict[int, tuple[Column, str]], headers: dict[str, str]
) -> UplinkRecord | list[RowError]:
    fields: dict[str, Any] = {}
    errors: list[RowError] = []
    for position, cell in enumerate(cells):
        if position not in header:
            if not _blank(cell):
                letter = _column_letter(position)
                errors.append(
                    RowError(
                        number,
                        letter,
                        FileCode.UNKNOWN_COLUMN,
                        f"column {letter} has no header but holds {cell!r}",
                    )
                )
            continue
        column, text = header[position]
        if column.key not in _PARSERS or _blank(cell):
            continue
        try:
            fields[column.key] = _PARSERS[column.key](cell)
        except _CellError as exc:
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
        located.append(RowError(number, headers.get(key, key), problem.code.value, problem.message))
    return located


# --- the file ----------------------------------------------------------------------------


PROGRESS_ROWS = 1000
"""`parse_file` reports progress after each chunk of this many rows."""


def parse_file(
    data: bytes,
    filename: str,
    *,
    limits: FileLimits | None = None,
    on_rows: Callable[[int], None] | None = None,
) -> ParsedFile:
    """Read a CSV or XLSX upload into records and row errors.

    Parameters
    ----------
    data : bytes
        The file as uploaded.
    filename : str
        Its name; the suffix (``.csv``, ``.xlsx``) helps to tell the format.
    limits : FileLimits or None
    on_rows : callable or None
        Told the number of data rows read so far, after every `PROGRESS_ROWS` and at the end.

    Returns
    -------
    ParsedFile

    Raises
    ------
    FileRejected
        Empty, too large, unreadable or wrongly encoded file; missing, unknown or duplicate
        columns; too many rows. Each error names its row (and column where there is one).
    """
    limits = limits or FileLimits()
    if len(data) > limits.max_bytes:
        raise _reject(
            1,
            None,
            FileCode.FILE_TOO_LARGE,
            f"the file has {len(data)} bytes; at most {limits.max_bytes} are accepted",
        )
    if not data.strip():
        raise _reject(1, None, FileCode.EMPTY_FILE, "the file is empty")
    file_format = detect_format(data, filename)
    rows = _csv_rows(data) if file_format == "csv" else _xlsx_rows(data, limits)
    header: dict[int, tuple[Column, str]] | None = None
    records: list[UplinkRecord] = []
    numbers: list[int] = []
    errors: list[RowError] = []
    first_row: dict[tuple[str, str, int], int] = {}
    data_rows = 0
    for number, cells in rows:
        if all(_blank(cell) for cell in cells):
            continue
        if header is None:
            header = _header(number, cells)
            headers = {column.key: text for column, text in header.values()}
            continue
        data_rows += 1
        if on_rows is not None and data_rows % PROGRESS_ROWS == 0:
            on_rows(data_rows)
        if data_rows > limits.max_rows:
            raise _reject(
                number,
                None,
                FileCode.TOO_MANY_ROWS,
                f"more than {limits.max_rows} data rows; split the file",
            )
        outcome = _row_record(number, cells, header, headers)
        if isinstance(outcome, list):
            errors.extend(outcome)
            continue
        earlier = first_row.setdefault(outcome.key, number)
        if earlier != number:
            errors.append(
                RowError(
                    number,
                    headers["item"],
                    ReasonCode.DUPLICATE_RECORD,
                    f"the same item, period and start as row {earlier}",
                )
            )
            continue
        records.append(outcome)
        numbers.append(number)
    if header is None:
        raise _reject(1, None, FileCode.EMPTY_FILE, "the file has no header row")
    if data_rows == 0:
        raise _reject(2, None, FileCode.EMPTY_FILE, "the file has a header but no data rows")
    if on_rows is not None:
        on_rows(data_rows)
    return ParsedFile(
        file_format, tuple(records), tuple(numbers), tuple(errors), headers, data_rows
    )


# --- import: parse, ingest, map results back to rows --------------------------------------

Status = Literal["accepted", "duplicate", "revised", "rejected"]
STATUSES: tuple[Status, ...] = ("accepted", "duplicate", "revised", "rejected")


@dataclass(frozen=True, slots=True)
class RowResult:
    """The outcome of one row (a rejected row has one result per problem)."""

    row: int
    status: Status
    item: str | None = None
    period: str | None = None
    start: str | None = None
    revision: int | None = None
    column: str | None = None
    code: str | None = None
    message: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (every field, None included)."""
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class ImportResult:
    """Every row of an imported file with its result, in row order."""

    filename: str
    format: FileFormat
    data_rows: int
    results: tuple[RowResult, ...]
    reference: str | None = None
    """The service's message id of the stored upload (``file-<archive id>``); None if none."""

    @property
    def summary(self) -> dict[str, int]:
        """Rows per status (a row with several problems counts once)."""
        status_of = {r.row: r.status for r in self.results}
        return {status: list(status_of.values()).count(status) for status in STATUSES}

    @property
    def rejected_rows(self) -> int:
        """How many rows were not stored."""
        return self.summary["rejected"]

    def as_dict(self) -> dict[str, Any]:
        """The JSON answer of an import."""
        return {
            "filename": self.filename,
            "format": self.format,
            "rows": self.data_rows,
            "reference": self.reference,
            "summary": self.summary,
            "results": [r.as_dict() for r in self.results],
        }


def _described(record: UplinkRecord) -> dict[str, Any]:
    return {
        "item": record.item,
        "period": record.period,
        "start": record.start.astimezone(CST).isoformat(),
    }


def _record_result(parsed: ParsedFile, position: int, result: RecordResult) -> RowResult:
    """A `RecordResult` of the service for ``parsed.records[position]`` as a row result."""
    code = None if result.code is None else str(result.code)
    column = parsed.column(COLUMN_OF_REASON.get(code)) if code else None
    return RowResult(
        parsed.rows[position],
        str(result.status),  # type: ignore[arg-type]
        revision=result.revision,
        column=column,
        code=code,
        message=result.message,
        **_described(parsed.records[position]),
    )


def ingest_parsed(
    uplink: UplinkService,
    parsed: ParsedFile,
    raw: bytes,
    *,
    sender: Sender,
    filename: str,
) -> ImportResult:
    """Store the records of `parsed` through the ingest service (channel ``file``).

    `uplink` (with the configured limits) archives `raw` (the file), validates every record
    against the enterprise's items, stores, revises or quarantines it, and answers per
    record; those answers and the parse errors make one result per row.
    """
    results = [
        RowResult(e.row, "rejected", column=e.column, code=e.code, message=e.message)
        for e in parsed.errors
    ]
    reference = None
    if parsed.records:
        ack = uplink.ingest_records(parsed.records, sender=sender, raw=raw)
        results += [_record_result(parsed, r.index, r) for r in ack.results]
        reference = ack.message_id
    results.sort(key=lambda r: r.row)
    return ImportResult(filename, parsed.format, parsed.data_rows, tuple(results), reference)
