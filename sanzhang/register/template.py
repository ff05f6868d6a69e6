"""The downloadable register templates: CSV with a BOM (so Excel reads the Chinese) and XLSX."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .importing.layout import REGISTER

HEADER = [chinese for _english, chinese in REGISTER.columns.values()]
# Two households to copy: a flat in town (two residents) and a farmhouse in a village grid.
UNIT, VILLAGE_GRID = "GC.C01.G01.B01.U1", "GC.D01.A01.G01"
EXAMPLES: list[list[object]] = [
    ["GC0001", UNIT, "101", "旴江社区1栋1单元101室", "王秀英", "", "", "户主", "独居老人"],
    ["GC0002", UNIT, "102", "旴江社区1栋1单元102室", "李建国", "", "", "户主", ""],
    ["GC0002", UNIT, "102", "", "李小红", "", "", "子女", "留守儿童"],
    ["GC0003", VILLAGE_GRID, "8号", "城东村上屋组8号", "陈大山", "", "", "户主", "低保；残疾"],
]
WIDTHS = (12, 24, 8, 28, 10, 22, 14, 10, 20)


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(EXAMPLES)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    """The residents sheet first (the only one read back), then a sheet of notes."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # nosec B101 # for mypy: a new Workbook always has a sheet
    sheet.title = "住户名册"
    sheet.append(HEADER)
    for row in EXAMPLES:
        sheet.append([None if cell == "" else cell for cell in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGHI", WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
        # ID and phone numbers are text: as numbers Excel would round an ID to 15 digits.
        for cell in sheet[letter][1:]:
            cell.number_format = "@"
    notes = book.create_sheet(_("Notes"))
    notes.column_dimensions["A"].width = 100
    for line in (
        _("Only the first sheet is imported. One resident per row; delete the example rows."),
        _("Residents of one household share its household number and place code."),
        _("The place is the code of a unit in town, or of a grid in the villages."),
        _("Type ID and phone numbers as text, so that Excel keeps every digit."),
        _("Special groups are separated by ；or 、 and must be on the county's list."),
        _("An empty cell keeps what the register holds; nothing is deleted by an import."),
    ):
        notes.append([line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
