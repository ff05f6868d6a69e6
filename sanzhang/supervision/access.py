"""Who sees supervision figures: staff and leaders, each within their own part of the tree."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from sanzhang.people.models import Role, User
from sanzhang.people.scope import top_place
from sanzhang.places.models import Place

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


def home_place(user: User) -> Place | None:
    """The highest summary place the user sees (the county for the county office)."""
    return top_place(user, SUMMARY_KINDS)
