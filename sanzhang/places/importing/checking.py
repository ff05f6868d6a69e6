"""Checking import rows against each other and against the tree; every problem is collected."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from sanzhang.places.models import CHILD_KINDS, Place, PlaceCodeAlias, PlaceKind
from sanzhang.places.tree import depth_of, is_valid_code, normalise_code, parent_code_of

from .reading import COLUMNS, Problem

KIND_NAMES = {
    "省": PlaceKind.PROVINCE, "市": PlaceKind.CITY, "县": PlaceKind.COUNTY,
    "社区": PlaceKind.COMMUNITY, "大区": PlaceKind.DISTRICT, "片区": PlaceKind.AREA,
    "网格": PlaceKind.GRID, "楼栋": PlaceKind.BUILDING, "单元": PlaceKind.UNIT,
}  # fmt: skip
GEOMETRIES = {"Polygon", "MultiPolygon"}


@dataclass
class Row:
    line: int
    code: str
    parent_code: str
    kind: str
    name: str
    centre_lat: float | None = None
    centre_lng: float | None = None
    boundary: dict[str, Any] | None = None

    @property
    def is_rural_kind(self) -> bool:
        return self.kind == PlaceKind.DISTRICT


@dataclass(frozen=True)
class Known:
    """What the database already holds for the codes a file mentions (looked up in bulk)."""

    places: dict[str, Place]
    old_codes: set[str]


class RowChecker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, line: int, key: str, message: str) -> None:
        self.problems.append(Problem(line, COLUMNS[key][1] if key else "", message))

    def parse(self, line: int, values: dict[str, str]) -> Row | None:
        before = len(self.problems)
        code = normalise_code(values.get("code", ""))
        parent = normalise_code(values.get("parent_code", ""))
        name = values.get("name", "")
        kind = self._kind(line, values.get("kind", ""))
        if not code:
            self.add(line, "code", _("A code is required."))
        elif not is_valid_code(code):
            self.add(
                line, "code", _("A code is made of capital letters and digits joined by dots.")
            )
        elif parent and parent_code_of(code) != parent:
            self.add(line, "code", _("The code must be the parent's code plus one segment."))
        elif not parent and parent_code_of(code) is not None:
            self.add(line, "parent_code", _("The parent code is missing."))
        if not name:
            self.add(line, "name", _("A name is required."))
        elif len(name) > 100:
            self.add(line, "name", _("A name has at most 100 characters."))
        lat, lng = self._point(line, values)
        boundary = self._boundary(line, values.get("boundary", ""))
        if len(self.problems) > before:
            return None
        return Row(line, code, parent, kind, name, lat, lng, boundary)

    def _kind(self, line: int, text: str) -> str:
        kind = KIND_NAMES.get(text.strip(), text.strip().lower())
        if kind not in PlaceKind.values:
            self.add(line, "kind", _("Unknown kind %(kind)r.") % {"kind": text})
            return ""
        return kind

    def _point(self, line: int, values: dict[str, str]) -> tuple[float | None, float | None]:
        lat_text, lng_text = values.get("centre_lat", ""), values.get("centre_lng", "")
        if not lat_text and not lng_text:
            return None, None
        try:
            lat, lng = float(lat_text), float(lng_text)
        except ValueError:
            self.add(line, "centre_lat", _("Give both latitude and longitude as numbers."))
            return None, None
        if not (math.isfinite(lat) and -90 <= lat <= 90 and -180 <= lng <= 180):
            self.add(line, "centre_lat", _("Latitude or longitude is out of range."))
            return None, None
        return lat, lng

    def _boundary(self, line: int, text: str) -> dict[str, Any] | None:
        if not text:
            return None
        try:
            geometry = json.loads(text)
        except ValueError:
            geometry = None
        if not (
            isinstance(geometry, dict)
            and geometry.get("type") in GEOMETRIES
            and isinstance(geometry.get("coordinates"), list)
        ):
            self.add(line, "boundary", _("The boundary must be a GeoJSON Polygon or MultiPolygon."))
            return None
        return geometry


def load_known(rows: list[Row]) -> Known:
    codes = {row.code for row in rows} | {row.parent_code for row in rows if row.parent_code}
    places = {p.code: p for p in Place.objects.filter(code__in=codes)}
    old = set(PlaceCodeAlias.objects.filter(code__in=codes).values_list("code", flat=True))
    return Known(places, old)


def check_tree(rows: list[Row], known: Known, checker: RowChecker) -> None:
    """Duplicates, parents, kinds under parents, and clashes with the tree as it is."""
    in_file: dict[str, Row] = {}
    for row in rows:
        if row.code in in_file:
            message = _("The code repeats row %(row)d.") % {"row": in_file[row.code].line}
            checker.add(row.line, "code", message)
        else:
            in_file[row.code] = row
    for row in rows:
        _check_existing(row, known, checker)
        _check_parent(row, in_file, known, checker)


def _check_existing(row: Row, known: Known, checker: RowChecker) -> None:
    if row.code in known.old_codes:
        message = _("This code belonged to a place that has moved; codes are never reused.")
        checker.add(row.line, "code", message)
    existing = known.places.get(row.code)
    if existing is None:
        return
    if existing.kind != row.kind:
        message = _("The code is already used by a %(kind)s.") % {
            "kind": PlaceKind(existing.kind).label
        }
        checker.add(row.line, "kind", message)
    elif parent_code_of(existing.code) != (row.parent_code or None):
        checker.add(row.line, "parent_code", _("To move a place, use the console, not an import."))


def _parent_is_rural(code: str, in_file: dict[str, Row], known: Known) -> bool:
    """A place is rural if it or an ancestor is a district (大区)."""
    parts = code.split(".")
    for depth in range(len(parts), 0, -1):
        prefix = ".".join(parts[:depth])
        if prefix in known.places:
            return known.places[prefix].is_rural or known.places[prefix].kind == "district"
        if prefix in in_file and in_file[prefix].is_rural_kind:
            return True
    return False


def _check_parent(row: Row, in_file: dict[str, Row], known: Known, checker: RowChecker) -> None:
    if not row.parent_code:
        parent_kind = None
    elif row.parent_code in in_file:
        parent_kind = in_file[row.parent_code].kind
    elif row.parent_code in known.places:
        parent_kind = known.places[row.parent_code].kind
    else:
        message = _("No place has the parent code %(code)s.") % {"code": row.parent_code}
        checker.add(row.line, "parent_code", message)
        return
    allowed = CHILD_KINDS[parent_kind]
    if parent_kind == PlaceKind.GRID and _parent_is_rural(row.parent_code, in_file, known):
        allowed = set()
    if row.kind and row.kind not in allowed:
        message = _("A %(kind)s cannot be placed under %(parent)s.") % {
            "kind": PlaceKind(row.kind).label,
            "parent": PlaceKind(parent_kind).label if parent_kind else _("the top of the tree"),
        }
        checker.add(row.line, "kind", message)


def by_depth(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda row: (depth_of(row.code), row.line))
