"""Visit coverage of a place (全走遍): households visited in the last N days, never visited,
and the households' contact status, in total and per child place."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from sanzhang.people.models import Household, Person, Tag
from sanzhang.places.models import Place
from sanzhang.places.tree import code_at_depth

from .models import HouseholdContact, Visit

KEYS = ["households", "visited", "never", "in_group", "not_in_group"]


@dataclass
class Coverage:
    place: Place
    days: int
    totals: Counter[str] = field(default_factory=Counter)
    children: list[dict[str, Any]] = field(default_factory=list)


def households_under(place: Place, group: Tag | None = None) -> QuerySet[Household]:
    """The households living under the place now; with `group`, only those with a resident of
    that special group (独居老人 not visited in 30 days …)."""
    households = Household.objects.filter(place__code__under=place.code, moved_away_on__isnull=True)
    if group is not None:
        members = Person.tags.through.objects.filter(person__household=OuterRef("pk"), tag=group)
        households = households.filter(Exists(members))
    return households


def with_visits(households: QuerySet[Household], since: datetime.datetime) -> QuerySet:
    visits = Visit.objects.filter(household=OuterRef("pk"))
    contact = HouseholdContact.objects.filter(household=OuterRef("pk"))
    return households.annotate(
        visited=Exists(visits.filter(visited_at__gte=since)),
        ever=Exists(visits),
        in_group=Exists(contact.filter(in_group=True)),
        not_in_group=Exists(contact.filter(in_group=False)),
    )


def coverage(
    place: Place,
    days: int = 30,
    now: datetime.datetime | None = None,
    group: Tag | None = None,
) -> Coverage:
    since = (now or timezone.now()) - datetime.timedelta(days=days)
    result = Coverage(place=place, days=days)
    kids = {kid.code: kid for kid in Place.objects.active().filter(parent=place)}
    per_child: dict[str, Counter[str]] = {code: Counter() for code in kids}
    rows = with_visits(households_under(place, group), since).values_list(
        "place__code", "visited", "ever", "in_group", "not_in_group"
    )
    depth = place.depth + 1
    for code, visited, ever, in_group, not_in_group in rows:
        counts = Counter(
            households=1,
            visited=int(visited),
            never=int(not ever),
            in_group=int(in_group),
            not_in_group=int(not_in_group),
        )
        result.totals.update(counts)
        child = code_at_depth(code, depth)
        if child in per_child:
            per_child[child].update(counts)
    result.children = [
        {"place": kids[code], **{key: per_child[code][key] for key in KEYS}}
        for code in sorted(kids)
    ]
    return result


def never_visited(place: Place, limit: int = 200, group: Tag | None = None) -> QuerySet[Household]:
    """Households under the place no leader has visited yet, by place."""
    visits = Visit.objects.filter(household=OuterRef("pk"))
    return (
        households_under(place, group)
        .filter(~Exists(visits))
        .select_related("place")
        .order_by("place__code", "door")[:limit]
    )
