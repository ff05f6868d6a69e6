"""`{% if user|may_claim %}`: the wish tabs offer claiming only to those who may claim."""

from typing import Any

from django import template

from sanzhang.wishes import access

register = template.Library()


@register.filter
def may_claim(user: Any) -> bool:
    return access.may_claim(user)
