"""Importing a file: `parse_file` reads it, `ingest_parsed` stores it through the service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nenghao.ingest.files.cells import Header, is_blank, read_header, row_record
from nenghao.ingest.files.layout import (
    COLUMN_OF_REASON,
    FileFormat,
    FileLimits,
    ParsedFile,
    RowError,
    reject,
)
from nenghao.ingest.files.reading import csv_rows, detect_format, xlsx_rows
from nenghao.ingest.protocol import RecordResult, UplinkRecord
from nenghao.ingest.sender import Sender
from nenghao.ingest.service import UplinkService
from nenghao.standards.calendar import CST
from nenghao.standards.reason_codes import ReasonCode
from nenghao.standards.vocabulary import RecordStatus

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
        raise reject(
            1,
            None,
            ReasonCode.FILE_TOO_LARGE,
            f"the file has {len(data)} bytes; at most {limits.max_bytes} are accepted",
        )
    if not data.strip():
        raise reject(1, None, ReasonCode.EMPTY_FILE, "the file is empty")
    file_format = detect_format(data, filename)
    rows = csv_rows(data) if file_format == "csv" else xlsx_rows(data, limits)
    header: Header | None = None
    records: list[UplinkRecord] = []
    numbers: list[int] = []
    errors: list[RowError] = []
    first_row: dict[tuple[str, str, int], int] = {}
    data_rows = 0
    for number, cells in rows:
        if all(is_blank(cell) for cell in cells):
            continue
        if header is None:
            header = read_header(number, cells)
            headers = {column.key: text for column, text in header.values()}
            continue
        data_rows += 1
        if on_rows is not None and data_rows % PROGRESS_ROWS == 0:
            on_rows(data_rows)
        if data_rows > limits.max_rows:
            raise reject(
                number,
                None,
                ReasonCode.TOO_MANY_ROWS,
                f"more than {limits.max_rows} data rows; split the file",
            )
        outcome = row_record(number, cells, header, headers)
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
        raise reject(1, None, ReasonCode.EMPTY_FILE, "the file has no header row")
    if data_rows == 0:
        raise reject(2, None, ReasonCode.EMPTY_FILE, "the file has a header but no data rows")
    if on_rows is not None:
        on_rows(data_rows)
    return ParsedFile(
        file_format, tuple(records), tuple(numbers), tuple(errors), headers, data_rows
    )


@dataclass(frozen=True, slots=True)
class RowResult:
    """The outcome of one row (a rejected row has one result per problem)."""

    row: int
    status: RecordStatus
    item: str | None = None
    period: str | None = None
    start: str | None = None
    revision: int | None = None
    column: str | None = None
    code: str | None = None
    """A `ReasonCode`, or a store error's code (data-item imports)."""
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
        statuses = list({r.row: r.status for r in self.results}.values())
        return {status.value: statuses.count(status) for status in RecordStatus}

    @property
    def rejected_rows(self) -> int:
        """How many rows were not stored."""
        return self.summary[RecordStatus.REJECTED]

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
    code = result.code
    column = None if code is None else parsed.column(COLUMN_OF_REASON.get(code))
    return RowResult(
        parsed.rows[position],
        result.status,
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
        RowResult(e.row, RecordStatus.REJECTED, column=e.column, code=e.code, message=e.message)
        for e in parsed.errors
    ]
    reference = None
    if parsed.records:
        ack = uplink.ingest_records(parsed.records, sender=sender, raw=raw)
        results += [_record_result(parsed, r.index, r) for r in ack.results]
        reference = ack.message_id
    results.sort(key=lambda r: r.row)
    return ImportResult(filename, parsed.format, parsed.data_rows, tuple(results), reference)
