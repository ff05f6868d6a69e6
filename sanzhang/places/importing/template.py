"""The downloadable import templates: CSV with a BOM (so Excel reads the Chinese) and XLSX."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .checking import KIND_NAMES
from .reading import COLUMNS

HEADER = [chinese for _english, chinese in COLUMNS.values()]
# Two rows to copy: a county at the top (with its centre) and a community under it.
EXAMPLES: list[list[object]] = [
    ["GC", "", "县", "广昌县", 26.838, 116.325, ""],
    ["GC.C01", "GC", "社区", "旴江社区", "", "", ""],
]
WIDTHS = (24, 20, 8, 14, 10, 10, 30)


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(EXAMPLES)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    """The places sheet first (the only one read back), then a sheet of notes."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # nosec B101 # for mypy: a new Workbook always has a sheet
    sheet.title = "地点"
    sheet.append(HEADER)
    for row in EXAMPLES:
        sheet.append([None if cell == "" else cell for cell in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    _add_notes(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _add_notes(book: Workbook) -> None:
    notes = book.create_sheet(_("Notes"))
    notes.column_dimensions["A"].width = 100
    for line in (
        _("Only the first sheet is imported. One place per row; delete the example rows."),
        _("A code is the parent's code plus one segment of capital letters and digits."),
        _("Kinds: %(kinds)s.") % {"kinds": "、".join(KIND_NAMES)},
        _("Town: county > community > grid > building > unit."),
        _("Villages: county > district > area > grid (a village grid has no buildings)."),
        _("The boundary is a GeoJSON Polygon or MultiPolygon, as text."),
    ):
        notes.append([line])
