"""`{% if user|can:"review_wishes" %}`: templates ask the same role table as the code."""

from typing import Any

from django import template

from sanzhang.access.roles import can as _can
from sanzhang.access.scope import in_scope

register = template.Library()


@register.filter
def can(user: Any, capability: str) -> bool:
    return _can(user, capability)


@register.filter
def sees(user: Any, code: str) -> bool:
    """`{% if user|sees:place.code %}`: the place lies in the user's scope (links only then)."""
    return in_scope(user, code)
