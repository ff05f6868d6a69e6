"""Rankings (积分排名) of party members under a place for a period: one aggregate query over the
members' points by day (`DailyPoints`), so its cost follows the members and days, not the
number of entries.

Who is ranked under a place: at community or village level and above, the party members
registered at a community or village under it (在职党员进社区报到); in a grid (or a building or
unit), those of them whose household lies under it.
"""

from __future__ import annotations

from django.db.models import F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, Rank

from sanzhang.people.models import PartyMember
from sanzhang.places.models import Place, PlaceKind

from .models import DailyPoints
from .periods import Period

HOUSEHOLD_LEVEL = {PlaceKind.GRID, PlaceKind.BUILDING, PlaceKind.UNIT}
RANKED_KINDS = {
    PlaceKind.PROVINCE,
    PlaceKind.CITY,
    PlaceKind.COUNTY,
    PlaceKind.DISTRICT,
    PlaceKind.COMMUNITY,
    PlaceKind.AREA,
    PlaceKind.GRID,
}


def members_under(place: Place) -> QuerySet[PartyMember]:
    if place.kind in HOUSEHOLD_LEVEL:
        return PartyMember.objects.filter(person__household__place__code__under=place.code)
    return PartyMember.objects.filter(community__code__under=place.code)


def ranking(place: Place, period: Period) -> QuerySet[PartyMember]:
    """Party members under `place` with `total` (their points in `period`, 0 if none) and
    `rank` (1 for the most; equal totals share a rank), highest first. Slice it to paginate:
    the window is computed over all of them before the slice."""
    # A correlated sum per member over their days in the period (the (person, day) unique
    # index finds them) rather than a join and GROUP BY over the members' columns.
    points = (
        DailyPoints.objects.filter(
            person_id=OuterRef("person_id"), day__gte=period.start, day__lt=period.end
        )
        .order_by()
        .values("person_id")
        .annotate(sum=Sum("points"))
        .values("sum")
    )
    total = Coalesce(Subquery(points), Value(0), output_field=IntegerField())
    return (
        members_under(place)
        .annotate(total=total)
        .annotate(rank=Window(Rank(), order_by=F("total").desc()))
        .select_related("person", "community")
        .order_by("-total", "person__name", "pk")
    )
