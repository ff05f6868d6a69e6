"""Who sees supervision figures: staff and leaders, each within their own part of the tree."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from sanzhang.people.models import Role, User
from sanzhang.people.scope import get_visible_or_404
from sanzhang.places.models import Place
from sanzhang.places.tree import normalise_code

from .summaries import SUMMARY_KINDS

VIEWER_ROLES = {
    Role.LEADER,
    Role.COMMUNITY_STAFF,
    Role.COUNTY_OFFICE,
    Role.DEPARTMENT,
    Role.AUDITOR,
}


def require_viewer(user: User) -> None:
    if user.role not in VIEWER_ROLES:
        raise PermissionDenied


def require_office(user: User) -> None:
    """The county office (三长办) runs the weekly and monthly supervision."""
    if user.role != Role.COUNTY_OFFICE:
        raise PermissionDenied


def visible_place(user: User, code: str) -> Place:
    return get_visible_or_404(Place.objects.visible_to(user), code=normalise_code(code))


def home_place(user: User) -> Place | None:
    """The highest summary place the user sees (the county for the county office)."""
    return (
        Place.objects.visible_to(user)
        .active()
        .filter(kind__in=SUMMARY_KINDS)
        .order_by("depth", "code")
        .first()
    )
