"""Who sees which points: everyone their own ledger; post holders, community staff and the
county office the rankings and ledgers of party members within their part of the tree; only
the county office changes rules, corrects entries and exports a period's points."""

from __future__ import annotations

from django.db.models import QuerySet

from sanzhang.access.roles import Can, can, require
from sanzhang.access.scope import scope_filter, top_place, visible_place
from sanzhang.people.models import PartyMember, User
from sanzhang.places.models import Place

from .ranking import RANKED_KINDS


def ranked_place(user: User, code: str) -> Place:
    """A place the user sees that has a ranking (a grid or above), or 404."""
    require(user, Can.VIEW_RANKINGS)
    return visible_place(user, code, RANKED_KINDS)


def home_place(user: User) -> Place | None:
    return top_place(user, RANKED_KINDS)


def members_visible_to(user: User) -> QuerySet[PartyMember]:
    """Party members registered, or living, within the user's part of the tree."""
    if not can(user, Can.VIEW_RANKINGS):
        return PartyMember.objects.none()
    return PartyMember.objects.filter(
        scope_filter(user, "community__code") | scope_filter(user, "person__household__place__code")
    )
