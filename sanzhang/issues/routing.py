"""Routing (分流): which post or organisation owns an issue of a tier at a place.

Rules are data (RoutingRule). The most specific rule for (tier, category, kind of place) gives
the owner levels; the owner is the lowest place at or above the issue's place whose kind is
one of those levels and whose post has a current holder. A place with no holder passes the
issue up, so nothing is routed to an empty chair (a new report may be routed with holders read
seconds before; the worker routes it afresh before anyone is told: issues/settling.py). The
rules are those in force at the issue's place (its county's, else its province's, else the
defaults), and a rule names its category by code, so a default rule applies to a county's own
copy of the category; what goes up goes to the nearest county office above the place.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sanzhang.core.errors import Invalid
from sanzhang.people.models import Organisation
from sanzhang.places.models import Place
from sanzhang.posts.holding import held_along, held_posts
from sanzhang.posts.models import Post

from . import rulebook
from .models import Category, OwnerLevel, Tier


class RoutingError(Invalid):
    """No owner could be found, with a message for the user."""


@dataclass(frozen=True)
class Owner:
    place: Place
    post: Post | None = None
    organisation: Organisation | None = None


DEFAULT_LEVELS = {
    Tier.SIMPLE: [OwnerLevel.UNIT, OwnerLevel.BUILDING, OwnerLevel.GRID],
    Tier.COMPLEX: [OwnerLevel.GRID],
    Tier.HARD: [OwnerLevel.COUNTY_OFFICE],
}


def rule_levels(
    tier: str, category: Category | None, place_kind: str, code: str | None = None
) -> list[str]:
    """Owner levels of the most specific rule in force at `code` matching; the built-in
    levels when none does."""
    wanted = category.code if category is not None else None
    rules = [
        rule
        for rule in rulebook.routing_rules(code)
        if rule.tier == tier
        and rule.place_kind in (place_kind, "")
        and (rule.category is None or rule.category.code == wanted)
    ]
    best = max(
        rules,
        key=lambda rule: (rule.category_id is not None, rule.place_kind != ""),
        default=None,
    )
    return best.levels() if best is not None else list(DEFAULT_LEVELS[Tier(tier)])


def county_office(place: Place | None = None) -> Organisation:
    """The county office nearest above `place` (its county's, else its province's), never
    another county's; with no place, the only office of an install of one county."""
    offices = Organisation.objects.filter(kind=Organisation.Kind.COUNTY_OFFICE)
    found = None
    if place is not None:
        found = rulebook.county_office(place.code)
    if found is None and place is None:
        only = list(offices.select_related("place")[:2])
        found = only[0] if len(only) == 1 else None
    if found is None:
        raise RoutingError(_("No county office is set up to receive hard issues."))
    return found


def route(place: Place, tier: str, category: Category | None, *, recent: bool = False) -> Owner:
    """The owner of an issue of `tier` and `category` at `place`. `recent`: holders read a few
    seconds ago will do (a report's intake, which the worker settles afresh a moment later)."""
    levels = rule_levels(tier, category, place.kind, place.code)
    if levels != [OwnerLevel.COUNTY_OFFICE]:
        held = held_along(place, recent=recent)
        chain = held.chain
        lowest_wanted = next((p for p in chain if p.kind in levels), None)
        if lowest_wanted is not None:
            # From the lowest wanted level up: the first place with a holder takes it.
            for candidate in chain[chain.index(lowest_wanted) :]:
                if candidate.pk in held.posts:
                    post = held.posts[candidate.pk]
                    if recent:  # the kept rows are every thread's: the issue gets its own
                        candidate, post = copy.copy(candidate), copy.copy(post)
                    return Owner(place=candidate, post=post)
    office = county_office(place)
    return Owner(place=office.place, organisation=office)


def route_up(owner_place: Place) -> Owner:
    """The next owner above `owner_place` (a mis-routed issue goes back up to be triaged)."""
    chain = list(reversed(owner_place.ancestors()))
    posts = held_posts(chain)
    for candidate in chain:
        if candidate.pk in posts:
            return Owner(place=candidate, post=posts[candidate.pk])
    office = county_office(owner_place)
    return Owner(place=office.place, organisation=office)


def next_tier(tier: str) -> str | None:
    order = [Tier.SIMPLE, Tier.COMPLEX, Tier.HARD]
    index = order.index(Tier(tier))
    return order[index + 1] if index + 1 < len(order) else None
