"""`{% if user|may_open:issue.number %}`: an issue named on a shared page (a notice, a monthly
report, a rectification list) is a link only for those who may open it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from sanzhang.issues.access import issues_visible_to

if TYPE_CHECKING:
    from sanzhang.access.actor import Visitor

register = template.Library()


@register.filter
def may_open(user: Visitor, number: str) -> bool:
    return issues_visible_to(user).filter(number=number).exists()
