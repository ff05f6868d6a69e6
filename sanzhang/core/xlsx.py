"""Excel downloads: Chinese headers, typed cells (numbers stay numbers, dates stay dates), set
column widths, a frozen header row. Every list and report exports through this."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {
    "int": "0",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "text": "@",
}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 12
    kind: str = "text"  # int, percent, date, datetime or text


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]] = field(default_factory=list)


def _cell(value: Any) -> Any:
    # Excel knows no time zones: write local wall-clock time.
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.make_naive(timezone.localtime(value))
    if value is None:
        return None
    if isinstance(value, int | float | datetime.date | datetime.datetime | bool):
        return value
    return safe_text(str(value))


def safe_text(text: str) -> str:
    """Text typed by people must never become a formula in the reader's Excel (CSV too)."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def workbook(sheets: Sequence[Sheet]) -> bytes:
    book = Workbook()
    first = book.active
    assert first is not None  # nosec B101 # for mypy: a new Workbook always has its first sheet
    book.remove(first)
    for spec in sheets:
        sheet = book.create_sheet(spec.title[:31])
        sheet.append([column.header for column in spec.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in spec.rows:
            sheet.append([_cell(value) for value in row])
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = column.width
            if column.kind != "text":
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = FORMATS[column.kind]
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def long_workbook(spec: Sheet) -> bytes:
    """One long sheet of text (a register of a whole county) in openpyxl's write-only mode:
    rows go straight to the file instead of being held as cell objects."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(spec.title[:31])
    for index, column in enumerate(spec.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    header = []
    for column in spec.columns:
        cell = WriteOnlyCell(sheet, column.header)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in spec.rows:
        sheet.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download(filename: str, content: bytes, content_type: str = XLSX_TYPE) -> HttpResponse:
    """A file download whose Chinese file name survives every browser (RFC 6266 filename*)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    # Exports hold people's and the county's data: no copy kept by browsers or proxies.
    response["Cache-Control"] = "no-store"
    return response


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    return download(filename, workbook(sheets))
