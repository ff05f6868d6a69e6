"""Party members in service register at the community where they live (在职党员进社区报到):
they name the community, their work unit and their party organisation; the community's staff
(or the county office) confirm, and the confirmed registration becomes the person's
`PartyMember` row, which lets them claim micro-wishes, record visits in their own area and
earn points."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, can, require
from sanzhang.access.scope import in_scope, scope_filter
from sanzhang.audit.services import record
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.party.services import join_home_branch
from sanzhang.people.models import PartyMember, User
from sanzhang.people.party import (
    REGISTRATION_KINDS,
    register_party_member,
    registration_place_of,
)
from sanzhang.places.models import Place

from .models import PartyRegistration

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

PENDING = PartyRegistration.Status.PENDING


def home_community(user: User) -> Place | None:
    """The community (or village) over the household of the account's person, if any."""
    person = user.person
    if person is None or person.household is None or person.household.moved_away_on:
        return None
    return registration_place_of(person.household.place)


def communities_for(user: User) -> QuerySet[Place]:
    """The places a member may register at: every community and village of their county
    (of every county when the register does not place them yet)."""
    places = Place.objects.active().filter(kind__in=REGISTRATION_KINDS)
    home = home_community(user)
    if home is not None:
        county = home.code.rsplit(".", 1)[0]
        places = places.filter(code__under=county)
    return places.order_by("code")


def ask_registration(
    user: User, community: Place, *, work_unit: str, party_organisation: str
) -> PartyRegistration:
    """Register, or correct the open registration (one per account: a resent form updates it)."""
    work_unit, party_organisation = work_unit.strip(), party_organisation.strip()
    if user.person_id is None:
        raise NotAllowed(_("Link your account to your household first."))
    if community.kind not in REGISTRATION_KINDS or community.retired_at is not None:
        raise Invalid(_("Party members register at a community or a village."))
    if not work_unit or len(work_unit) > 100:
        raise Invalid(_("Give your work unit (at most 100 characters)."))
    if not party_organisation or len(party_organisation) > 100:
        raise Invalid(_("Give your party organisation (at most 100 characters)."))
    member = PartyMember.objects.filter(person_id=user.person_id).first()
    if member is not None and member.community_id == community.pk:
        raise Conflict(_("You are registered at this community already."))
    fields = {"community": community, "work_unit": work_unit}
    fields["party_organisation"] = party_organisation
    updated = PartyRegistration.objects.filter(user=user, status=PENDING).update(**fields)
    if not updated:
        try:
            with transaction.atomic():
                PartyRegistration.objects.create(user=user, person_id=user.person_id, **fields)
        except IntegrityError:  # the same form, a moment earlier in another tab
            PartyRegistration.objects.filter(user=user, status=PENDING).update(**fields)
    registration = PartyRegistration.objects.get(user=user, status=PENDING)
    record("party_registration.asked", actor=user, obj=registration)
    return registration


def registrations_for(actor: Actor, *, pending: bool = True) -> QuerySet[PartyRegistration]:
    """Registrations at the communities of the actor's area (the open ones unless `pending`
    is False)."""
    if not can(actor, Can.CONFIRM_PARTY_MEMBERS):
        return PartyRegistration.objects.none()
    found = PartyRegistration.objects.filter(scope_filter(actor, "community__code"))
    if pending:
        found = found.filter(status=PENDING)
    return found.select_related("community", "person")


def decide_registration(
    actor: Actor, registration: PartyRegistration, *, confirm: bool, reason: str = ""
) -> PartyRegistration:
    """Confirm (the person becomes a registered party member there, moved from any earlier
    community) or refuse with a reason the member is shown. One decision: the second is told."""
    require(actor, Can.CONFIRM_PARTY_MEMBERS, _("Only the community's staff decide that."))
    if not in_scope(actor, registration.community.code):
        raise NotAllowed(_("This registration is outside your area."))
    reason = reason.strip()[:200]
    if not confirm and not reason:
        raise Invalid(_("Say why, so that the member can put it right."))
    status = PartyRegistration.Status.CONFIRMED if confirm else PartyRegistration.Status.REFUSED
    with transaction.atomic():
        # As the staff saw it: a member correcting their form meanwhile (another community,
        # even one outside this area) is not confirmed by a decision on the old words.
        taken = PartyRegistration.objects.filter(
            pk=registration.pk,
            status=PENDING,
            community_id=registration.community_id,
            work_unit=registration.work_unit,
            party_organisation=registration.party_organisation,
        ).update(status=status, decided_by=actor, decided_at=timezone.now(), reason=reason)
        if not taken:
            raise Conflict(
                _("Someone has already decided this registration, or the member changed it.")
            )
        if confirm:
            member = register_party_member(
                registration.person,
                registration.community,
                work_unit=registration.work_unit,
                party_organisation=registration.party_organisation,
                actor=actor,
            )
            join_home_branch(member)  # the grid's branch or group where they live
        record(f"party_registration.{status}", actor=actor, obj=registration)
    registration.refresh_from_db()
    return registration


@dataclass(frozen=True)
class RegisteredCount:
    """How many party members registered at one community, and how many wait."""

    community: Place
    registered: int
    waiting: int


def registered_counts(actor: Actor) -> list[RegisteredCount]:
    """Per community or village of the actor's area: members registered there, and waiting."""
    places = list(
        Place.objects.active()
        .filter(scope_filter(actor, "code"), kind__in=REGISTRATION_KINDS)
        .only("pk", "code", "name")
        .order_by("code")
    )
    ids = [place.pk for place in places]
    # Two small grouped counts (one join of both would multiply members by registrations).
    registered = dict(
        PartyMember.objects.filter(community_id__in=ids)
        .values_list("community_id")
        .annotate(n=Count("pk"))
    )
    waiting = dict(
        PartyRegistration.objects.filter(community_id__in=ids, status=PENDING)
        .values_list("community_id")
        .annotate(n=Count("pk"))
    )
    return [
        RegisteredCount(place, registered.get(place.pk, 0), waiting.get(place.pk, 0))
        for place in places
    ]
