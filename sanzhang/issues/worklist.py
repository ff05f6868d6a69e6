""" "My work" (我的待办): the issues waiting on a user, by the capacity they hold.

Owners see what waits for them to triage, start, handle or feed back; supervisors see handled
work waiting for their inspection; departments see what they were given; a resident sees
results waiting for their rating. A fixed number of queries whatever the data size: the
user's held places are read once, the rest is one filtered, joined query per page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F, Q, QuerySet

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import held_places, scope_codes, scope_filter
from sanzhang.people.models import Organisation
from sanzhang.places.models import Place

from .access import issues_visible_to
from .models import Issue, State
from .overdue import with_deadline_flag

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

OWNER_STATES = [State.REPORTED, State.ASSIGNED, State.IN_PROGRESS, State.INSPECTED]


def _under_any(field: str, codes: list[str], *, strictly: bool = False) -> Q:
    query = Q(pk__in=[])
    for code in codes:
        below = Q(**{f"{field}__startswith": code + "."})
        query |= below if strictly else below | Q(**{field: code})
    return query


def waiting_on(user: Actor) -> QuerySet[Issue]:
    """What waits on the user's own move, by the capacity their role gives them."""
    issues = Issue.objects.all()
    if can(user, Can.HOLD_POSTS):
        held = held_places(user)
        # Places as a subquery, not a join: both branches then use the issue's own indexes.
        below = Place.objects.filter(_under_any("code", list(held.values()), strictly=True))
        return issues.filter(
            Q(owner_place_id__in=list(held), state__in=OWNER_STATES)
            | Q(owner_place_id__in=below.values("pk"), state=State.HANDLED),
            owner_organisation__isnull=True,
        )
    if can(user, Can.OWN_COMPLEX_ISSUES):
        inside = Place.objects.filter(_under_any("code", scope_codes(user) or []))
        mine = Q(owner_place_id__in=inside.values("pk"), owner_organisation__isnull=True)
        return issues.filter(
            mine & (Q(tier="complex", state__in=OWNER_STATES) | Q(state=State.HANDLED))
        )
    if can(user, Can.HELP_WITH_ISSUES):
        return issues.filter(owner_organisation_id=user.organisation_id, state__in=OWNER_STATES)
    if can(user, Can.SUPERVISE_ALL_OWNERS):  # in its own county (or a province's counties)
        if user.organisation is None:
            return issues.none()
        # Its own hard issues, and its departments' handled ones (a province's office: its own).
        return issues.filter(
            Q(owner_organisation_id=user.organisation_id, state__in=OWNER_STATES)
            | Q(
                owner_organisation__kind=Organisation.Kind.DEPARTMENT,
                owner_organisation__place_id=user.organisation.place_id,
                state=State.HANDLED,
            ),
            scope_filter(user, "place__code"),
        )
    if can(user, Can.ACT_AS_RESIDENT):
        return issues.filter(reporter=user, state=State.FED_BACK)
    return issues.none()


@dataclass
class Filters:
    under: str = ""
    tier: str = ""
    category: str = ""
    state: str = ""
    channel: str = ""
    everything: bool = False  # everything in my area, not only what waits on me


def worklist(user: Actor, filters: Filters) -> QuerySet[Issue]:
    """The page's issues, soonest deadline first, with their deadline flag."""
    base = issues_visible_to(user) if filters.everything else waiting_on(user)
    if filters.under:
        base = base.filter(place__code__under=filters.under)
    for field in ("tier", "state", "channel"):
        if getattr(filters, field):
            base = base.filter(**{field: getattr(filters, field)})
    if filters.category:
        base = base.filter(category__code=filters.category)
    base = base.select_related("place", "category", "owner_place", "owner_organisation")
    return with_deadline_flag(base).order_by(F("due_at").asc(nulls_last=True), "-id")
