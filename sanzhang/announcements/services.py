"""The announcements' verbs: post one to the residents of a subtree, a resident reads it for
their household, a leader marks a household told at the door.

Posting writes one row and queues the push (`tasks.push_announcement`): its cost does not grow
with the audience. A receipt is one row per announcement and household (a unique constraint):
two members opening it at the same moment, or a leader at the door while the resident reads,
leave one row, the first.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, can, require
from sanzhang.access.scope import acts_in
from sanzhang.audit.services import record as audit
from sanzhang.core.errors import Invalid, NotAllowed
from sanzhang.notifications.models import Notification
from sanzhang.people.models import Household, Tag
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import is_under, lineage
from sanzhang.posts.models import Tenure

from . import audience
from .models import Announcement, Receipt

if TYPE_CHECKING:
    from django.http import HttpRequest

    from sanzhang.access.actor import Actor

# The places an announcement goes out from: the office's province or county, a township,
# a community or village, a grid. (A building's or unit's leader tells their neighbours.)
PLACE_KINDS = (
    PlaceKind.PROVINCE,
    PlaceKind.CITY,
    PlaceKind.COUNTY,
    PlaceKind.DISTRICT,
    PlaceKind.COMMUNITY,
    PlaceKind.AREA,
    PlaceKind.GRID,
)
MAX_BODY = 2000


@dataclass(frozen=True)
class Posted:
    announcement: Announcement
    created: bool


def places_for(actor: Actor):  # type: ignore[no-untyped-def]
    """The places the actor may post to (those of their area of the kinds above)."""
    return Place.objects.visible_to(actor).active().filter(kind__in=PLACE_KINDS).order_by("code")


def tags_for(place: Place):  # type: ignore[no-untyped-def]
    """The special groups that may be addressed at `place`: the install's and the county's."""
    from django.db.models import Q

    return Tag.objects.filter(Q(place__isnull=True) | Q(place__code__in=lineage(place.code)))


def _check_poster(actor: Actor, place: Place) -> None:
    require(actor, Can.POST_ANNOUNCEMENTS, _("Leaders and staff post announcements."))
    if not acts_in(actor, place.code) or place.kind not in PLACE_KINDS or place.is_retired:
        raise NotAllowed(_("You may post only to a grid, community or county of your area."))


def _signature(actor: Actor, place: Place) -> str:
    """Who posted, as residents read it: the leader's post over the place, or the office."""
    if actor.person_id and can(actor, Can.HOLD_POSTS):
        tenure = (
            Tenure.objects.current()
            .filter(person_id=actor.person_id, post__place__code__in=lineage(place.code))
            .select_related("post__place")
            .order_by("-post__place__depth")
            .first()
        )
        if tenure is not None:
            signed = f"{tenure.post.place.name}{tenure.post.get_kind_display()}"
            if tenure.role == Tenure.Role.RESERVE:  # residents must not take them for the holder
                signed += f" ({_('reserve')})"
            return signed[:100]
    return (actor.organisation.name if actor.organisation else place.name)[:100]


def _clean(title: str, body: str, until: datetime.date | None) -> tuple[str, str]:
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise Invalid(_("Give the announcement a title and a text."))
    if len(title) > 100 or len(body) > MAX_BODY:
        raise Invalid(_("Keep the title under 100 and the text under 2000 characters."))
    if until is not None and until < timezone.localdate():
        raise Invalid(_("The last day to show it has passed already."))
    return title, body


