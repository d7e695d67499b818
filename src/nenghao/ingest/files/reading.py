"""Reading an uploaded file into rows: CSV (UTF-8 or GB18030) or XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from nenghao.ingest import workbook
from nenghao.ingest.files.layout import FileFormat, FileLimits, reject
from nenghao.standards.reason_codes import ReasonCode

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
DATA_SHEET_NAMES = ("数据", "data")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_csv(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), else GB18030.

    A file that is partly valid UTF-8 with non-ASCII text and breaks later is reported at the
    broken line rather than re-read as GB18030 (that would turn it into mojibake).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise reject(
            1, None, ReasonCode.BAD_ENCODING, "UTF-16 text is not supported; save as CSV UTF-8"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    head = data[: utf8_error.start]
    if head.startswith(b"\xef\xbb\xbf") or not head.isascii():
        line = _line_of(data, utf8_error.start)
        raise reject(
            line,
            None,
            ReasonCode.BAD_ENCODING,
            f"byte {utf8_error.start} is not UTF-8 although the text before it is;"
            " save the whole file in one encoding (CSV UTF-8)",
        )
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        raise reject(
            line,
            None,
            ReasonCode.BAD_ENCODING,
            f"byte {exc.start} is neither UTF-8 nor GB18030; save the file as CSV UTF-8",
        ) from None


Row = tuple[int, list[Any]]
"""A row number (as a spreadsheet shows it) and its cells."""


def csv_rows(data: bytes) -> Iterator[Row]:
    """The numbered rows of a CSV file; raises `FileRejected`."""
    reader = csv.reader(io.StringIO(decode_csv(data), newline=""), strict=True)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, list(cells)
    except csv.Error as exc:
        raise reject(number + 1, None, ReasonCode.UNREADABLE_FILE, f"CSV syntax: {exc}") from None


_WORKBOOK_CODES = {
    workbook.WorkbookTooLargeError: ReasonCode.FILE_TOO_LARGE,
    workbook.WorkbookUnavailableError: ReasonCode.UNSUPPORTED_FORMAT,
}


def xlsx_rows(data: bytes, limits: FileLimits) -> Iterator[Row]:
    """The numbered rows of the data sheet of an XLSX file; raises `FileRejected`."""
    try:
        yield from workbook.rows(
            data, max_unzipped_bytes=limits.max_unzipped_bytes, sheet_names=DATA_SHEET_NAMES
        )
    except workbook.WorkbookError as exc:
        code = _WORKBOOK_CODES.get(type(exc), ReasonCode.UNREADABLE_FILE)
        raise reject(1, None, code, str(exc)) from None


def detect_format(data: bytes, filename: str) -> FileFormat:
    """``xlsx`` or ``csv`` from the content and the file name; raises `FileRejected`."""
    suffix = PurePath(filename).suffix.lower()
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    if data.startswith(XLS_MAGIC):
        raise reject(
            1, None, ReasonCode.UNSUPPORTED_FORMAT, "old Excel .xls files: save as .xlsx or CSV"
        )
    if suffix == ".xlsx":
        raise reject(1, None, ReasonCode.UNREADABLE_FILE, "the .xlsx file is not a workbook")
    if suffix in (".csv", ".txt", ""):
        return "csv"
    raise reject(
        1,
        None,
        ReasonCode.UNSUPPORTED_FORMAT,
        f"{suffix!r} files are not supported; use .csv/.xlsx",
    )
