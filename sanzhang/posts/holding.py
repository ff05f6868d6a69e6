"""Who holds the posts up a place's chain (a place and its ancestors, from the place upward).

Routing asks this for every report; a county changes its holders a few times a day. The
answer for a place is read in two queries and, when asked for as `recent`, kept in each
process for a few seconds (core.kept): a tenure or post saved here forgets it at once, one
ended by a conditional UPDATE (which sends no signal) forgets it through `changed`, a place
renamed, moved or retired through the event that records it, and other
processes read it again within the kept time. Whoever reads it `recent` must settle afresh
soon after (intake does: the worker routes each new report again, issues/settling.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sanzhang.core.kept import KeptByKey
from sanzhang.places.models import Place, PlaceEvent
from sanzhang.places.tree import lineage

from .models import Post, Tenure


@dataclass(frozen=True)
class HeldChain:
    """The place and its ancestors from the place upward, and at each place that has one,
    the first of its posts with a current holder (by kind and seat), by place id. A kept
    chain is shared by every thread of the process: read it, never change it (`route` hands
    out copies of the owner it picks)."""

    chain: tuple[Place, ...]
    posts: Mapping[int, Post]


def held_posts(places: Iterable[Place]) -> dict[int, Post]:
    """The first post with a current holder at each of these places, by place id."""
    held = (
        Tenure.objects.current()
        .filter(role=Tenure.Role.HOLDER, post__place__in=list(places))
        .select_related("post")
        .order_by("post__kind", "post__seat")
    )
    found: dict[int, Post] = {}
    for tenure in held:
        found.setdefault(tenure.post.place_id, tenure.post)
    return found


def _read_kept(code: str) -> HeldChain:
    # By the code's prefixes, the place itself included: no caller's instance is kept, and
    # the boundaries (GeoJSON, the largest column) are left in the database.
    places = Place.objects.filter(code__in=lineage(code)).defer("boundary")
    chain = tuple(places.order_by("-depth"))
    return HeldChain(chain, MappingProxyType(held_posts(chain)))


_kept: KeptByKey[str, HeldChain] = KeptByKey(
    _read_kept,
    [Tenure, Post, Place, PlaceEvent],  # a place renamed, moved or retired writes an event
    size=2048,
)


def held_along(place: Place, *, recent: bool = False) -> HeldChain:
    """The holders up `place`'s chain; `recent`: a copy read up to a few seconds ago will do."""
    if recent:
        return _kept.get(place.code)
    chain = (place, *reversed(place.ancestors()))
    return HeldChain(chain, held_posts(chain))


def changed() -> None:
    """Tenures or posts changed without a signal (a conditional UPDATE): forget the copies."""
    _kept.changed()
