"""A resident's booking of a listed merchant, and its moves.

`ACTIONS` names who may take each move and from which states; `move` is the one writer: a
conditional UPDATE on (id, state), so of two taps, or a merchant's and a resident's at the same
moment, one wins and the other is told the booking moved on. Rating is once (the state moves
done → rated); a complaint becomes an issue of the loop once (the loop's intake key).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, can, require
from sanzhang.audit.services import record as audit
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.core.photos import prepare
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Channel, Issue
from sanzhang.notifications.services import tell
from sanzhang.people.party import registration_place_of
from sanzhang.places.models import Place

from .models import Booking, BookingEvent, BookingPhoto, Listing

if TYPE_CHECKING:
    from django.http import HttpRequest

    from sanzhang.access.actor import Actor

MAX_PHOTOS = 3
MAX_TEXT = 1000
S = Booking.State


@dataclass(frozen=True)
class Action:
    capability: Can
    sources: frozenset[str]
    target: str


ACTIONS: dict[str, Action] = {
    "accept": Action(Can.SERVE_BOOKINGS, frozenset({S.REQUESTED}), S.ACCEPTED),
    "propose": Action(Can.SERVE_BOOKINGS, frozenset({S.REQUESTED, S.PROPOSED}), S.PROPOSED),
    "decline": Action(Can.SERVE_BOOKINGS, frozenset({S.REQUESTED, S.PROPOSED}), S.DECLINED),
    "done": Action(Can.SERVE_BOOKINGS, frozenset({S.ACCEPTED}), S.DONE),
    "agree": Action(Can.BOOK_SERVICES, frozenset({S.PROPOSED}), S.ACCEPTED),
    "cancel": Action(
        Can.BOOK_SERVICES, frozenset({S.REQUESTED, S.PROPOSED, S.ACCEPTED}), S.CANCELLED
    ),
}


def home_community(user: Actor) -> Place | None:
    """The community or village of the resident's household."""
    person = user.person
    if person is None or person.household is None:
        return None
    return registration_place_of(person.household.place)


def visible_listings(user: Actor) -> QuerySet[Listing]:
    """Listings shown to a resident: their community's, not suspended."""
    community = home_community(user)
    if community is None or not can(user, Can.BOOK_SERVICES):
        return Listing.objects.none()
    return Listing.objects.filter(community=community, suspended=False).select_related("merchant")


def bookings_for(user: Actor) -> QuerySet[Booking]:
    """A resident's own bookings, or a merchant's: nobody else's."""
    if can(user, Can.BOOK_SERVICES):
        return Booking.objects.filter(resident=user)
    if can(user, Can.SERVE_BOOKINGS):
        return Booking.objects.filter(listing__merchant__user=user)
    return Booking.objects.none()


def book(
    resident: Actor,
    listing: Listing,
    *,
    token: str,
    service: str,
    wanted_at: datetime.datetime,
    problem: str,
    photos: Sequence[UploadedFile[Any]] = (),
    request: HttpRequest | None = None,
) -> Booking:
    """Book a listed merchant; the same form sent twice is one booking."""
    require(resident, Can.BOOK_SERVICES)
    found = Booking.objects.filter(resident=resident, token=token).first()
    if found is not None:
        return found
    if not visible_listings(resident).filter(pk=listing.pk).exists():
        raise NotAllowed(_("This merchant is not listed in your community."))
    if service not in listing.merchant.services:
        raise Invalid(_("This merchant does not offer that service."))
    problem = problem.strip()
    if not problem:
        raise Invalid(_("Describe the problem."))
    if len(problem) > MAX_TEXT:
        raise Invalid(_("Please keep it under 1000 characters."))
    now = timezone.now()
    if wanted_at < now - datetime.timedelta(hours=1):
        raise Invalid(_("Choose a time that is still to come."))
    prepared = prepare(photos, limit=MAX_PHOTOS)
    household_id = resident.person.household_id if resident.person else None
    assert household_id is not None  # nosec B101 # visible_listings found the household
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                listing=listing,
                resident=resident,
                household_id=household_id,
                token=token,
                service=service,
                wanted_at=wanted_at,
                problem=problem,
                created_at=now,
                updated_at=now,
            )
            for photo in prepared:
                BookingPhoto(booking=booking).image.save(photo.name or "p.jpg", photo, save=True)
            _event(booking, resident, "book", "", S.REQUESTED, "", now)
            _tell(booking, listing.merchant.user_id, _("A new booking is waiting for you."))
    except IntegrityError:  # the same form, a moment earlier in another tab
        return Booking.objects.get(resident=resident, token=token)
    audit("marketplace.booked", actor=resident, request=request, obj=booking)
    return booking


def _event(
    booking: Booking, actor: Actor, action: str, old: str, new: str, note: str, at: Any
) -> None:
    BookingEvent.objects.create(
        booking=booking, actor=actor, action=action, from_state=old, to_state=new, note=note, at=at
    )


