"""Downloadable import files: templates for an enterprise and row-by-row reports.

A template lists the enterprise's registered data items, one pre-filled row each (code,
name, period, the start of the last complete period, unit) with the value left for the
person to fill in. The XLSX template adds a sheet of the items and a 说明 (instructions)
sheet with the columns, the allowed values and an example row. Reports list every row of
an import with its status, code and message. CSV is written as UTF-8 with a byte-order mark
so that spreadsheet programs show the Chinese text correctly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from nenghao.ingest.files.layout import COLUMNS, PERIOD_NAMES, QUALITY_NAMES
from nenghao.standards.calendar import CST, PeriodName, add_periods, period_start
from nenghao.store.schema import data_items

Table = tuple[str, Sequence[str], Iterable[Sequence[Any]]]
"""A sheet: name, header, rows."""

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KIND_ZH = {"interval": "区间值（填数值）", "register": "累计值（填累计读数）"}


def template_items(conn: Connection, enterprise_id: int) -> list[dict[str, Any]]:
    """The enterprise's active data items (code, name, unit, period, value_kind, manual)."""
    rows = conn.execute(
        select(
            data_items.c.code,
            data_items.c.name,
            data_items.c.unit,
            data_items.c.period,
            data_items.c.value_kind,
            data_items.c.manual,
        )
        .where(data_items.c.enterprise_id == enterprise_id, data_items.c.active.is_(True))
        .order_by(data_items.c.code)
    )
    return [dict(row._mapping) for row in rows]


def last_complete_start(period: PeriodName, now: datetime) -> datetime:
    """The CST start of the latest `period` that has ended by `now`."""
    current = period_start(period, int(now.timestamp()))
    return datetime.fromtimestamp(add_periods(period, current, -1), CST)


def _shown_start(start: datetime) -> str:
    return start.strftime("%Y-%m-%d %H:%M")


def _template_rows(items: Iterable[Mapping[str, Any]], now: datetime) -> list[list[Any]]:
    values: dict[str, Callable[[Mapping[str, Any]], Any]] = {
        "item": lambda i: i["code"],
        "name": lambda i: i["name"],
        "period": lambda i: i["period"],
        "start": lambda i: _shown_start(last_complete_start(i["period"], now)),
        "unit": lambda i: i["unit"],
    }
    return [[values[c.key](item) if c.key in values else None for c in COLUMNS] for item in items]


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV file (UTF-8 with BOM, CRLF line ends); None is an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(sheets: Iterable[Table]) -> bytes:
    """A workbook with one sheet per table, header in bold, columns sized to their text."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, header, rows in sheets:
        sheet = book.create_sheet(name)
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [len(str(h)) for h in header]
        for row in rows:
            sheet.append(list(row))
            widths = [max(w, len(str(c or ""))) for w, c in zip(widths, row, strict=False)]
        for index, width in enumerate(widths, start=1):
            letter = openpyxl.utils.get_column_letter(index)
            sheet.column_dimensions[letter].width = min(60, 4 + width * 1.6)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _instructions(enterprise: Mapping[str, Any], now: datetime) -> list[list[Any]]:
    periods = " / ".join(dict.fromkeys(PERIOD_NAMES))
    qualities = " / ".join(dict.fromkeys(QUALITY_NAMES))
    example = [
        "E-01",
        "全厂用电量",
        "month",
        _shown_start(last_complete_start("month", now)),
        "1520.5",
        "万kWh",
        "",
        "",
    ]
    rows: list[list[Any]] = [
        ["单位 enterprise", f"{enterprise['name']}（{enterprise['credit_code']}）"],
        [
            "用法",
            "在“数据”工作表逐行填写，每行一条记录；预填了每个已登记数据项最近一个完整周期的起点。",
        ],
        ["usage", "Fill the 数据 sheet, one record per row; each registered item is pre-filled."],
        ["时间", "周期开始为北京时间（UTC+8），须是统计周期的起点，如月数据 2026-10-01 00:00。"],
        ["time", "start is China Standard Time and must be a period start (month: the 1st 00:00)."],
        ["统计周期 period", periods],
        ["质量 quality", qualities],
        [
            "结果",
            "导入后逐行给出结果：接收、重复、修订或拒绝（带原因）；同一数据重复导入不会重复入库。",
        ],
        ["result", "Each row is accepted, duplicate, revised or rejected with its reason."],
        [],
        ["列 column", "English", "必填 required", "说明", "note"],
    ]
    rows += [[c.zh, c.en, "是" if c.required else "否", c.note_zh, c.note_en] for c in COLUMNS]
    rows += [[], ["示例 example"], [c.header for c in COLUMNS], example]
    return rows


def template_csv(items: Iterable[Mapping[str, Any]], now: datetime) -> bytes:
    """The CSV template: header and one pre-filled row per registered item."""
    return write_csv([c.header for c in COLUMNS], _template_rows(items, now))


def template_xlsx(
    enterprise: Mapping[str, Any], items: Sequence[Mapping[str, Any]], now: datetime
) -> bytes:
    """The XLSX template: sheets 数据 (to fill), 数据项 (registered items), 说明."""
    listing = [
        [i["code"], i["name"], i["unit"], i["period"], KIND_ZH.get(i["value_kind"], "")]
        for i in items
    ]
    return write_xlsx(
        [
            ("数据", [c.header for c in COLUMNS], _template_rows(items, now)),
            (
                "数据项",
                ["编码 code", "名称 name", "单位 unit", "周期 period", "类型 kind"],
                listing,
            ),
            ("说明", ["项目", "内容"], _instructions(enterprise, now)),
        ]
    )


REPORT_HEADER = (
    "行号 row",
    "状态 status",
    "数据项编码 item",
    "统计周期 period",
    "周期开始 start",
    "版本 revision",
    "列 column",
    "代码 code",
    "说明 message",
)


def report_rows(results: Iterable[Mapping[str, Any]]) -> list[list[Any]]:
    """Report lines from row results (the `RowResult.as_dict` form), in order."""
    return [
        [
            r["row"],
            r["status"],
            r.get("item"),
            r.get("period"),
            r.get("start"),
            r.get("revision"),
            r.get("column"),
            r.get("code"),
            r.get("message"),
        ]
        for r in results
    ]


def report_file(results: Iterable[Mapping[str, Any]], file_format: str) -> bytes:
    """The row-by-row report as ``csv`` or ``xlsx``."""
    rows = report_rows(results)
    if file_format == "csv":
        return write_csv(REPORT_HEADER, rows)
    return write_xlsx([("导入结果", REPORT_HEADER, rows)])
