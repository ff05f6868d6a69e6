"""The announcements shown on a place's public noticeboard (posts' board template loads this:
the board sits below this app and does not import it)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from sanzhang.announcements.audience import current
from sanzhang.announcements.models import Announcement
from sanzhang.places.models import Place
from sanzhang.places.tree import lineage

register = template.Library()
SHOWN = 5


@register.simple_tag
def board_announcements(place: Place) -> list[Announcement]:
    """The current announcements to everyone of the place and the places above it (a special
    group's stay in the app: the board is public)."""
    found = Announcement.objects.filter(
        place__code__in=lineage(place.code), tag__isnull=True, published_at__lte=timezone.now()
    )
    return list(current(found).order_by("-urgent", "-published_at", "-id")[:SHOWN])


@register.simple_tag
def home_announcements(user) -> list[Announcement]:  # type: ignore[no-untyped-def]
    """The resident's current announcements not read yet by their household (the console's
    home page shows them first)."""
    from django.db.models import Exists, OuterRef

    from sanzhang.announcements.audience import for_household
    from sanzhang.announcements.models import Receipt
    from sanzhang.announcements.services import household_of

    household = household_of(user)
    if household is None:
        return []
    receipt = Receipt.objects.filter(announcement=OuterRef("pk"), household=household)
    found = current(for_household(household)).filter(~Exists(receipt))
    return list(found.order_by("-urgent", "-published_at", "-id")[:SHOWN])
