"""Who sees which points: everyone their own ledger; post holders, community staff and the
county office the rankings and ledgers of party members within their part of the tree; only
the county office changes rules, corrects entries and exports a period's points."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from sanzhang.people.models import PartyMember, Role, User
from sanzhang.people.scope import get_visible_or_404, scope_filter
from sanzhang.places.models import Place
from sanzhang.places.tree import normalise_code

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
    places = Place.objects.visible_to(user).filter(kind__in=RANKED_KINDS)
    return get_visible_or_404(places, code=normalise_code(code))


def home_place(user: User) -> Place | None:
    return (
        Place.objects.visible_to(user)
        .active()
        .filter(kind__in=RANKED_KINDS)
        .order_by("depth", "code")
        .first()
    )


def members_visible_to(user: User) -> QuerySet[PartyMember]:
    """Party members registered, or living, within the user's part of the tree."""
    if user.role not in RANKING_ROLES:
        return PartyMember.objects.none()
    return PartyMember.objects.filter(
        scope_filter(user, "community__code") | scope_filter(user, "person__household__place__code")
    )
