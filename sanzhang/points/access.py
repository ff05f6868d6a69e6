"""Who sees which points: everyone their own ledger; post holders, community staff and the
county office the rankings and ledgers of party members within their part of the tree; only
the county office changes rules, corrects entries and exports a period's points."""

from __future__ import annotations

from django.db.models import QuerySet

from sanzhang.access.roles import Can, can, require
from sanzhang.access.scope import top_place, visible_place
from sanzhang.people.models import PartyMember, User
from sanzhang.people.party import party_members_visible_to
from sanzhang.places.models import Place

from .ranking import RANKED_KINDS


def ranked_place(user: User, code: str) -> Place:
    """A place the user sees that has a ranking (a grid or above), or 404."""
    require(user, Can.VIEW_RANKINGS)
    return visible_place(user, code, RANKED_KINDS)


def home_place(user: User) -> Place | None:
    return top_place(user, RANKED_KINDS)


def members_visible_to(user: User) -> QuerySet[PartyMember]:
    """The party members whose ledgers the user reads: those they see, if they read rankings."""
    if not can(user, Can.VIEW_RANKINGS):
        return PartyMember.objects.none()
    return party_members_visible_to(user)
