"""Checking import rows one by one: required values, code format, kind, coordinates, boundary."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from sanzhang.places.models import PlaceKind
from sanzhang.places.tree import is_valid_code, normalise_code, parent_code_of

from .reading import COLUMNS, Problem

KIND_NAMES = {
    "省": PlaceKind.PROVINCE,
    "市": PlaceKind.CITY,
    "县": PlaceKind.COUNTY,
    "社区": PlaceKind.COMMUNITY,
    "大区": PlaceKind.DISTRICT,
    "片区": PlaceKind.AREA,
    "网格": PlaceKind.GRID,
    "楼栋": PlaceKind.BUILDING,
    "单元": PlaceKind.UNIT,
}
KINDS = frozenset(PlaceKind.values)  # PlaceKind.values builds a new list on every call
GEOMETRIES = {"Polygon", "MultiPolygon"}
MAX_CODE = 80  # Place.code's column
MAX_NAME = 100  # Place.name's column


@dataclass
class Row:
    """One place as the file gives it, after its own cells were checked."""

    line: int
    code: str
    parent_code: str
    kind: str
    name: str
    centre_lat: float | None = None
    centre_lng: float | None = None
    boundary: dict[str, Any] | None = None


class Problems:
    """Collects every problem of a file (the user fixes them all in one go).

    Columns are named as the file's own header names them, English or Chinese.
    """

    def __init__(self, headers: dict[str, str] | None = None) -> None:
        self.headers = headers or {}
        self.items: list[tuple[int, str, str]] = []

    def add(self, line: int, key: str, message: str) -> None:
        self.items.append((line, key, message))

    def sorted(self) -> list[Problem]:
        order = list(COLUMNS)
        items = sorted(self.items, key=lambda item: (item[0], order.index(item[1])))
        return [Problem(line, self._header(key), message) for line, key, message in items]

    def _header(self, key: str) -> str:
        return self.headers.get(key) or COLUMNS[key][1]


def parse_row(line: int, values: dict[str, str], problems: Problems) -> Row | None:
    """The row's own values, or None (with its problems added) if any cell is wrong."""
    before = len(problems.items)
    code = normalise_code(values.get("code", ""))
    parent = normalise_code(values.get("parent_code", ""))
    _check_code(line, code, parent, problems)
    kind = _kind(line, values.get("kind", ""), problems)
    name = _name(line, values.get("name", ""), problems)
    lat = _degrees(line, values, "centre_lat", 90, problems)
    lng = _degrees(line, values, "centre_lng", 180, problems)
    boundary = _boundary(line, values.get("boundary", ""), problems)
    if len(problems.items) > before:
        return None
    return Row(line, code, parent, kind, name, lat, lng, boundary)


def _check_code(line: int, code: str, parent: str, problems: Problems) -> None:
    if not code:
        problems.add(line, "code", _("A code is required."))
    elif len(code) > MAX_CODE or not is_valid_code(code):
        message = _("A code is made of capital letters and digits joined by dots.")
        if len(code) > MAX_CODE:
            message = _("A code has at most %(max)d characters.") % {"max": MAX_CODE}
        problems.add(line, "code", message)
    elif parent and parent_code_of(code) != parent:
        problems.add(line, "code", _("The code must be the parent's code plus one segment."))
    elif not parent and parent_code_of(code) is not None:
        problems.add(line, "parent_code", _("The parent code is missing."))


def _kind(line: int, text: str, problems: Problems) -> str:
    if not text:
        problems.add(line, "kind", _("A kind is required."))
        return ""
    kind = KIND_NAMES.get(text, text.lower())
    if kind not in KINDS:
        problems.add(line, "kind", _('Unknown kind "%(kind)s".') % {"kind": text})
        return ""
    return kind


def _name(line: int, name: str, problems: Problems) -> str:
    if not name:
        problems.add(line, "name", _("A name is required."))
    elif len(name) > MAX_NAME:
        problems.add(line, "name", _("A name has at most %(max)d characters.") % {"max": MAX_NAME})
    return name


def _degrees(
    line: int, values: dict[str, str], key: str, limit: int, problems: Problems
) -> float | None:
    """A latitude or longitude; one without the other is a problem on the missing one."""
    text = values.get(key, "")
    other = values.get("centre_lng" if key == "centre_lat" else "centre_lat", "")
    if not text:
        if other:
            problems.add(line, key, _("Give both latitude and longitude, or neither."))
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and -limit <= value <= limit):
        message = _("Give a number of degrees between -%(limit)d and %(limit)d.")
        problems.add(line, key, message % {"limit": limit})
        return None
    return value


def _boundary(line: int, text: str, problems: Problems) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        geometry = json.loads(text)
    except ValueError:
        geometry = None
    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")  # a GIS export often wraps the geometry
    if not (isinstance(geometry, dict) and geometry.get("type") in GEOMETRIES):
        problems.add(line, "boundary", _("The boundary must be a GeoJSON Polygon or MultiPolygon."))
        return None
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not (isinstance(polygons, list) and polygons and all(map(_is_polygon, polygons))):
        message = _(
            "Each boundary ring needs at least four [longitude, latitude] points, the last "
            "the same as the first."
        )
        problems.add(line, "boundary", message)
        return None
    return {"type": geometry["type"], "coordinates": coordinates}


def _is_polygon(rings: object) -> bool:
    return isinstance(rings, list) and bool(rings) and all(map(_is_ring, rings))


def _is_ring(ring: object) -> bool:
    return (
        isinstance(ring, list)
        and len(ring) >= 4
        and all(map(_is_position, ring))
        and ring[0] == ring[-1]
    )


def _is_position(point: object) -> bool:
    return (
        isinstance(point, list)
        and len(point) in (2, 3)
        and all(isinstance(v, int | float) and math.isfinite(v) for v in point)
        and -180 <= point[0] <= 180
        and -90 <= point[1] <= 90
    )
