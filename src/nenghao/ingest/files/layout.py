"""The file format: its columns and accepted names, limits, row errors, the parsed file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from nenghao.ingest.protocol import UplinkRecord
from nenghao.standards.reason_codes import ReasonCode

FileFormat = Literal["csv", "xlsx"]


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
COLUMN_OF_REASON: dict[ReasonCode, str] = {
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
    ReasonCode.REPLACEMENT_SUSPECTED: "register",
}
"""The column a per-record rejection of the service points at, by reason code."""


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
    code: ReasonCode
    message: str

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


def reject(row: int, column: str | None, code: ReasonCode, message: str) -> FileRejected:
    """A `FileRejected` with one error."""
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
