"""PDF documents (monthly reports, notices) with Chinese text: reportlab's built-in Adobe CID
font STSong-Light (no font file; text extraction works), CJK line breaking, simple tables."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape  # nosec B406 # escape() quotes text for reportlab's markup; nothing is parsed

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
BODY = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK")
TITLE = ParagraphStyle("title", parent=BODY, fontSize=18, leading=26, alignment=1)
HEADING = ParagraphStyle("heading", parent=BODY, fontSize=13, leading=20, spaceBefore=8)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=9, leading=12)


class Document:
    """Build a document block by block, then `render()` it to bytes."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.flow: list[Any] = [Paragraph(escape(title), TITLE), Spacer(1, 4 * mm)]

    def heading(self, text: str) -> None:
        self.flow.append(Paragraph(escape(text), HEADING))

    def paragraph(self, text: str) -> None:
        for line in text.splitlines() or [""]:
            self.flow.append(Paragraph(escape(line) or "&nbsp;", BODY))

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        def cell(value: Any) -> Paragraph:
            return Paragraph(escape("" if value is None else str(value)), CELL)

        data = [[cell(h) for h in header]] + [[cell(v) for v in row] for row in rows]
        table = Table(data, repeatRows=1, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        self.flow.extend([table, Spacer(1, 3 * mm)])

    def render(self) -> bytes:
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            title=self.title,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=18 * mm,
            bottomMargin=18 * mm,
        )
        doc.build(self.flow)
        return buffer.getvalue()
