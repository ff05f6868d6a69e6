"""Leaders' allowances (补贴) where the county pays them: for a month, each current post
holder of the area gets the points they earned that month (the points ledger, corrections
included) times the county's yuan per point, at most the monthly cap, rounded to the fen.

The list is what the county pays; paying it is left to the county's finance office (it is not
written as spendings here), so the list and its Excel are the record handed over.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import in_scope, scope_filter
from sanzhang.audit.services import record as audit
from sanzhang.core.errors import Invalid, NotAllowed
from sanzhang.places.models import Place, PlaceKind
from sanzhang.points import periods
from sanzhang.points.services import points_by_person
from sanzhang.posts.models import Tenure

from .models import AllowanceRule, Fund
from .money import FEN

if TYPE_CHECKING:
    from django.http import HttpRequest

    from sanzhang.access.actor import Actor


@dataclass
class Allowance:
    person_id: int
    name: str
    posts: list[str]
    points: int
    amount: Decimal


def rule_of(county: Place) -> AllowanceRule | None:
    return AllowanceRule.objects.filter(place=county).order_by("-set_at", "-id").first()


def set_rule(
    actor: Actor,
    county: Place,
    *,
    yuan_per_point: Decimal,
    monthly_cap: Decimal,
    fund: str,
    request: HttpRequest | None = None,
) -> AllowanceRule:
    """A new version of the county's rule (the old ones stay, for the months they priced)."""
    if not can(actor, Can.SET_ALLOWANCES) or not in_scope(actor, county.code):
        raise NotAllowed(_("Only the county office sets the allowance rule."))
    if county.kind != PlaceKind.COUNTY:
        raise Invalid(_("The allowance rule is the county's."))
    if fund not in Fund.values:
        raise Invalid(_("Choose one of the funds."))
    if yuan_per_point >= Decimal("1000000"):
        raise Invalid(_("The yuan per point is too large."))
    rule = AllowanceRule.objects.create(
        place=county,
        yuan_per_point=yuan_per_point,
        monthly_cap=monthly_cap,
        fund=fund,
        set_by=actor,
        set_at=timezone.now(),
    )
    audit("funds.allowance_rule_set", actor=actor, request=request, obj=rule)
    return rule


def price(points: int, rule: AllowanceRule) -> Decimal:
    if points <= 0:
        return Decimal("0.00")
    amount = (Decimal(points) * rule.yuan_per_point).quantize(FEN, rounding=ROUND_HALF_UP)
    return min(amount, rule.monthly_cap)


def allowances(actor: Actor, rule: AllowanceRule, month: datetime.date) -> list[Allowance]:
    """The month's allowance of each current post holder of the actor's area (two queries)."""
    tenures = (
        Tenure.objects.current()
        .filter(scope_filter(actor, "post__place__code"), role=Tenure.Role.HOLDER)
        .filter(post__place__code__under=rule.place.code)
        .select_related("person", "post__place")
        .order_by("post__place__code", "post__kind")
    )
    found: dict[int, Allowance] = {}
    for tenure in tenures:
        row = found.setdefault(
            tenure.person_id, Allowance(tenure.person_id, tenure.person.name, [], 0, Decimal(0))
        )
        row.posts.append(f"{tenure.post.place.name} {tenure.post.get_kind_display()}")
    # The points app's own figure, from its points by day: the month runs from local midnight
    # to local midnight (the county's zone), whole days, so the days answer it exactly.
    earned = points_by_person(found, periods.month(month.year, month.month))
    for person_id, points in earned.items():
        found[person_id].points = points
    for allowance in found.values():
        allowance.amount = price(allowance.points, rule)
    return list(found.values())
