"""Keeping the register by hand: staff add a household (at a unit or village grid of their
area) and its residents, and correct them. Each change is one transaction and one audit row
naming the fields changed, never their values (they are personal data).

A retried POST must not make a second record: a household is one per door of a place (the
place's row is locked while a household is added to it), a resident one per ID number (the
household's row is locked while its residents change, and the keyed hash is looked up)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, can, require
from sanzhang.access.scope import scope_filter
from sanzhang.audit.services import record
from sanzhang.core.crypto import keyed_hash
from sanzhang.core.errors import Conflict, Invalid
from sanzhang.people.models import Household, Person, Tag
from sanzhang.places.models import Place, PlaceKind

from .households import may_keep
from .importing.checking import MAX_ADDRESS, MAX_DOOR, MAX_NAME, PHONE, check_id_number
from .importing.tags import TagBook

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor


def places_to_keep(user: Actor) -> QuerySet[Place]:
    """The units and village grids of the user's area, where they may add a household."""
    if not can(user, Can.KEEP_REGISTER):
        return Place.objects.none()
    holds = Q(kind=PlaceKind.UNIT) | Q(kind=PlaceKind.GRID, is_rural=True)  # holds_households
    places = Place.objects.filter(holds, scope_filter(user, "code"), retired_at__isnull=True)
    return places.order_by("code")


def tags_at(place: Place) -> list[Tag]:
    """The special groups in force at the place (the install's and its county's)."""
    return sorted(TagBook().at(place.code).values(), key=lambda tag: tag.name)


def _door(door: str, address: str) -> tuple[str, str]:
    door, address = door.strip(), address.strip()
    if not door:
        raise Invalid(_("Give the door number."))
    if len(door) > MAX_DOOR or len(address) > MAX_ADDRESS:
        limit = MAX_DOOR if len(door) > MAX_DOOR else MAX_ADDRESS
        raise Invalid(_("At most %(n)d characters.") % {"n": limit})
    return door, address


def _door_taken(place: Place, door: str, *, besides: Household | None = None) -> None:
    others = Household.objects.filter(place=place, door=door, moved_away_on__isnull=True)
    if besides is not None:
        others = others.exclude(pk=besides.pk)
    if others.exists():
        raise Conflict(
            _("A household at door %(door)s of %(place)s is already in the register.")
            % {"door": door, "place": place.name}
        )


def add_household(
    actor: Actor,
    place: Place,
    *,
    door: str,
    address: str = "",
    request: HttpRequest | None = None,
) -> Household:
    """A household at `door` of the unit or village grid `place` in the actor's area."""
    require(actor, Can.KEEP_REGISTER, _("Only community staff and the county office do that."))
    door, address = _door(door, address)
    with transaction.atomic():
        # The place's row locked: of two adds at one door (a retried POST), the second waits
        # and then finds the first.
        place = Place.objects.select_for_update().get(pk=place.pk)
        if not places_to_keep(actor).filter(pk=place.pk).exists():
            raise Invalid(_("No such place in your area: %(code)s.") % {"code": place.code})
        _door_taken(place, door)
        household = Household.objects.create(place=place, door=door, address=address or None)
        record("household.added", actor=actor, request=request, obj=household)
    return household


def edit_household(
    actor: Actor,
    household: Household,
    *,
    door: str,
    address: str,
    request: HttpRequest | None = None,
) -> Household:
    """Correct the household's door and address (a move to another place is a move). An
    empty address keeps the one registered: the page shows it masked, never to retype."""
    require(actor, Can.KEEP_REGISTER, _("Only community staff and the county office do that."))
    door, address = _door(door, address)
    with transaction.atomic():
        Place.objects.select_for_update().get(pk=household.place_id)
        current = _kept(actor, household)
        _door_taken(current.place, door, besides=current)
        address = address or current.address or ""
        changed = [
            name
            for name, value in (("door", door), ("address", address))
            if (getattr(current, name) or "") != value
        ]
        if changed:
            current.door, current.address = door, address or None
            current.save(update_fields=changed)
            detail = {"fields": changed}
            record("household.edited", actor=actor, request=request, obj=current, detail=detail)
    household.refresh_from_db()
    return household


def _kept(actor: Actor, household: Household) -> Household:
    current = Household.objects.select_for_update().select_related("place").get(pk=household.pk)
    if not may_keep(actor, current):
        raise Invalid(_("This household is outside your area."))
    return current


@dataclass(frozen=True)
class Resident:
    """What staff typed for a resident, before it is checked."""

    name: str
    id_number: str
    phone: str = ""
    relation: str = ""
    tags: Iterable[Tag] = ()


