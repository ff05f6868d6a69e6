"""`{% if user|can:"review_wishes" %}`: templates ask the same role table as the code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from sanzhang.access.roles import can as _can
from sanzhang.access.scope import in_scope

if TYPE_CHECKING:
    from sanzhang.access.actor import Visitor

register = template.Library()


@register.filter
def can(user: Visitor, capability: str) -> bool:
    return _can(user, capability)


@register.filter
def sees(user: Visitor, code: str) -> bool:
    """`{% if user|sees:place.code %}`: the place lies in the user's scope (links only then)."""
    return in_scope(user, code)
