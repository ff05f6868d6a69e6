"""The printable work card (工作证) of a post holder, as a PDF.

Chinese text uses reportlab's built-in Adobe CID font STSong-Light, which needs no font file
and keeps the PDF small; readers substitute a Song face and text extraction still works.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor, white
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from .models import Tenure

FONT = "STSong-Light"
CARD = (90 * mm, 130 * mm)
RED = HexColor("#b3261e")
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _qr(url: str, size: float) -> Drawing:
    widget = QrCodeWidget(url)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def render_work_card(tenure: Tenure, board_url: str) -> bytes:
    width, height = CARD
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=CARD)
    canvas.setTitle(f"{_('Work card')} {tenure.person.name}")
    canvas.setFillColor(RED)
    canvas.rect(0, height - 28 * mm, width, 28 * mm, stroke=0, fill=1)
    canvas.setFillColor(white)
    canvas.setFont(FONT, 16)
    canvas.drawCentredString(width / 2, height - 14 * mm, "三长联动 工作证")
    canvas.setFont(FONT, 9)
    canvas.drawCentredString(width / 2, height - 22 * mm, "广昌县城乡“三长”联动机制领导小组办公室")
    canvas.setFillColor(HexColor("#1f2328"))
    lines = [
        (_("Name"), tenure.person.name),
        (_("Post"), tenure.post.get_kind_display()),
        (_("Area"), tenure.post.place.name),
        (_("Code"), tenure.post.place.code),
        (_("Since"), tenure.started_on.isoformat()),
    ]
    y = height - 40 * mm
    for label, value in lines:
        canvas.setFont(FONT, 9)
        canvas.drawString(10 * mm, y, label)
        canvas.setFont(FONT, 13)
        canvas.drawString(28 * mm, y, str(value))
        y -= 10 * mm
    renderPDF.draw(_qr(board_url, 28 * mm), canvas, width - 38 * mm, 8 * mm)
    canvas.setFont(FONT, 7)
    canvas.drawString(10 * mm, 12 * mm, _("Scan for the noticeboard"))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
