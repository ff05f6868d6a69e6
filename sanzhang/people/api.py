"""Residents in the REST API: scoped and always masked (the reveal is a page action)."""

from ninja import Router, Schema
from ninja.pagination import paginate

from sanzhang.access.scope import get_visible_or_404
from sanzhang.audit.services import record
from sanzhang.core.api_schemas import ErrorOut
from sanzhang.core.http import AuthedRequest

from .models import Person
from .services import find_people, masked, people_visible_to

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    birth_year: int | None
    place_code: str | None
    door: str | None
    phone: str
    id_number: str
    address: str

    # Resolvers run per row of the current page only, so only that page is decrypted.
    @staticmethod
    def resolve_place_code(obj: Person) -> str | None:
        return obj.household.place.code if obj.household is not None else None

    @staticmethod
    def resolve_door(obj: Person) -> str | None:
        return obj.household.door if obj.household is not None else None

    @staticmethod
    def resolve_phone(obj: Person) -> str:
        return masked(obj)["phone"]

    @staticmethod
    def resolve_id_number(obj: Person) -> str:
        return masked(obj)["id_number"]

    @staticmethod
    def resolve_address(obj: Person) -> str:
        return masked(obj)["address"]


# 404, not 403, for a role with no register at all (people_visible_to): as on the pages.
@router.get("/", response={200: list[PersonOut], 404: ErrorOut, 422: ErrorOut})
@paginate
def list_people(request: AuthedRequest, q: str = ""):  # type: ignore[no-untyped-def]
    """Residents in the caller's scope, by name or by full phone or ID number."""
    record("people.listed", request=request, detail={"api": True})
    return find_people(request.user, q)


@router.get("/{person_id}", response={200: PersonOut, 404: ErrorOut, 422: ErrorOut})
def get_person(request: AuthedRequest, person_id: int) -> Person:
    people = people_visible_to(request.user).select_related("household__place")
    person = get_visible_or_404(people, pk=person_id)
    record("person.viewed", request=request, obj=person, detail={"api": True})
    return person
