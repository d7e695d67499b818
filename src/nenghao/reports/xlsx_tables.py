"""A titled table on one worksheet: the layout several workbooks share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

_BOLD = Font(bold=True)
_HEAD = PatternFill("solid", fgColor="DDEBF7")


def titled_table(
    sheet: Worksheet,
    title: str,
    headers: list[str],
    rows: list[list[Any]],
    number_format: str,
    widths: Mapping[str, float],
    width: float = 20,
) -> None:
    """Title in A1, bold headers in row 2, the rows with ``number_format`` on their floats;
    column widths by letter (``width`` for the others); panes frozen below the headers."""
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font, cell.fill = _BOLD, _HEAD
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, float):
                cell.number_format = number_format
    for index in range(len(headers)):
        letter = chr(ord("A") + index)
        sheet.column_dimensions[letter].width = widths.get(letter, width)
    sheet.freeze_panes = "B3"
