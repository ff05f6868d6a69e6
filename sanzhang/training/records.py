"""Each post holder's training record for a year (the classes attended), and the holders of
the user's area who attended none: whom the organiser should invite next."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Max
from django.utils import timezone

from sanzhang.access.scope import scope_filter
from sanzhang.people.models import Person
from sanzhang.posts.models import Tenure

from .models import Attendance

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor


@dataclass
class HolderRecord:
    person: Person
    posts: list[str] = field(default_factory=list)
    attended: int = 0
    last: datetime.datetime | None = None


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    def start(y: int) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime(y, 1, 1))

    return start(year), start(year + 1)


def holder_records(user: Actor, year: int) -> list[HolderRecord]:
    """The current post holders of the user's area, each with the classes attended in `year`
    (two queries, whatever the number of holders)."""
    tenures = (
        Tenure.objects.current()
        .filter(scope_filter(user, "post__place__code"), role=Tenure.Role.HOLDER)
        .select_related("person", "post__place")
        .order_by("post__place__code", "post__kind")
    )
    records: dict[int, HolderRecord] = {}
    for tenure in tenures:
        found = records.setdefault(tenure.person_id, HolderRecord(tenure.person))
        found.posts.append(f"{tenure.post.place.name} {tenure.post.get_kind_display()}")
    start, end = year_bounds(year)
    counts = (
        Attendance.objects.filter(
            person_id__in=records, session__starts_at__gte=start, session__starts_at__lt=end
        )
        .values("person_id")
        .annotate(n=Count("id"), last=Max("session__starts_at"))
    )
    for row in counts:
        records[row["person_id"]].attended = row["n"]
        records[row["person_id"]].last = row["last"]
    return list(records.values())


def untrained(records: list[HolderRecord]) -> list[HolderRecord]:
    return [r for r in records if r.attended == 0]


def attended_by(person_id: int) -> dict[int, list[Attendance]]:
    """A person's attendances, by the year of the class (newest first)."""
    years: dict[int, list[Attendance]] = defaultdict(list)
    rows = (
        Attendance.objects.filter(person_id=person_id)
        .select_related("session__course__place")
        .order_by("-session__starts_at")
    )
    for row in rows:
        years[timezone.localtime(row.session.starts_at).year].append(row)
    return dict(years)
