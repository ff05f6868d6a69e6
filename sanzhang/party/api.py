"""The party organisation in the REST API: the committees, branches and groups the caller
sees (the same scope as the pages), with their secretaries and member counts."""

from typing import Literal

from django.db.models import Count, QuerySet
from ninja import Router, Schema
from ninja.pagination import paginate

from sanzhang.access.roles import Can, require
from sanzhang.access.scope import get_visible_or_404
from sanzhang.core.api_schemas import ErrorOut
from sanzhang.core.http import AuthedRequest
from sanzhang.places.tree import under_code

from . import services
from .models import PartyOrganisation

router = Router(tags=["party"])


class PartyOrganisationOut(Schema):
    id: int
    kind: str
    name: str
    parent_id: int | None
    place_code: str
    place_name: str
    work_unit: str
    ref: str
    member_count: int

    @staticmethod
    def resolve_place_code(obj: PartyOrganisation) -> str:
        return obj.place.code

    @staticmethod
    def resolve_place_name(obj: PartyOrganisation) -> str:
        return obj.place.name


class PartyOrganisationDetailOut(PartyOrganisationOut):
    secretary: str | None


Kind = Literal["committee", "working_committee", "branch", "group"]


def _counted(request: AuthedRequest) -> QuerySet[PartyOrganisation]:
    require(request.user, Can.VIEW_PARTY)
    return services.visible(request.user).annotate(member_count=Count("memberships"))


@router.get("/organisations", response={200: list[PartyOrganisationOut], 422: ErrorOut})
@paginate
def list_party_organisations(  # type: ignore[no-untyped-def]
    request: AuthedRequest, kind: Kind | None = None, under: str = ""
):
    """Committees, branches and groups in the caller's scope, by place code."""
    found = _counted(request)
    if kind:
        found = found.filter(kind=kind)
    if under:
        found = found.filter(place__code__under=under_code(under))
    return found.order_by("place__code", "kind", "id")


@router.get(
    "/organisations/{organisation_id}",
    response={200: PartyOrganisationDetailOut, 404: ErrorOut, 422: ErrorOut},
)
def get_party_organisation(request: AuthedRequest, organisation_id: int) -> PartyOrganisation:
    """One organisation the caller sees, with its branch secretary (404 outside their scope)."""
    found = get_visible_or_404(_counted(request), pk=organisation_id)
    tenure = services.secretary(found)
    found.secretary = tenure.person.name if tenure else None  # type: ignore[attr-defined]
    return found
