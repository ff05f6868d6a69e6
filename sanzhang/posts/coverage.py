"""Coverage (全覆盖无死角): which grids, buildings and units under a place have no holder."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from sanzhang.places.models import Place, PlaceKind

from .models import POST_FOR_PLACE, Tenure

LEVELS = [
    PlaceKind.DISTRICT,
    PlaceKind.AREA,
    PlaceKind.GRID,
    PlaceKind.BUILDING,
    PlaceKind.UNIT,
]


@dataclass(frozen=True)
class LevelCoverage:
    kind: str
    total: int
    covered: int

    @property
    def label(self) -> str:
        return str(PlaceKind(self.kind).label)

    @property
    def uncovered(self) -> int:
        return self.total - self.covered

    @property
    def share(self) -> float:
        return self.covered / self.total if self.total else 1.0


def _has_holder() -> Exists:
    # The place's own leader post (a grid's deputies do not cover it).
    return Exists(
        Tenure.objects.current().filter(
            role=Tenure.Role.HOLDER,
            post__place=OuterRef("pk"),
            post__kind__in=set(POST_FOR_PLACE.values()),
            post__seat=1,
        )
    )


def _postable_under(place: Place) -> QuerySet[Place]:
    return Place.objects.active().under(place.code).filter(kind__in=LEVELS)


def coverage_by_level(place: Place) -> list[LevelCoverage]:
    rows = (
        _postable_under(place)
        .annotate(has_holder=_has_holder())
        .values("kind")
        .annotate(total=Count("id"), covered=Count("id", filter=Q(has_holder=True)))
    )
    found = {row["kind"]: row for row in rows}
    return [
        LevelCoverage(kind, found[kind]["total"], found[kind]["covered"])
        for kind in LEVELS
        if kind in found
    ]


def uncovered_places(place: Place) -> QuerySet[Place]:
    return _postable_under(place).filter(~_has_holder()).order_by("code")
