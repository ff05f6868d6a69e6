"""Reading an import file (CSV in UTF-8, or XLSX) into numbered rows keyed by column."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Column key -> accepted header names (English key first, then the Chinese used in the template).
COLUMNS = {
    "code": ("code", "编码"),
    "parent_code": ("parent_code", "上级编码"),
    "kind": ("kind", "类型"),
    "name": ("name", "名称"),
    "centre_lat": ("centre_lat", "中心纬度"),
    "centre_lng": ("centre_lng", "中心经度"),
    "boundary": ("boundary_geojson", "边界"),
}
REQUIRED = ("code", "parent_code", "kind", "name")
MAX_ROWS = 600_000
UNKNOWN_TYPE = gettext_lazy("Upload a CSV (UTF-8) or an XLSX file.")


@dataclass(frozen=True)
class Problem:
    row: int  # as Excel shows it: the header is row 1
    column: str
    message: str


class ImportRefused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def read_table(filename: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column key: text}) for every non-empty data row of a CSV or XLSX."""
    is_zip = data[:4] == b"PK\x03\x04"
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix == "xlsx" and is_zip:
        table = _xlsx_rows(data)
    elif suffix in {"csv", "txt"} and not is_zip:
        table = _csv_rows(data)
    else:
        raise ImportRefused([Problem(0, "", str(UNKNOWN_TYPE))])
    if not table:
        raise ImportRefused([Problem(1, "", _("The file is empty."))])
    return _keyed(table)


def _csv_rows(data: bytes) -> list[list[str]]:
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = _(
            "This line is not UTF-8 text (the file may be saved as GBK). Save it from Excel as "
            '"CSV UTF-8", or upload the XLSX file.'
        )
        raise ImportRefused([Problem(line, "", message)]) from error
    return [row for row in csv.reader(io.StringIO(text, newline=""))]


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportRefused([Problem(0, "", str(UNKNOWN_TYPE))]) from error
    sheet = book.worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def _keyed(table: list[list[str]]) -> list[tuple[int, dict[str, str]]]:
    header = [cell.strip().lower() for cell in table[0]]
    positions: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for i, cell in enumerate(header):
            if cell in names:
                positions[key] = i
    missing = [COLUMNS[key][1] for key in REQUIRED if key not in positions]
    if missing:
        message = _("Missing columns: %(columns)s.") % {"columns": "、".join(missing)}
        raise ImportRefused([Problem(1, "", message)])
    if len(table) - 1 > MAX_ROWS:
        raise ImportRefused([Problem(0, "", _("The file has too many rows."))])
    keyed = []
    for number, cells in enumerate(table[1:], start=2):
        values = {k: (cells[i].strip() if i < len(cells) else "") for k, i in positions.items()}
        if any(values.values()):
            keyed.append((number, values))
    return keyed
