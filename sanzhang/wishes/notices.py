"""Who is told of a micro-wish's move, heard from the wishes' lifecycle: the community staff
who check it, the resident who made it (or whoever posted it for them), and the party member
who claimed it. The text names the wish's number and step, never the household."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, roles_granted
from sanzhang.notifications.services import tell
from sanzhang.people.models import User
from sanzhang.places.tree import lineage

from .models import Wish, WishEvent

Kind = WishEvent.Kind
TO_REVIEWERS = {Kind.POSTED, Kind.LATE_CLAIM}
TO_POSTER = {Kind.APPROVED, Kind.REJECTED, Kind.CLAIMED, Kind.RELEASED, Kind.FULFILLED}
TO_CLAIMER = {Kind.CONFIRMED, Kind.LATE_FULFIL}


def reviewers(wish: Wish) -> list[int]:
    """The staff who check wishes at the nearest place above the wish that has any (its
    community or village committee; else the county office)."""
    staff = User.objects.filter(
        role__in=roles_granted(Can.REVIEW_WISHES),
        organisation__place__code__in=lineage(wish.place.code),
        is_active=True,
    ).values_list("pk", "organisation__place__code")
    by_code: dict[str, list[int]] = {}
    for pk, code in staff:
        by_code.setdefault(code, []).append(pk)
    nearest = next((code for code in reversed(lineage(wish.place.code)) if code in by_code), None)
    return by_code.get(nearest, []) if nearest else []


def readers(event: WishEvent) -> dict[int, str]:
    """User id → why they are told; never the one who acted."""
    wish = event.wish
    found: dict[int, str] = {}
    if event.kind in TO_REVIEWERS:
        found.update(dict.fromkeys(reviewers(wish), "reviewer"))
    if event.kind in TO_POSTER and wish.posted_by_id:
        found[wish.posted_by_id] = "resident"
    if event.kind in TO_CLAIMER and wish.claimed_by_user_id:
        found[wish.claimed_by_user_id] = "claimer"
    if event.actor_id is not None:
        found.pop(event.actor_id, None)
    return found


def on_wish_event(event: WishEvent) -> None:
    told = readers(event)
    if not told:
        return
    with translation.override("zh-hans"):
        text = _("Micro-wish %(number)s: %(step)s") % {
            "number": event.wish_id,
            "step": event.get_kind_display(),
        }
    tell(
        subject=f"wish:{event.wish_id}:{event.kind}:{event.pk}",
        text=text,
        link=reverse("wishes:detail", args=[event.wish_id]),
        place_code=event.wish.place.code,
        readers=told,
    )
