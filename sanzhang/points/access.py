"""Who sees which points: everyone their own ledger; post holders, community staff and the
county office the rankings and ledgers of party members within their part of the tree; only
the county office changes rules, corrects entries and exports a period's points."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from sanzhang.people.models import PartyMember, Role, User
from sanzhang.people.scope import scope_filter, top_place, visible_place
from sanzhang.places.models import Place

from .ranking import RANKED_KINDS

RANKING_ROLES = {Role.LEADER, Role.COMMUNITY_STAFF, Role.COUNTY_OFFICE}


def require_ranking_viewer(user: User) -> None:
    if user.role not in RANKING_ROLES:
        raise PermissionDenied


def require_office(user: User) -> None:
    if user.role != Role.COUNTY_OFFICE:
        raise PermissionDenied


def ranked_place(user: User, code: str) -> Place:
    """A place the user sees that has a ranking (a grid or above), or 404."""
    require_ranking_viewer(user)
    return visible_place(user, code, RANKED_KINDS)


def home_place(user: User) -> Place | None:
    return top_place(user, RANKED_KINDS)


def members_visible_to(user: User) -> QuerySet[PartyMember]:
    """Party members registered, or living, within the user's part of the tree."""
    if user.role not in RANKING_ROLES:
        return PartyMember.objects.none()
    return PartyMember.objects.filter(
        scope_filter(user, "community__code") | scope_filter(user, "person__household__place__code")
    )