def post_announcement(
    actor: Actor,
    *,
    place: Place,
    title: str,
    body: str,
    urgent: bool = False,
    tag: Tag | None = None,
    until: datetime.date | None = None,
    post_key: str = "",
    request: HttpRequest | None = None,
) -> Posted:
    """Post to the residents under `place` (of the special group `tag`); audited, pushed to
    their accounts and the channels by a queued task. The same `post_key` again (a double tap,
    a retry) answers the first announcement; with another text it is refused."""
    _check_poster(actor, place)
    title, body = _clean(title, body, until)
    if tag is not None and tag.place is not None and not is_under(place.code, tag.place.code):
        raise Invalid(_("That special group is not one of this place's."))
    post_key = post_key.strip()[:64]
    if post_key:
        found = _replay(actor, post_key, title, body)
        if found is not None:
            return found
    try:
        with transaction.atomic():
            announcement = _create(actor, place, title, body, urgent, tag, until, post_key)
    except IntegrityError:  # the same form a moment earlier, in another request
        found = _replay(actor, post_key, title, body) if post_key else None
        if found is None:
            raise
        return found
    audit(
        "announcement.posted",
        actor=actor,
        request=request,
        obj=announcement,
        detail={"place": place.code, "urgent": urgent, "households": announcement.audience_size},
    )
    return Posted(announcement, created=True)


def _replay(actor: Actor, post_key: str, title: str, body: str) -> Posted | None:
    found = Announcement.objects.filter(author=actor, post_key=post_key).first()
    if found is None:
        return None
    if (found.title, found.body) != (title, body):
        raise Invalid(_("This form was already sent with another text."))
    return Posted(found, created=False)


def _create(
    actor: Actor,
    place: Place,
    title: str,
    body: str,
    urgent: bool,
    tag: Tag | None,
    until: datetime.date | None,
    post_key: str,
) -> Announcement:
    from .tasks import enqueue_push

    announcement = Announcement.objects.create(
        place=place,
        tag=tag,
        title=title,
        body=body,
        urgent=urgent,
        until=until,
        author=actor,
        signed=_signature(actor, place),
        published_at=timezone.now(),
        post_key=post_key,
    )
    size = audience.households_of(announcement).count()
    Announcement.objects.filter(pk=announcement.pk).update(audience_size=size)
    announcement.audience_size = size
    transaction.on_commit(partial(enqueue_push, announcement.pk))
    return announcement


def _receipt(
    announcement: Announcement, household: Household, how: str, by: Actor
) -> tuple[Receipt, bool]:
    found = Receipt.objects.filter(announcement=announcement, household=household).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            row = Receipt.objects.create(
                announcement=announcement, household=household, how=how, at=timezone.now(), by=by
            )
    except IntegrityError:  # another member (or the leader) at the same moment: theirs stands
        return Receipt.objects.get(announcement=announcement, household=household), False
    return row, True


def household_of(user: Actor) -> Household | None:
    """The resident's own household (none for an account not yet linked to one)."""
    if not can(user, Can.READ_ANNOUNCEMENTS) or user.person is None:
        return None
    return user.person.household


def read(user: Actor, announcement: Announcement) -> bool:
    """The resident has read it, for their household (once); their notice of it is read too.
    True when this was the household's first reading."""
    household = household_of(user)
    if household is None or not audience.for_household(household).filter(pk=announcement.pk):
        raise NotAllowed(_("This announcement is not for your household."))
    _row, created = _receipt(announcement, household, Receipt.How.READ, user)
    Notification.objects.filter(
        recipient=user, subject=announcement.subject, read_at__isnull=True
    ).update(read_at=timezone.now())
    return created


def tell_at_door(
    actor: Actor,
    announcement: Announcement,
    household: Household,
    *,
    request: HttpRequest | None = None,
) -> bool:
    """A leader told the household at its door (the receipt says so); audited. True when the
    household had no receipt before."""
    require(actor, Can.POST_ANNOUNCEMENTS, _("Leaders and staff follow up announcements."))
    if not audience.households_in_area(actor, announcement).filter(pk=household.pk).exists():
        raise NotAllowed(_("That household is not of this announcement in your area."))
    _row, created = _receipt(announcement, household, Receipt.How.AT_THE_DOOR, actor)
    if created:
        audit(
            "announcement.told_at_door",
            actor=actor,
            request=request,
            obj=announcement,
            detail={"household": household.pk},
        )
    return created
