"""The page of the PDF documents: A4, an embedded Chinese font, headings, ruled tables, the
monthly bar chart and a page number in the footer."""

from __future__ import annotations

import io
from collections.abc import Collection
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

HEAD = colors.HexColor("#DDEBF7")
BAR = colors.HexColor("#2F75B5")
WIDTH = 170
"""The width of the text block [mm] (A4 less 20 mm margins)."""


class Styles:
    """Paragraph styles in the embedded font, and the ruled table."""

    def __init__(self, font: str) -> None:
        self.font = font
        self.title = ParagraphStyle("title", fontName=font, fontSize=18, leading=26, alignment=1)
        self.sub = ParagraphStyle("sub", fontName=font, fontSize=10, leading=15, alignment=1)
        self.h2 = ParagraphStyle(
            "h2", fontName=font, fontSize=12.5, leading=18, spaceBefore=9, spaceAfter=3
        )
        self.body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13.5)
        self.cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11.5)
        self.right = ParagraphStyle("right", parent=self.cell, alignment=2)
        self.small = ParagraphStyle("small", fontName=font, fontSize=7.5, leading=10.5)

    def table(
        self, rows: list[list[Any]], widths: list[float], numeric: Collection[int] = ()
    ) -> Table:
        """A ruled table with a shaded head row repeated on each page; the ``numeric``
        columns are right-aligned below the head. ``widths`` [mm]."""
        wrapped = [
            [
                cell
                if isinstance(cell, Paragraph)
                else Paragraph(str(cell), self.right if r and c in numeric else self.cell)
                for c, cell in enumerate(row)
            ]
            for r, row in enumerate(rows)
        ]
        table = Table(wrapped, colWidths=[w * mm for w in widths], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), HEAD),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ]
            )
        )
        return table


def monthly_chart(
    font: str, values: list[float], caption: str, labels: list[str] | None = None
) -> Drawing:
    """Bars of monthly values [tce] under ``caption``: twelve from January unless ``labels``
    name the months."""
    drawing = Drawing(WIDTH * mm, 66 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 24 * mm, 10 * mm
    chart.width, chart.height = 140 * mm, 42 * mm
    chart.data = [values]
    chart.categoryAxis.categoryNames = labels or [f"{month}月" for month in range(1, 13)]
    chart.categoryAxis.labels.fontName = font
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.valueMin = min(0.0, *values) if values else 0.0
    chart.valueAxis.labelTextFormat = lambda value: f"{value:,.0f}"  # axis marks: whole tce
    chart.bars[0].fillColor = BAR
    drawing.add(chart)
    drawing.add(
        String(WIDTH / 2 * mm, 61 * mm, caption, fontName=font, fontSize=9.5, textAnchor="middle")
    )
    return drawing


def build(story: list[Any], font: str, title: str, footer: str) -> bytes:
    """The story on A4 pages with ``footer`` and the page number at the foot; PDF bytes."""

    def foot(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(20 * mm, 10 * mm, footer)
        canvas.drawRightString(190 * mm, 10 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="能耗在线监测系统",
    )
    document.build(story, onFirstPage=foot, onLaterPages=foot)
    return buffer.getvalue()
