"""The rows of an uploaded XLSX workbook, read safely.

An XLSX file is a zip of XML parts, read with openpyxl. Three things can go wrong with a
file from outside, and each becomes a `WorkbookError` with a message a person can act on:

* the zip is broken or truncated, or unpacks to more than the limit (a zip bomb);
* an XML part is not well-formed (a truncated or damaged part);
* an XML part declares a DTD with entities: external entities could read files, and nested
  ones ("billion laughs") expand to gigabytes. openpyxl parses with defusedxml when it is
  installed (``openpyxl.DEFUSEDXML``), which refuses entity declarations; `xml_defused`
  checks that this is really in force, and without it no workbook is read.

Parts are parsed lazily while the rows are iterated (``read_only``), so the whole iteration
is guarded, not only the opening.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import ParseError

_SHEET_READER = "openpyxl.worksheet._reader"
"""The openpyxl module that parses worksheet XML (with the ``iterparse`` it imported)."""


class WorkbookError(ValueError):
    """An uploaded workbook that is not read; the message says why and what to do."""


class WorkbookTooLargeError(WorkbookError):
    """The workbook unpacks to more bytes than allowed."""


class WorkbookUnavailableError(WorkbookError):
    """XLSX files cannot be read safely on this server (defusedxml is not in force)."""


def xml_defused() -> bool:
    """Whether openpyxl parses workbook XML with defusedxml: its ``DEFUSEDXML`` flag is set
    and its worksheet reader's parser is defusedxml's."""
    import importlib

    import openpyxl

    reader = importlib.import_module(_SHEET_READER)
    parser_module = getattr(reader.iterparse, "__module__", "")
    return openpyxl.DEFUSEDXML is True and parser_module.startswith("defusedxml")


def _check_zip(data: bytes, max_unzipped_bytes: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise WorkbookError(f"not a valid XLSX file: {exc}") from None
    if unzipped > max_unzipped_bytes:
        raise WorkbookTooLargeError(
            f"the workbook unpacks to {unzipped} bytes; at most {max_unzipped_bytes}"
        )


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and the exceptions it was raised from or during."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _problem(exc: Exception) -> str:
    """What to tell the person who uploaded a workbook openpyxl failed on."""
    from defusedxml import DefusedXmlException

    for cause in _chain(exc):
        if isinstance(cause, DefusedXmlException):
            return (
                "the workbook declares XML entities (a DTD), which are refused for safety;"
                " open it in Excel or WPS and save it again as .xlsx, or export CSV"
            )
        if isinstance(cause, ParseError):
            return (
                f"the workbook is damaged: one of its parts is not well-formed XML ({cause});"
                " open it in Excel or WPS and save it again, or export CSV"
            )
        if isinstance(cause, zipfile.BadZipFile | zlib.error | EOFError):
            return (
                f"the workbook is damaged: its zip data is incomplete or corrupt ({cause});"
                " upload the complete file again"
            )
    return f"cannot open the workbook: {exc}"


def rows(
    data: bytes, *, max_unzipped_bytes: int, sheet_names: tuple[str, ...]
) -> Iterator[tuple[int, list[Any]]]:
    """(row number from 1, cell values) of each row of the first sheet named in
    `sheet_names` (case and surrounding space ignored), else of the first sheet.

    Raises
    ------
    WorkbookError
        A broken, damaged or unsafe workbook; `WorkbookTooLargeError` past `max_unzipped_bytes`;
        `WorkbookUnavailableError` when defusedxml is not in force.
    """
    if not xml_defused():
        raise WorkbookUnavailableError(
            "XLSX files cannot be read safely on this server (openpyxl is not using defusedxml;"
            " is OPENPYXL_DEFUSEDXML set to False?); send the data as CSV and tell the operator"
        )
    _check_zip(data, max_unzipped_bytes)
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            by_name = {name.strip().casefold(): name for name in book.sheetnames}
            name = next((by_name[n] for n in sheet_names if n in by_name), book.sheetnames[0])
            for number, cells in enumerate(book[name].iter_rows(values_only=True), start=1):
                yield number, list(cells)
        finally:
            book.close()
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise WorkbookError(_problem(exc)) from None
