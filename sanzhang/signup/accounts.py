"""A resident's account, found or made from their phone: linked to the household whose register
holds that phone, or (where the register does not know it) waiting for a leader to link it to
the unit and door the resident names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, can, require
from sanzhang.access.scope import acts_in, scope_filter
from sanzhang.audit.services import record
from sanzhang.core.crypto import keyed_hash
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.people.models import Household, Person, Role, User
from sanzhang.places.models import Place
from sanzhang.register.importing.checking import holds_households

from .models import LinkRequest

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

RELATION_ORDER = ["head", "spouse", "parent", "child", "grandparent", "sibling", "grandchild"]


def username_for(phone_hash: str) -> str:
    """The account name of a phone's resident: stable, so a retried sign-up finds the account
    it made, and not the phone number (names appear in lists and logs)."""
    return f"m{phone_hash[:20]}"


def account_for(phone: str) -> User:
    """The resident account of `phone`, made on first sign-in. Staff and leaders sign in with
    their password: their phone opens no account here."""
    phone_hash = keyed_hash(phone)
    people = Person.objects.filter(phone_hash=phone_hash)
    staff = User.objects.filter(person__in=people).exclude(role=Role.RESIDENT)
    if staff.exists():
        raise NotAllowed(_("This number belongs to a staff or leader account: sign in with it."))
    existing = User.objects.filter(person__in=people, role=Role.RESIDENT).order_by("pk").first()
    # The account this phone made before it was linked; once linked, the register's phone
    # decides (a number given up and re-issued must not open the old owner's household).
    unlinked = User.objects.filter(
        username=username_for(phone_hash), role=Role.RESIDENT, person__isnull=True
    )
    existing = existing or unlinked.first()
    if existing is None and User.objects.filter(username=username_for(phone_hash)).exists():
        raise NotAllowed(
            _("This number's earlier account is linked elsewhere; ask your community.")
        )
    if existing is not None:
        if not existing.is_active:
            raise NotAllowed(_("This account is switched off; ask your community."))
        return existing
    person = _registered(people)
    # Shown in the page header and greeting: the register's name, else the phone's last digits.
    shown = person.name if person else _("Phone ending %(end)s") % {"end": phone[-4:]}
    user = User(
        username=username_for(phone_hash), role=Role.RESIDENT, person=person, first_name=shown
    )
    user.set_unusable_password()  # signs in by code only: no password to forget
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same sign-up, a moment earlier in another tab
        return User.objects.get(username=username_for(phone_hash))
    record(
        "signup.account_made", actor=user, obj=user, detail={"linked": user.person_id is not None}
    )
    return user


def _registered(people: QuerySet[Person]) -> Person | None:
    """The resident the register holds for this phone, if one household has it: its head, or
    the nearest relation (a family shares a phone). Several households: ask the resident."""
    living = [
        p
        for p in people.filter(household__isnull=False, household__moved_away_on__isnull=True)
        if not hasattr(p, "user")
    ]
    if not living or len({p.household_id for p in living}) > 1:
        return None
    order = {relation: i for i, relation in enumerate(RELATION_ORDER)}
    return min(living, key=lambda p: (order.get(p.relation, len(order)), p.pk))


def ask_link(user: User, place: Place, *, name: str, door: str, phone: str) -> LinkRequest:
    """The resident names their unit (or village grid), door and name; one open request."""
    name, door = name.strip(), door.strip()
    if user.person_id is not None:
        raise Conflict(_("Your account is already linked to your household."))
    if not name or len(name) > 50:
        raise Invalid(_("Give your name (at most 50 characters)."))
    if not door or len(door) > 40:
        raise Invalid(_("Give your door number (at most 40 characters)."))
    if not holds_households(place) or place.retired_at is not None:
        raise Invalid(_("Choose your unit, or your village group."))
    pending = LinkRequest.objects.filter(user=user, status=LinkRequest.Status.PENDING).first()
    if pending is not None:  # a resent form, or a correction: one request, updated
        pending.place, pending.name, pending.door = place, name, door
        pending.save(update_fields=["place", "name", "door"])
        return pending
    try:
        with transaction.atomic():
            return LinkRequest.objects.create(
                user=user, place=place, name=name, door=door, phone=phone
            )
    except IntegrityError:
        return LinkRequest.objects.get(user=user, status=LinkRequest.Status.PENDING)


def requests_for(actor: Actor, *, pending: bool = True) -> QuerySet[LinkRequest]:
    """Requests for places in the actor's area (the leaders and staff over them), the open
    ones unless `pending` is False."""
    if not can_confirm(actor):
        return LinkRequest.objects.none()
    found = LinkRequest.objects.filter(scope_filter(actor, "place__code"))
    if pending:
        found = found.filter(status=LinkRequest.Status.PENDING)
    return found.select_related("place", "user")


def can_confirm(actor: Actor) -> bool:
    return can(actor, Can.CONFIRM_RESIDENTS)


def decide(actor: Actor, link: LinkRequest, *, confirm: bool, reason: str = "") -> LinkRequest:
    """Confirm (the resident joins the household at that door, made if the register has none)
    or refuse (with the reason the resident is shown). One decision: the second is told."""
    require(actor, Can.CONFIRM_RESIDENTS, _("Only the leaders and staff over it decide that."))
    if not acts_in(actor, link.place.code):
        raise NotAllowed(_("This request is outside your area."))
    reason = reason.strip()[:200]
    if not confirm and not reason:
        raise Invalid(_("Say why, so that the resident can put it right."))
    now = timezone.now()
    status = LinkRequest.Status.CONFIRMED if confirm else LinkRequest.Status.REFUSED
    with transaction.atomic():
        taken = LinkRequest.objects.filter(pk=link.pk, status=LinkRequest.Status.PENDING).update(
            status=status, decided_by=actor, decided_at=now, reason=reason
        )
        if not taken:
            raise Conflict(_("Someone has already decided this request."))
        if confirm:
            _join(link)
        record(f"signup.link_{status}", actor=actor, obj=link)
    link.refresh_from_db()
    return link


def _join(link: LinkRequest) -> None:
    household = (
        Household.objects.filter(place=link.place, door=link.door, moved_away_on__isnull=True)
        .order_by("pk")
        .first()
    )
    if household is None:
        household = Household.objects.create(place=link.place, door=link.door)
    # The register may hold this resident already (under a number another household shares):
    # the account takes that record rather than a second one.
    person = (
        household.members.filter(phone_hash=keyed_hash(link.phone), user__isnull=True)
        .order_by("pk")
        .first()
    )
    if person is None:
        person = Person.objects.create(name=link.name, phone=link.phone, household=household)
    updated = User.objects.filter(pk=link.user_id, person__isnull=True).update(
        person=person, first_name=person.name[:150]
    )
    if not updated:
        raise Conflict(_("The account is already linked to a household."))
