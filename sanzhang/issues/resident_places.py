"""Where a resident's problem is, when it is not at home: places of their own county found by
name (a resident never types a code), each shown with the places above it. The leaders' work
list finds the place it filters by in the same way, among the places the leader may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from sanzhang.core.errors import Invalid
from sanzhang.places.geo import contains
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import normalise_code

FOUND_LIMIT = 8
ABOVE_COUNTY = {PlaceKind.PROVINCE, PlaceKind.CITY, PlaceKind.COUNTY}


def county_of(place: Place) -> Place | None:
    """The county over a place (itself, if it is one)."""
    for candidate in [place, *reversed(place.ancestors())]:
        if candidate.kind == PlaceKind.COUNTY:
            return candidate
    return None


def places_near(home: Place | None) -> QuerySet[Place]:
    """The places a resident may report at: those of their county (none without a home)."""
    county = county_of(home) if home is not None else None
    if county is None:
        return Place.objects.none()
    return Place.objects.active().filter(code__under=county.code)


def find_places(home: Place | None, query: str) -> list[tuple[Place, str]]:
    """Places of the resident's county whose name holds `query`, with their path of names."""
    return by_name(places_near(home), query)


def by_name(places: QuerySet[Place], query: str) -> list[tuple[Place, str]]:
    """Those of `places` whose name holds `query`, highest first, each with its path of names."""
    query = query.strip()[:30]
    if not query:
        return []
    matching = places.filter(name__contains=query).order_by("depth", "code")
    return [(place, path_of(place)) for place in matching[:FOUND_LIMIT]]


def path_of(place: Place) -> str:
    """The names above a place within its county ("莲花社区 › 第一网格 › 1栋")."""
    above = [a.name for a in place.ancestors() if a.kind not in ABOVE_COUNTY]
    return " › ".join(above)


def chosen_place(home: Place | None, code: str) -> Place:
    """The place the resident chose (home, when they chose none); one of their county only."""
    if not code:
        if home is None:
            raise Invalid(_("Choose where the problem is."))
        return home
    place = places_near(home).filter(code=normalise_code(code)).first()
    if place is None:
        raise Invalid(_("Choose the place from the list."))
    return place


# The map: the grids of one community (town) or area (片区, villages) at a time: a county has
# thousands of grids, a township a couple of hundred, too small to tap on a phone.
REGION_KINDS = (PlaceKind.COMMUNITY, PlaceKind.AREA)


def map_regions(home: Place | None) -> QuerySet[Place]:
    """The communities and areas of the resident's county, to choose the map's region."""
    regions = places_near(home).filter(kind__in=REGION_KINDS).select_related("parent")
    return regions.order_by("kind", "code")


def map_region(home: Place | None, code: str) -> Place | None:
    """The region the map shows: the one asked for, else the one the resident lives in."""
    regions = map_regions(home)
    if code:
        return regions.filter(code=normalise_code(code)).first()
    if home is None:
        return None
    around = [home, *home.ancestors()]
    return next((p for p in around if p.kind in REGION_KINDS), None)


def mapped_grids(region: Place) -> QuerySet[Place]:
    return Place.objects.active().filter(
        code__under=region.code, kind=PlaceKind.GRID, boundary__isnull=False
    )


def grid_located(home: Place | None, lat: float, lng: float) -> Place | None:
    """The grid of the resident's county that the phone's location lies in, if any."""
    grids = places_near(home).filter(kind=PlaceKind.GRID, boundary__isnull=False)
    for grid in grids.only("pk", "code", "name", "kind", "boundary", "parent_id", "depth"):
        if grid.boundary and contains(grid.boundary, lat, lng):
            return grid
    return None


def grid_of(home: Place | None) -> str:
    """The code of the grid the resident lives in ("" without one), to mark it on the map."""
    if home is None:
        return ""
    return next((p.code for p in [home, *home.ancestors()] if p.kind == PlaceKind.GRID), "")