def _tell(booking: Booking, user_id: int, text: str) -> None:
    """An in-app notice of the move to the other side of the booking."""
    count = BookingEvent.objects.filter(booking=booking).count()
    tell(
        subject=f"booking:{booking.pk}:{count}:{user_id}",
        text=f"{booking.listing.merchant.business_name}: {text}"[:300],
        link=reverse("marketplace:booking", args=[booking.pk]),
        place_code=booking.listing.community.code,
        readers={user_id: "booking"},
        channels=False,
    )


def _notice(action: str) -> str:
    return {
        "accept": _("The merchant accepted your booking."),
        "propose": _("The merchant proposed another time."),
        "decline": _("The merchant declined your booking."),
        "done": _("The merchant marked the work done; please rate it."),
        "agree": _("The resident agreed to the time you proposed."),
        "cancel": _("The resident cancelled the booking."),
    }[action]


def move(
    actor: Actor,
    booking: Booking,
    action: str,
    *,
    note: str = "",
    proposed_at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> Booking:
    """Take one of ACTIONS on a booking the actor holds; refused from a state it does not
    start from, or when another move got there first."""
    rule = ACTIONS.get(action)
    if rule is None:
        raise Invalid(_("Unknown action."))
    require(actor, rule.capability)
    if not bookings_for(actor).filter(pk=booking.pk).exists():
        raise NotAllowed(_("This booking is not yours."))
    if booking.state not in rule.sources:
        raise Conflict(_("The booking has moved on; reload the page."))
    changes: dict[str, Any] = {"state": rule.target, "updated_at": timezone.now()}
    if action == "propose":
        if proposed_at is None or proposed_at < timezone.now():
            raise Invalid(_("Propose a time that is still to come."))
        changes["proposed_at"] = proposed_at
    if action == "agree":
        changes["wanted_at"] = booking.proposed_at
    if action == "decline" and not note.strip():
        raise Invalid(_("Say why, so that the resident can look elsewhere."))
    changes["note"] = note.strip()[:300]
    with transaction.atomic():
        moved = Booking.objects.filter(pk=booking.pk, state=booking.state).update(**changes)
        if not moved:
            raise Conflict(_("The booking has moved on; reload the page."))
        _event(booking, actor, action, booking.state, rule.target, note, changes["updated_at"])
        mine = actor.pk == booking.resident_id
        other = booking.listing.merchant.user_id if mine else booking.resident_id
        _tell(booking, other, _notice(action))
        audit(f"marketplace.{action}", actor=actor, request=request, obj=booking)
    booking.refresh_from_db()
    return booking


def rate(
    resident: Actor,
    booking: Booking,
    *,
    stars: int,
    words: str = "",
    request: HttpRequest | None = None,
) -> Booking:
    """Rate a done booking once (1–5 stars and words)."""
    require(resident, Can.BOOK_SERVICES)
    if booking.resident_id != resident.pk:
        raise NotAllowed(_("This booking is not yours."))
    if not 1 <= stars <= 5:
        raise Invalid(_("Give 1 to 5 stars."))
    now = timezone.now()
    with transaction.atomic():
        moved = Booking.objects.filter(pk=booking.pk, state=S.DONE).update(
            state=S.RATED,
            stars=stars,
            rating_words=words.strip()[:500],
            rated_at=now,
            updated_at=now,
        )
        if not moved:
            raise Conflict(_("Only work marked done is rated, and only once."))
        _event(booking, resident, "rate", S.DONE, S.RATED, str(stars), now)
        _tell(booking, booking.listing.merchant.user_id, _("The resident rated your work."))
        audit("marketplace.rated", actor=resident, request=request, obj=booking)
    booking.refresh_from_db()
    return booking


def complain(
    resident: Actor, booking: Booking, *, words: str, request: HttpRequest | None = None
) -> Issue:
    """A complaint about the booking's merchant, as an issue of the loop at the resident's
    household, reported by the resident; a second complaint returns the first issue."""
    require(resident, Can.BOOK_SERVICES)
    if booking.resident_id != resident.pk:
        raise NotAllowed(_("This booking is not yours."))
    if booking.complaint_id is not None:
        assert booking.complaint is not None  # nosec B101 # for mypy
        return booking.complaint
    words = words.strip()
    if not words:
        raise Invalid(_("Say what went wrong."))
    merchant = booking.listing.merchant
    text = _("Complaint about merchant %(name)s (booking %(id)d, %(date)s): %(words)s") % {
        "name": merchant.business_name,
        "id": booking.pk,
        "date": f"{timezone.localtime(booking.wanted_at):%Y-%m-%d}",
        "words": words[:1500],
    }
    household = booking.household
    with transaction.atomic():
        intake = submit(
            resident,
            place=household.place,
            text=text,
            channel=Channel.ONLINE,
            household=household,
            intake_key=f"marketplace-complaint-{booking.pk}",
        )
        Booking.objects.filter(pk=booking.pk, complaint__isnull=True).update(complaint=intake.issue)
        audit("marketplace.complained", actor=resident, request=request, obj=booking)
    return intake.issue
