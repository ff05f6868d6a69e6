""" "My work" (我的待办): the issues waiting on a user, by the capacity they hold.

Owners see what waits for them to triage, start, handle or feed back; supervisors see handled
work waiting for their inspection; departments see what they were given; a resident sees
results waiting for their rating. A fixed number of queries whatever the data size: the
user's held places are read once, then the count (capped) and the page: its ids picked
by the indexes that serve the filter and the sort, its rows read with their joins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import In

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


class AmongRows(In):
    """`column IN (subquery)`, written `column = ANY(ARRAY(subquery))` on PostgreSQL: there the
    subquery is read once and its ids looked up in the issues' index, also as one branch of an
    OR (where an IN is a hashed test of every row the other branches' indexes bring: all the
    county's handled issues, say). SQLite reads an IN that way already."""

    def get_rhs_op(self, connection: Any, rhs: str) -> str:
        if connection.vendor == "postgresql" and not self.rhs_is_direct_value():
            return f"= ANY(ARRAY{rhs})"
        return super().get_rhs_op(connection, rhs)


def _under_any(field: str, codes: list[str], *, strictly: bool = False) -> Q:
    """Rows whose code at `field` lies under any of `codes` (or is one, unless `strictly`):
    ranges over the code index (`under`), never a scan of every place."""
    query = Q(pk__in=[])
    for code in codes:
        below = Q(**{f"{field}__under": code})
        query |= below & ~Q(**{field: code}) if strictly else below
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
            | (
                AmongRows(F("owner_place_id"), below.values("pk").order_by())
                & Q(state=State.HANDLED)
            ),
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
        # Both by the owner's organisation (its index); the scope as a test of each row's place:
        # a join to the places (or a list of them) would walk every issue of the county.
        departments = Organisation.objects.filter(
            kind=Organisation.Kind.DEPARTMENT, place_id=user.organisation.place_id
        )
        in_scope = Place.objects.filter(scope_filter(user, "code"), pk=OuterRef("place_id"))
        return issues.filter(
            Q(owner_organisation_id=user.organisation_id, state__in=OWNER_STATES)
            | (
                AmongRows(F("owner_organisation_id"), departments.values("pk").order_by())
                & Q(state=State.HANDLED)
            ),
            Exists(in_scope),
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


ORDER = (F("due_at").asc(nulls_last=True), "-id")
# What the page shows of each row (issues/worklist.html).
SHOWN = (
    "number",
    "text",
    "tier",
    "state",
    "due_at",
    "place__name",
    "place__code",
    "category__name",
)


def worklist(user: Actor, filters: Filters) -> QuerySet[Issue]:
    """The page's issues, soonest deadline first: narrow, for counting and picking a page
    (core.listing); `worklist_rows` reads the picked rows for the page."""
    base = issues_visible_to(user) if filters.everything else waiting_on(user)
    if filters.under:
        base = base.filter(place__code__under=filters.under)
    for field in ("tier", "state", "channel"):
        if getattr(filters, field):
            base = base.filter(**{field: getattr(filters, field)})
    if filters.category:
        base = base.filter(category__code=filters.category)
    return base.order_by(*ORDER)


def worklist_rows(picked: QuerySet[Issue]) -> QuerySet[Issue]:
    """The issues with these ids, with what the page shows of them and their deadline flag."""
    rows = Issue.objects.filter(pk__in=picked).select_related("place", "category")
    rows = rows.only(*SHOWN)  # a page holds 50 rows: no more columns than they show
    return with_deadline_flag(rows).order_by(*ORDER)
