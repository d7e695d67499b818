"""Hostile XLSX files built in the test: truncated, damaged, with XML entities, billion laughs."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import openpyxl

SHEET = "xl/worksheets/sheet1.xml"
WORKBOOK = "xl/workbook.xml"
ENTITY = b'<!DOCTYPE x [<!ENTITY item "E-01">]>'
EXTERNAL = b'<!DOCTYPE x [<!ENTITY item SYSTEM "file:///etc/hostname">]>'
LAUGHS = (
    b'<!DOCTYPE x [<!ENTITY l0 "lol">'
    + b"".join(b'<!ENTITY l%d "%s">' % (n, b"&l%d;" % (n - 1) * 10) for n in range(1, 10))
    + b"]>"
)
"""Nine levels of ten: one reference expands to 10^9 "lol"s."""


def workbook(item: str = "E-01") -> bytes:
    """A valid import workbook: the header and one monthly row of `item`."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append(["数据项编码", "统计周期", "周期开始", "数值", "单位"])
    sheet.append([item, "月", "2025-01-01", 12.5, "kWh"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite(data: bytes, part: str, change: Callable[[bytes], bytes], **zip_args) -> bytes:
    """`data` with the zip member `part` replaced by ``change(part)``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zip_args.get("compression", zipfile.ZIP_DEFLATED)) as target,
    ):
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info.filename, change(body) if info.filename == part else body)
    return out.getvalue()


def with_doctype(doctype: bytes, reference: bytes, part: str = SHEET) -> bytes:
    """A workbook whose `part` declares `doctype` and whose item cell is `reference`."""

    def change(body: bytes) -> bytes:
        body = body.split(b"?>", 1)[-1].lstrip()  # the XML declaration, if any, goes first
        return b'<?xml version="1.0"?>\n' + doctype + b"\n" + body.replace(b"E-01", reference)

    return rewrite(workbook(), part, change)


def corrupted() -> bytes:
    """A workbook whose sheet's stored bytes were damaged in transit (bad CRC)."""
    data = rewrite(workbook(), SHEET, lambda body: body, compression=zipfile.ZIP_STORED)
    at = data.index(b"<sheetData>") + 20
    return data[:at] + b"#" + data[at + 1 :]


HOSTILE = {
    "truncated": lambda: workbook()[: len(workbook()) // 2],
    "truncated_sheet_xml": lambda: rewrite(workbook(), SHEET, lambda body: body[: len(body) // 2]),
    "corrupted": corrupted,
    "entity_in_sheet": lambda: with_doctype(ENTITY, b"&item;"),
    "entity_in_workbook": lambda: with_doctype(ENTITY, b"&item;", WORKBOOK),
    "external_entity": lambda: with_doctype(EXTERNAL, b"&item;"),
    "billion_laughs": lambda: with_doctype(LAUGHS, b"&l9;"),
}
"""Name -> builder of each hostile workbook."""
