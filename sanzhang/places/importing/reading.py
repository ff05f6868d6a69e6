"""The columns of a places file; the file itself is read by `core.tables`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sanzhang.core.tables import ImportRefused, Layout, Problem, Table, refuse
from sanzhang.core.tables import read_table as _read_table

__all__ = ["COLUMNS", "ImportRefused", "Problem", "Table", "read_table", "refuse"]

# Column key -> accepted header names (English first, then the Chinese used in the template).
COLUMNS = {
    "code": ("code", "编码"),
    "parent_code": ("parent_code", "上级编码"),
    "kind": ("kind", "类型"),
    "name": ("name", "名称"),
    "centre_lat": ("centre_lat", "中心纬度"),
    "centre_lng": ("centre_lng", "中心经度"),
    "boundary": ("boundary_geojson", "边界"),
}
PLACES = Layout(
    columns=COLUMNS,
    required=("code", "parent_code", "kind", "name"),
    no_rows=_("The file has a header but no places."),
)


def read_table(filename: str, data: bytes) -> Table:
    return _read_table(filename, data, PLACES)
