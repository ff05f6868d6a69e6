"""`{% if user|can:"review_wishes" %}`: templates ask the same role table as the code."""

from typing import Any

from django import template

from sanzhang.access.roles import can as _can

register = template.Library()


@register.filter
def can(user: Any, capability: str) -> bool:
    return _can(user, capability)
