"""Reading an import file (CSV in UTF-8, or XLSX) into numbered rows keyed by column.

Every register import (places, households and residents) reads its file here, with its own
`Layout`: the columns it knows, by English key and the Chinese of its template.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _

MAX_ROWS = 600_000  # a province is about 500,000 places
MAX_COLUMNS = 50  # layouts have up to 12; more is a stray sheet, not a million cells to read
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Layout:
    """A file's columns: key -> accepted header names (English first, then the template's
    Chinese), the keys that must be there, and what a row is (for "a header but no …")."""

    columns: dict[str, tuple[str, str]]
    required: tuple[str, ...]
    no_rows: str | Promise


Cells = Iterable[tuple[int, list[str]]]  # (row number as Excel shows it, cells)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: row as Excel numbers it (0: the whole file), column, message."""

    row: int
    column: str
    message: str


class ImportRefused(Exception):
    """The file is refused whole; `problems` lists everything wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def refuse(row: int, message: str, column: str = "") -> ImportRefused:
    return ImportRefused([Problem(row, column, message)])


def unknown_type() -> ImportRefused:
    return refuse(0, _("Upload a CSV (UTF-8) or an XLSX file."))


@dataclass
class Table:
    """A file's header names by column key, and its non-empty rows as {column key: text}."""

    headers: dict[str, str]
    rows: list[tuple[int, dict[str, str]]]


def read_table(filename: str, data: bytes, layout: Layout) -> Table:
    """The non-empty rows of a CSV or XLSX, numbered as Excel numbers them (header: row 1).

    The type is decided by the content and must agree with the name's extension, so a
    workbook renamed .csv, or anything else renamed .xlsx, is refused before it is parsed.
    """
    suffix = filename.lower().rpartition(".")[2] if "." in filename else ""
    is_zip = data.startswith(ZIP_MAGIC)
    if suffix == "xlsx" and is_zip:
        table = _xlsx_rows(data)
    elif suffix in {"csv", "txt"} and not is_zip and b"\x00" not in data[:4096]:
        table = _csv_rows(data)
    else:
        raise unknown_type()
    rows = iter(_non_empty(table))
    header = next(rows, None)
    if header is None:
        raise refuse(1, _("The file is empty."))
    line, names = header
    positions = _header_positions(line, names, layout)
    keyed: list[tuple[int, dict[str, str]]] = []
    for number, cells in rows:
        if len(keyed) >= MAX_ROWS:
            raise refuse(number, _("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
        keyed.append((number, {k: _cell(cells, i) for k, i in positions.items()}))
    if not keyed:
        raise refuse(2, str(layout.no_rows))
    return Table({key: names[i].strip() for key, i in positions.items()}, keyed)


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _non_empty(table: Cells) -> Iterator[tuple[int, list[str]]]:
    return ((number, cells) for number, cells in table if any(c.strip() for c in cells))


def _csv_rows(data: bytes) -> list[tuple[int, list[str]]]:
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = _(
            "This line is not UTF-8 text (the file may be saved as GBK). Save it from Excel as "
            '"CSV UTF-8", or upload the XLSX file.'
        )
        raise refuse(line, message) from error
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        # Excel numbers records, not physical lines: a cell with a line break stays one row.
        for number, cells in enumerate(reader, start=1):
            rows.append((number, cells))
    except csv.Error as error:
        message = _("This row cannot be read: a cell is too long or a quote is not closed.")
        raise refuse(len(rows) + 1, message) from error
    return rows


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        cells = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        rows = [
            (number, ["" if value is None else _text(value) for value in row])
            for number, row in zip(range(1, MAX_ROWS + 3), cells, strict=False)
        ]
        book.close()
    except Exception as error:  # any failure to parse means it is not a workbook we can read
        raise unknown_type() from error
    return rows


def _text(value: object) -> str:
    # Excel stores 12 as 12.0 when a column is numeric; a code or name cell wants "12".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _header_positions(line: int, header: list[str], layout: Layout) -> dict[str, int]:
    names = [cell.strip().lower() for cell in header]
    positions = {
        key: names.index(name)
        for key, accepted in layout.columns.items()
        for name in accepted
        if name in names
    }
    missing = [layout.columns[key][1] for key in layout.required if key not in positions]
    if missing:
        message = _("Missing columns: %(columns)s.") % {"columns": "、".join(missing)}
        raise refuse(line, message)
    return positions


class Problems:
    """Collects every problem of a file (the user fixes them all in one go), naming columns
    as the file's own header names them, English or Chinese."""

    def __init__(self, layout: Layout, headers: dict[str, str]) -> None:
        self.layout = layout
        self.headers = headers
        self.items: list[tuple[int, str, str]] = []

    def add(self, line: int, key: str, message: str) -> None:
        self.items.append((line, key, message))

    def sorted(self) -> list[Problem]:
        order = {key: i for i, key in enumerate(self.layout.columns)}
        items = sorted(self.items, key=lambda item: (item[0], order.get(item[1], -1)))
        return [Problem(line, self._header(key), message) for line, key, message in items]

    def _header(self, key: str) -> str:
        if not key:
            return ""
        return self.headers.get(key) or self.layout.columns[key][1]
