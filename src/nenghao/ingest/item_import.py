"""Data-item lists from XLSX (or CSV): the template and the row-by-row import.

Each row is one item, judged on its own: created (``accepted``), already registered with
the same attributes (``duplicate``, nothing stored) or ``rejected`` with every reason and
nothing stored for it. Good rows of a file with bad rows are stored (see docs/items.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from nenghao.ingest.files.cells import (
    CellError,
    choice_cell,
    is_blank,
    number_cell,
    read_header,
    start_cell,
    text_cell,
)
from nenghao.ingest.files.importing import ImportResult, RowResult
from nenghao.ingest.files.layout import PERIOD_NAMES, Column, FileLimits, RowError, reject
from nenghao.ingest.files.reading import csv_rows, detect_format
from nenghao.ingest.templates import write_xlsx
from nenghao.ingest.workbook import WorkbookError
from nenghao.ingest.workbook import rows as workbook_rows
from nenghao.standards.reason_codes import ReasonCode
from nenghao.standards.vocabulary import (
    MEASURE_NAMES_ZH,
    STAGE_NAMES_ZH,
    USAGE_NAMES_ZH,
    VALUE_KIND_NAMES_ZH,
    RecordStatus,
)
from nenghao.store import items
from nenghao.store.common import StoreError
from nenghao.store.item_rules import INTERPRETING, check_item, code_base
from nenghao.store.scope import Scope

SHEET_NAMES = ("数据项", "items")


def _col(key: str, zh: str, en: str, note_zh: str, required: bool = False) -> Column:
    return Column(key, zh, en, required, note_zh, note_zh)


ITEM_COLUMNS: tuple[Column, ...] = (
    _col("code", "数据项编码", "code", "留空则按编码规则生成（docs/items.md）"),
    _col("name", "数据项名称", "name", "如 全厂电力消耗", True),
    _col("measures", "计量对象", "measures", " / ".join(MEASURE_NAMES_ZH.values()), True),
    _col("energy_kind", "能源品种", "energy_kind", "能源品种名称或编码，如 电力、原煤"),
    _col("product_code", "产品", "product_code", "产品编码，如 sinter"),
    _col("usage", "用途", "usage", " / ".join(USAGE_NAMES_ZH.values())),
    _col("stage", "环节", "stage", " / ".join(STAGE_NAMES_ZH.values())),
    _col("process", "工序", "process", "工序编码，如 sintering；进出用能单位留空"),
    _col("unit", "单位", "unit", "如 kWh、t、m3、万元", True),
    _col("period", "统计周期", "period", "15分钟/小时/日/月/年", True),
    _col("value_kind", "数据类型", "value_kind", " / ".join(VALUE_KIND_NAMES_ZH.values())),
    _col("manual", "人工填报", "manual", "是/否"),
    _col("renewable", "可再生", "renewable", "是/否"),
    _col("register_max", "量程", "register_max", "累计读数的满量程（翻转点）"),
    _col("register_resolution", "分辨率", "register_resolution", "表计最小读数变化"),
    _col("ct_ratio", "CT变比", "ct_ratio", "电流互感器倍率"),
    _col("pt_ratio", "PT变比", "pt_ratio", "电压互感器倍率"),
    _col("accuracy_class", "准确度等级", "accuracy_class", "如 0.5S、1、2"),
    _col("calibration_due", "检定有效期", "calibration_due", "有效期截止日，如 2027-06-30"),
    _col("valid_from", "生效日期", "valid_from", "留空为今日（北京时间）"),
)
"""The columns of an item list (headers in Chinese or English)."""

_YES_NO = {"是": "1", "否": "", "yes": "1", "no": "", "y": "1", "n": "", "1": "1", "0": ""}


def _names(zh: Mapping[str, str]) -> dict[str, str]:
    return {**{code: code for code in zh}, **{name: code for code, name in zh.items()}}


def _date(cell: Any) -> date:
    return datetime.fromisoformat(start_cell(cell)).date()


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "measures": lambda c: choice_cell(c, _names(MEASURE_NAMES_ZH), "measured quantity"),
    "usage": lambda c: choice_cell(c, _names(USAGE_NAMES_ZH), "usage"),
    "stage": lambda c: choice_cell(c, _names(STAGE_NAMES_ZH), "stage"),
    "value_kind": lambda c: choice_cell(c, _names(VALUE_KIND_NAMES_ZH), "value kind"),
    "period": lambda c: choice_cell(c, PERIOD_NAMES, "statistic period"),
    "manual": lambda c: bool(choice_cell(c, _YES_NO, "yes/no")),
    "renewable": lambda c: bool(choice_cell(c, _YES_NO, "yes/no")),
    "register_max": number_cell,
    "register_resolution": number_cell,
    "ct_ratio": number_cell,
    "pt_ratio": number_cell,
    "calibration_due": _date,
    "valid_from": _date,
}


def template_xlsx(enterprise: Mapping[str, Any]) -> bytes:
    """The item-list template: sheet 数据项 (header and one example row) and 说明."""
    example = {
        "name": "全厂电力消耗",
        "measures": "能源",
        "energy_kind": "电力",
        "usage": "消耗",
        "stage": "进出用能单位",
        "unit": "kWh",
        "period": "小时",
        "value_kind": "累计读数",
        "register_max": 99999999,
        "register_resolution": 0.01,
        "ct_ratio": 200,
        "pt_ratio": 100,
        "accuracy_class": "0.5S",
        "calibration_due": "2027-06-30",
    }
    notes = [
        ["单位 enterprise", f"{enterprise['name']}（{enterprise['credit_code']}）"],
        ["用法", "在“数据项”工作表逐行填写，每行一个数据项；示例行可改写或删除。"],
        ["结果", "逐行给出结果：新建、已存在（相同属性，未改动）或拒绝（带原因，该行不入库）。"],
        [],
        ["列 column", "English", "必填 required", "说明"],
        *([c.zh, c.en, "是" if c.required else "否", c.note_zh] for c in ITEM_COLUMNS),
    ]
    return write_xlsx(
        [
            (
                "数据项",
                [c.header for c in ITEM_COLUMNS],
                [[example.get(c.key) for c in ITEM_COLUMNS]],
            ),
            ("说明", ["项目", "内容"], notes),
        ]
    )


def _file_rows(data: bytes, filename: str, limits: FileLimits) -> Iterator[tuple[int, list[Any]]]:
    if detect_format(data, filename) == "csv":
        yield from csv_rows(data)
        return
    try:
        yield from workbook_rows(
            data, max_unzipped_bytes=limits.max_unzipped_bytes, sheet_names=SHEET_NAMES
        )
    except WorkbookError as exc:
        raise reject(1, None, ReasonCode.UNREADABLE_FILE, str(exc)) from None


def _row_values(
    number: int, cells: list[Any], header: dict[int, tuple[Column, str]]
) -> dict[str, Any] | list[RowError]:
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for position, cell in enumerate(cells):
        if position not in header or is_blank(cell):
            continue
        column, text = header[position]
        try:
            parse: Callable[[Any], Any] = _PARSERS.get(column.key, text_cell)
            values[column.key] = parse(cell)
        except CellError as exc:
            errors.append(RowError(number, text, exc.code, exc.message))
    return errors or values


def _same(existing: Mapping[str, Any], clean: Mapping[str, Any]) -> bool:
    return existing["name"] == clean.get("name") and all(
        existing[k] == clean.get(k, existing[k]) for k in INTERPRETING
    )


def import_items(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    data: bytes,
    filename: str,
    *,
    actor: str,
    remote: str | None = None,
    limits: FileLimits | None = None,
) -> ImportResult:
    """Create the items of an item list, row by row, on `conn` (the caller commits).

    Raises `FileRejected` for a file that cannot be read, and the store's `NotFoundError`
    when the enterprise lies outside `scope`.
    """
    limits = limits or FileLimits()
    if len(data) > limits.max_bytes:
        raise reject(
            1, None, ReasonCode.FILE_TOO_LARGE, f"the file exceeds {limits.max_bytes} bytes"
        )
    if not data.strip():
        raise reject(1, None, ReasonCode.EMPTY_FILE, "the file is empty")
    items.enterprise_in_scope(conn, scope, enterprise_id)
    header: dict[int, tuple[Column, str]] | None = None
    headers: dict[str, str] = {}
    results: list[RowResult] = []
    data_rows = 0
    for number, cells in _file_rows(data, filename, limits):
        if all(is_blank(cell) for cell in cells):
            continue
        if header is None:
            header = read_header(number, cells, ITEM_COLUMNS)
            headers = {column.key: text for column, text in header.values()}
            continue
        data_rows += 1
        if data_rows > limits.max_rows:
            raise reject(number, None, ReasonCode.TOO_MANY_ROWS, "too many rows; split the file")
        results += _import_row(
            conn, scope, enterprise_id, number, cells, header, headers, actor, remote
        )
    if header is None:
        raise reject(1, None, ReasonCode.EMPTY_FILE, "the file has no header row")
    file_format = detect_format(data, filename)
    return ImportResult(filename, file_format, data_rows, tuple(results))


def _import_row(
    conn: Connection,
    scope: Scope,
    enterprise_id: int,
    number: int,
    cells: list[Any],
    header: dict[int, tuple[Column, str]],
    headers: dict[str, str],
    actor: str,
    remote: str | None,
) -> list[RowResult]:
    values = _row_values(number, cells, header)
    if isinstance(values, list):
        return [
            RowResult(e.row, RecordStatus.REJECTED, column=e.column, code=e.code, message=e.message)
            for e in values
        ]
    valid_from = values.pop("valid_from", None)
    try:
        existing = _registered_twin(conn, enterprise_id, values)
        if existing is not None:
            return [
                RowResult(
                    number, RecordStatus.DUPLICATE, item=existing["code"], period=existing["period"]
                )
            ]
        row = items.create(
            conn, scope, enterprise_id, values, actor=actor, valid_from=valid_from, remote=remote
        )
    except StoreError as exc:
        field = (exc.details or {}).get("field") if isinstance(exc.details, dict) else None
        return [
            RowResult(
                number,
                RecordStatus.REJECTED,
                item=values.get("code"),
                column=headers.get(field, field) if field else None,
                code=exc.code,
                message=exc.message,
            )
        ]
    return [RowResult(number, RecordStatus.ACCEPTED, item=row["code"], period=row["period"])]


def _registered_twin(
    conn: Connection, enterprise_id: int, values: Mapping[str, Any]
) -> dict[str, Any] | None:
    """An item of the enterprise with this row's code (or, without one, its code's family)
    and the same name and interpreting attributes."""
    try:
        clean = check_item({**dict.fromkeys(INTERPRETING), **values})
    except StoreError:
        return None  # create() reports the problem
    code = values.get("code")
    base = code_base(clean)
    for item in items.enterprise_items(conn, enterprise_id):
        family = (
            item["code"] == code if code else item["code"].split(".")[:2] == base.split(".")[:2]
        )
        if family and item["active"] and _same(item, clean):
            return item
    return None
