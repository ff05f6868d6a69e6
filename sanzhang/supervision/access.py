"""Who sees supervision figures: staff and leaders, each within their own part of the tree."""

from __future__ import annotations

from sanzhang.access.roles import Can, require
from sanzhang.access.scope import top_place
from sanzhang.people.models import User
from sanzhang.places.models import Place

from .summaries import SUMMARY_KINDS


def require_viewer(user: User) -> None:
    require(user, Can.VIEW_SUPERVISION)


def home_place(user: User) -> Place | None:
    """The highest summary place the user sees (the county for the county office)."""
    return top_place(user, SUMMARY_KINDS)
