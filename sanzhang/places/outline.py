"""Grids drawn as an SVG map from their own GeoJSON boundaries: no tile server, no map library
(a county may have no internet, and a cheap phone pays for every kilobyte)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .geo import polygons
from .models import Place

WIDTH = 1000  # the SVG's own units; the page scales it to the screen


@dataclass(frozen=True)
class Shape:
    place: Place
    path: str  # the SVG path's `d`
    label_x: int
    label_y: int


@dataclass(frozen=True)
class Outline:
    width: int
    height: int
    shapes: list[Shape]


def outline(places: Iterable[Place]) -> Outline:
    """The places' boundaries projected onto one SVG canvas, north up.

    Equirectangular, with longitude shrunk by the cosine of the middle latitude so that a
    square grid stays square; over a township's few kilometres nothing better is needed.
    """
    drawn = [(place, polygons(place.boundary or {})) for place in places]
    points = [pt for _, rings in drawn for polygon in rings for ring in polygon for pt in ring]
    if not points:
        return Outline(0, 0, [])
    lngs, lats = [p[0] for p in points], [p[1] for p in points]
    west, east, south, north = min(lngs), max(lngs), min(lats), max(lats)
    shrink = math.cos(math.radians((north + south) / 2))
    span_x, span_y = max((east - west) * shrink, 1e-9), max(north - south, 1e-9)
    scale = (WIDTH - 20) / max(span_x, span_y)
    width, height = round(span_x * scale) + 20, round(span_y * scale) + 20

    def xy(point: list[float]) -> tuple[int, int]:
        return round(10 + (point[0] - west) * shrink * scale), round(
            10 + (north - point[1]) * scale
        )

    shapes = []
    for place, rings in drawn:
        if not rings:
            continue
        d = []
        for polygon in rings:
            for ring in polygon:
                projected = [xy(point) for point in ring]
                d.append("M" + "L".join(f"{x} {y}" for x, y in projected) + "Z")
        outer = [xy(point) for point in rings[0][0][:-1]] or [xy(rings[0][0][0])]
        cx = sum(x for x, _ in outer) // len(outer)
        cy = sum(y for _, y in outer) // len(outer)
        shapes.append(Shape(place, "".join(d), cx, cy))
    return Outline(width, height, shapes)
