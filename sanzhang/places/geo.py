"""Which grid a map point lies in, from the grids' GeoJSON boundaries."""

from __future__ import annotations

from typing import Any

from .models import Place, PlaceKind


def polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    """Polygons as lists of rings ([lng, lat] pairs), for Polygon and MultiPolygon alike."""
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def _inside_ring(lng: float, lat: float, ring: list[list[float]]) -> bool:
    """Ray casting: a point is inside when a ray from it crosses the ring an odd number of times."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=False):
        if (y1 > lat) != (y2 > lat):
            crossing = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lng < crossing:
                inside = not inside
    return inside


def contains(geometry: dict[str, Any], lat: float, lng: float) -> bool:
    for polygon in polygons(geometry):
        outer, holes = polygon[0], polygon[1:]
        if _inside_ring(lng, lat, outer) and not any(_inside_ring(lng, lat, h) for h in holes):
            return True
    return False


def centre(geometry: dict[str, Any]) -> tuple[float, float] | None:
    """(lat, lng) of the middle of the first outer ring (its corners' mean, where the map puts
    the grid's label), or None for a place without a boundary."""
    found = polygons(geometry)
    if not found or not found[0] or not found[0][0]:
        return None
    ring = found[0][0]
    corners = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring
    lng = sum(point[0] for point in corners) / len(corners)
    lat = sum(point[1] for point in corners) / len(corners)
    return lat, lng


def grid_at(lat: float, lng: float) -> Place | None:
    """The active grid whose boundary contains the point, or None.

    Scans the grids that have a boundary (a county has a few thousand); a spatial index
    (PostGIS) would be the next step for a province.
    """
    grids = Place.objects.active().filter(kind=PlaceKind.GRID, boundary__isnull=False)
    for place in grids.only("pk", "code", "name", "kind", "boundary", "parent_id", "depth"):
        if place.boundary and contains(place.boundary, lat, lng):
            return place
    return None
