"""Reading residents' records: scoped, masked, and every view or reveal written to the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import scope_filter
from sanzhang.audit.services import record
from sanzhang.core.crypto import keyed_hash
from sanzhang.core.masking import mask_address, mask_id_number, mask_phone

from .models import Person

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor, Visitor

REVEALABLE = {"phone", "id_number", "address"}


def people_visible_to(user: Actor) -> QuerySet[Person]:
    """Residents living in the user's scope (through their household's place)."""
    if not can(user, Can.VIEW_PEOPLE):
        raise Http404
    return Person.objects.filter(scope_filter(user, "household__place__code"))


def find_people(user: Actor, query: str) -> QuerySet[Person]:
    """By name, or by full phone or ID number, matched on the keyed hash, never decrypted."""
    people = people_visible_to(user).select_related("household__place")
    people = people.order_by("household__place__code", "id")
    query = query.strip()
    if not query:
        return people
    if query.isdigit() and len(query) == 11:
        return people.filter(phone_hash=keyed_hash(query))
    if len(query) == 18 and query[:17].isdigit():
        return people.filter(id_number_hash=keyed_hash(query))
    return people.filter(name__contains=query)


def masked(person: Person) -> dict[str, str]:
    address = person.household.address if person.household is not None else ""
    return {
        "phone": mask_phone(person.phone),
        "id_number": mask_id_number(person.id_number),
        "address": mask_address(address),
    }


def may_reveal(user: Visitor) -> bool:
    """Who may see a resident's phone, ID number or address whole: those who may see
    residents at all (their page's reveal, and the register's export, ask this)."""
    return can(user, Can.VIEW_PEOPLE)


def reveal(person: Person, field: str, *, request: HttpRequest) -> str:
    """The full value of one field, written to the audit log (promise 12)."""
    if field not in REVEALABLE or not may_reveal(request.user):
        raise Http404
    if field == "address":
        value = person.household.address if person.household is not None else ""
    else:
        value = getattr(person, field) or ""
    record("person.revealed", request=request, obj=person, detail={"field": field})
    return value or ""
