"""`{% if user|may_claim %}`: the wish tabs offer claiming only to those who may claim."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from sanzhang.wishes import access

if TYPE_CHECKING:
    from sanzhang.access.actor import Visitor

register = template.Library()


@register.filter
def may_claim(user: Visitor) -> bool:
    return access.may_claim(user)
