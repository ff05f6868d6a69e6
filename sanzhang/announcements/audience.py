"""Who an announcement reaches, as queries: the households under its place (of its special
group), the resident accounts among them, and what each reader may see. Nothing here loops
over households: a province's audience is one query, like a grid's."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from sanzhang.access.actor import Actor
from sanzhang.access.scope import scope_codes, scope_filter
from sanzhang.people.models import Household, Person, Role, User
from sanzhang.places.tree import lineage

from .models import Announcement, Receipt


def households_of(announcement: Announcement) -> QuerySet[Household]:
    """The households the announcement is for: under its place, not moved away, and (for a
    special group) with a member of the group."""
    found = Household.objects.filter(
        place__code__under=announcement.place.code, moved_away_on__isnull=True
    )
    if announcement.tag_id is not None:
        tagged = Person.tags.through.objects.filter(tag_id=announcement.tag_id)
        found = found.filter(pk__in=tagged.values("person__household_id"))
    return found


def households_in_area(user: Actor, announcement: Announcement) -> QuerySet[Household]:
    """The audience within the reader's own area (a grid leader's grid of a county's notice)."""
    return households_of(announcement).filter(scope_filter(user, "place__code"))


def unread(user: Actor, announcement: Announcement) -> QuerySet[Household]:
    """The households of the reader's area that have no receipt yet (one query)."""
    receipt = Receipt.objects.filter(announcement=announcement, household=OuterRef("pk"))
    return households_in_area(user, announcement).filter(~Exists(receipt))


def counts(user: Actor, announcement: Announcement) -> tuple[int, int]:
    """(households that have it, households it is for), within the reader's area."""
    total = households_in_area(user, announcement).count()
    read = Receipt.objects.filter(
        scope_filter(user, "household__place__code"), announcement=announcement
    ).count()
    return read, total


def accounts_of(announcement: Announcement) -> QuerySet[User]:
    """The residents' accounts of the audience's households (told in the app and by text).
    Joined rather than a subquery of households: the push walks accounts by id in batches, and
    each batch then reads only its own accounts, whatever the size of the province."""
    found = User.objects.filter(
        role=Role.RESIDENT,
        is_active=True,
        person__household__place__code__under=announcement.place.code,
        person__household__moved_away_on__isnull=True,
    )
    if announcement.tag_id is not None:
        tagged = Person.tags.through.objects.filter(
            tag_id=announcement.tag_id, person__household_id=OuterRef("person__household_id")
        )
        found = found.filter(Exists(tagged))
    return found


def for_household(household: Household) -> QuerySet[Announcement]:
    """What a household's residents read: published to a place above (or at) their home, to
    everyone or to a special group one of them belongs to."""
    tags = Person.tags.through.objects.filter(person__household=household).values("tag_id")
    return Announcement.objects.filter(
        Q(tag__isnull=True) | Q(tag_id__in=tags),
        place__code__in=lineage(household.place.code),
        published_at__lte=timezone.now(),
    )


def current(announcements: QuerySet[Announcement]) -> QuerySet[Announcement]:
    """Those still shown (no end, or an end today or later)."""
    today = timezone.localdate()
    return announcements.filter(Q(until__isnull=True) | Q(until__gte=today))


def visible_to(user: Actor) -> QuerySet[Announcement]:
    """For those who post: the announcements of their area and those from above that reach it
    (a county's flood warning reaches the grid leader, who follows it up at the doors)."""
    codes = scope_codes(user)
    if codes is None:
        return Announcement.objects.all()
    above = {code for own in codes for code in lineage(own)}
    return Announcement.objects.filter(scope_filter(user, "place__code") | Q(place__code__in=above))
