"""The public noticeboard (便民公示牌) of a place: who leads it and how to reach them."""

from __future__ import annotations

from dataclasses import dataclass

from sanzhang.core.masking import mask_phone
from sanzhang.places.models import Place

from .models import Tenure


@dataclass(frozen=True)
class BoardEntry:
    post: str
    area: str
    name: str
    phone: str
    reserve: bool


def _entries(tenures: list[Tenure]) -> list[BoardEntry]:
    return [
        BoardEntry(
            post=t.post.get_kind_display(),
            area=t.post.place.name,
            name=t.person.name,
            # A reserve is a resident, not an office holder: their own number stays theirs.
            phone=mask_phone(t.person.phone)
            if t.role == Tenure.Role.RESERVE
            else t.person.phone or "",
            reserve=t.role == Tenure.Role.RESERVE,
        )
        for t in tenures
    ]


def board_for(place: Place) -> dict[str, object]:
    """The leaders responsible for the place (its own and those above it), and the leaders
    of the places directly under it. Holders' work phones are public by design (公示)."""
    chain = [*place.ancestors(), place]
    current = Tenure.objects.current().select_related("post__place", "person")
    above = current.filter(post__place__in=chain).order_by("-post__place__depth", "post__seat")
    below = current.filter(
        post__place__parent=place, post__place__retired_at__isnull=True, role=Tenure.Role.HOLDER
    ).order_by("post__place__code", "post__seat")
    return {
        "path": " ".join(p.name for p in chain if p.depth > 0),
        "leaders": _entries(list(above)),
        "below": _entries(list(below)),
    }
