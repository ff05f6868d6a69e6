"""Places in the REST API: the same scope as the pages (404 outside it)."""

from ninja import Router, Schema
from ninja.pagination import paginate

from sanzhang.access.scope import visible_place
from sanzhang.core.api_schemas import ErrorOut
from sanzhang.core.http import AuthedRequest
from sanzhang.posts.coverage import coverage_by_level

from .models import Place

router = Router(tags=["places"])


class PlaceOut(Schema):
    code: str
    name: str
    kind: str
    parent_code: str | None
    depth: int
    is_rural: bool
    retired: bool
    centre_lat: float | None
    centre_lng: float | None

    @staticmethod
    def resolve_parent_code(obj: Place) -> str | None:
        return obj.code.rpartition(".")[0] or None

    @staticmethod
    def resolve_retired(obj: Place) -> bool:
        return obj.retired_at is not None


class LevelOut(Schema):
    kind: str
    total: int
    covered: int
    share: float


def _place(request: AuthedRequest, code: str) -> Place:
    return visible_place(request.user, code)


@router.get("/", response={200: list[PlaceOut], 422: ErrorOut})
@paginate
def list_places(request: AuthedRequest, q: str = "", kind: str = ""):  # type: ignore[no-untyped-def]
    """Places in the caller's scope, optionally by name fragment and kind."""
    places = Place.objects.visible_to(request.user).active()
    if q:
        places = places.filter(name__icontains=q)
    if kind:
        places = places.filter(kind=kind)
    return places


@router.get("/{code}", response={200: PlaceOut, 404: ErrorOut, 422: ErrorOut})
def get_place(request: AuthedRequest, code: str) -> Place:
    return _place(request, code)


@router.get("/{code}/children", response={200: list[PlaceOut], 404: ErrorOut, 422: ErrorOut})
@paginate
def list_children(request: AuthedRequest, code: str):  # type: ignore[no-untyped-def]
    return _place(request, code).children.active()


@router.get("/{code}/coverage", response={200: list[LevelOut], 404: ErrorOut, 422: ErrorOut})
def get_coverage(request: AuthedRequest, code: str):  # type: ignore[no-untyped-def]
    """Share of districts, areas, grids, buildings and units under the place with a holder."""
    return coverage_by_level(_place(request, code))