@dataclass(frozen=True)
class _Checked:
    name: str
    id_number: str
    phone: str
    relation: str
    tags: list[Tag]


def _check(resident: Resident, household: Household, person: Person | None = None) -> _Checked:
    """The resident as typed, checked as the import checks a row. Correcting a `person`, an
    empty ID number or phone keeps the registered one, unchecked (a record from before the
    checks is corrected by typing the right number)."""
    name = resident.name.strip()
    if not name:
        raise Invalid(_("Give the resident's name."))
    if len(name) > MAX_NAME:
        raise Invalid(_("At most %(n)d characters.") % {"n": MAX_NAME})
    registered = (person.id_number or "") if person is not None else ""
    number, problem = registered, ""
    if resident.id_number.strip() or not registered:
        number, problem = check_id_number(resident.id_number, timezone.localdate())
    if problem:
        raise Invalid(problem)
    phone = "".join(resident.phone.split())
    if not phone and person is not None:
        phone = person.phone or ""
    elif phone and not PHONE.match(phone):
        raise Invalid(_("Not a mobile (11 digits) or landline number."))
    if resident.relation and resident.relation not in Person.Relation.values:
        raise Invalid(_("Unknown relation to the head."))
    known = {tag.pk for tag in tags_at(household.place)}
    tags = list(resident.tags)
    if any(tag.pk not in known for tag in tags):
        raise Invalid(_("That special group is not on the county's list."))
    return _Checked(name, number, phone, resident.relation, tags)


def _unique(checked: _Checked, household: Household, *, besides: Person | None = None) -> None:
    """One person per ID number (found by its keyed hash), one head per household."""
    same_id = Person.objects.filter(id_number_hash=keyed_hash(checked.id_number))
    if besides is not None:
        same_id = same_id.exclude(pk=besides.pk)
    if same_id.exists():
        raise Conflict(_("A resident with this ID number is already in the register."))
    heads = household.members.filter(relation=Person.Relation.HEAD)
    if besides is not None:
        heads = heads.exclude(pk=besides.pk)
    if checked.relation == Person.Relation.HEAD and heads.exists():
        raise Invalid(_("The household already has its head."))


def _fill(person: Person, checked: _Checked) -> list[str]:
    """Set the person's fields from `checked`; the names of those that changed. Gender and
    birth year follow a new ID number, as the import reads them from it."""
    changed = [
        name
        for name, value in (("name", checked.name), ("relation", checked.relation))
        if getattr(person, name) != value
    ]
    person.name, person.relation = checked.name, checked.relation
    for name, value in (("id_number", checked.id_number), ("phone", checked.phone)):
        if (getattr(person, name) or "") != value:
            setattr(person, name, value or None)
            changed.append(name)
    if "id_number" in changed:
        person.birth_year = int(checked.id_number[6:10])
        person.gender = "M" if int(checked.id_number[16]) % 2 else "F"
    return changed


def add_resident(
    actor: Actor,
    household: Household,
    resident: Resident,
    *,
    request: HttpRequest | None = None,
) -> Person:
    """A new resident of the household; their ID number must not be in the register yet."""
    require(actor, Can.KEEP_REGISTER, _("Only community staff and the county office do that."))
    with transaction.atomic():
        current = _kept(actor, household)
        if current.moved_away_on is not None:
            raise Invalid(_("The household has moved away; move it back first."))
        checked = _check(resident, current)
        _unique(checked, current)
        person = Person(household=current)
        _fill(person, checked)
        person.save()
        person.tags.set(checked.tags)
        record("person.added", actor=actor, request=request, obj=person)
    return person


def edit_resident(
    actor: Actor,
    person: Person,
    resident: Resident,
    *,
    request: HttpRequest | None = None,
) -> Person:
    """Correct a resident of a household in the actor's area. An empty ID number or phone
    keeps the one registered (the page shows them masked, never to retype)."""
    require(actor, Can.KEEP_REGISTER, _("Only community staff and the county office do that."))
    if person.household_id is None:
        raise Invalid(_("This resident belongs to no household."))
    with transaction.atomic():
        current = _kept(actor, Household(pk=person.household_id))
        person = Person.objects.select_for_update().get(pk=person.pk, household=current)
        checked = _check(resident, current, person)
        _unique(checked, current, besides=person)
        changed = _fill(person, checked)
        if set(person.tags.all()) != set(checked.tags):
            person.tags.set(checked.tags)
            changed.append("tags")
        if changed:
            person.save()
            detail = {"fields": changed}
            record("person.edited", actor=actor, request=request, obj=person, detail=detail)
    return person
