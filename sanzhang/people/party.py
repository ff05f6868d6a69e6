"""Party members registering at the community where they live (在职党员进社区报到)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.scope import scope_filter
from sanzhang.audit.services import record
from sanzhang.core.errors import Invalid
from sanzhang.places.models import Place, PlaceKind

from .models import PartyMember, Person

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

REGISTRATION_KINDS = {PlaceKind.COMMUNITY, PlaceKind.AREA}


def registration_place_of(place: Place) -> Place | None:
    """The community or village a place lies in (or is), where its party members register."""
    for candidate in [*place.ancestors(), place]:
        if candidate.kind in REGISTRATION_KINDS:
            return candidate
    return None


class RegistrationError(Invalid):
    """A refused registration, with a message for the user."""


def register_party_member(
    person: Person,
    community: Place,
    *,
    work_unit: str,
    party_organisation: str = "",
    registered_on: datetime.date | None = None,
    actor: Actor | None = None,
) -> PartyMember:
    """Register (or re-register, after a move) a party member at a community or village."""
    if community.kind not in REGISTRATION_KINDS or community.is_retired:
        raise RegistrationError(_("Party members register at a community or a village."))
    with transaction.atomic():
        member, created = PartyMember.objects.update_or_create(
            person=person,
            defaults={
                "community": community,
                "work_unit": work_unit.strip(),
                "party_organisation": party_organisation.strip(),
                "registered_on": registered_on or timezone.localdate(),
            },
        )
        record(
            "party_member.registered" if created else "party_member.moved",
            actor=actor,
            obj=member,
            detail={"community": community.code},
        )
    return member


def party_members_visible_to(user: Actor) -> QuerySet[PartyMember]:
    """Party members registered at, or living in, the user's part of the tree (the one
    definition: the members list, their ledgers and rankings read it)."""
    return PartyMember.objects.filter(
        scope_filter(user, "community__code") | scope_filter(user, "person__household__place__code")
    )
