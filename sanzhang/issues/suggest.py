"""Suggesting a category, a tier and a hard issue's lead department from a report's text. A
person always confirms; the suggestion only saves them a tap when it is right.

The county's triage model (`sanzhang.triage`, trained by the worker from the county's
confirmed history: `triage_training`) answers when the county has one; until then the
categories' keywords and default tiers do."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise

from django.db.models import Count, QuerySet
from django.utils import timezone

from sanzhang.people.models import Organisation
from sanzhang.places.models import Place
from sanzhang.triage import services as triage

from .jurisdiction import in_force
from .models import TIER_ORDER, Category, Issue, Tier

RECURRING_DAYS = 90
RECURRING_COUNT = 3  # the same problem this often in a grid is no longer simple


def _bigrams(text: str) -> set[str]:
    """Character pairs: Chinese has no spaces, and pairs catch most words (路灯, 漏水)."""
    chars = [c for c in text if not c.isspace()]
    return {a + b for a, b in pairwise(chars)}


def categories_at(code: str | None) -> QuerySet[Category]:
    """The active categories in force at the place with `code` (its county's own, if any)."""
    return in_force(Category.objects.all(), code).filter(is_active=True)


def category_at(code: str | None, category_code: str) -> Category | None:
    """The category in force at the place with `code` that has this code (a default category
    chosen for a county with its own copies becomes the county's copy)."""
    return categories_at(code).filter(code=category_code).first()


def suggest_category(
    text: str,
    categories: list[Category] | None = None,
    *,
    code: str | None = None,
    model: bool = True,
) -> Category | None:
    """The likeliest of `categories` (by default those in force at the place with `code`):
    the county's triage model's when it has one (and `model`), else the keywords'. No
    history is read."""
    categories = categories if categories is not None else list(categories_at(code))
    if not categories:
        return None
    suggestion = triage.predict(code, text) if code and model else None
    if suggestion is not None:
        found = next((c for c in categories if c.code == suggestion.category_code), None)
        if found is not None:
            return found
    return _by_keywords(text, categories)


def _by_keywords(text: str, categories: list[Category]) -> Category:
    scores: Counter[int] = Counter()
    for category in categories:
        for keyword in category.keywords.split():
            if keyword and keyword in text:
                scores[category.pk] += 3 * len(keyword)
    if not scores:
        return next((c for c in categories if c.code == "other"), categories[0])
    best = scores.most_common(1)[0][0]
    return next(c for c in categories if c.pk == best)


def suggest_tier(
    category: Category, place: Place, *, text: str = "", report: Issue | None = None
) -> str:
    """The tier the county's triage model reads in `text` when it has a model (and `text` is
    given), else the category's default; one higher when the same problem keeps coming back
    in the same grid (a recurring problem needs more than the unit leader). For a `report`
    already stored, its own text and time, and the others before it."""
    if report is not None:
        text = report.text
    suggestion = triage.predict(place.code, text) if text else None
    tier = Tier(suggestion.tier if suggestion is not None else category.default_tier)
    grid_code = _grid_code(place)
    if grid_code is None:
        return tier
    now = report.created_at if report is not None else timezone.now()
    since = now - datetime.timedelta(days=RECURRING_DAYS)
    # By the grid's places (issue_place_category_created): joined by code instead, the
    # database read every issue of the category, all counties' in a province.
    places = Place.objects.filter(code__under=grid_code).values("pk")
    earlier = Issue.objects.filter(category=category, created_at__gte=since, place__in=places)
    if report is not None:
        earlier = earlier.filter(created_at__lte=now).exclude(pk=report.pk)
    recent = earlier.order_by().aggregate(n=Count("pk"))["n"]
    if recent >= RECURRING_COUNT and tier != Tier.HARD:
        return TIER_ORDER[TIER_ORDER.index(tier) + 1]
    return tier


def suggest_lead_department(
    issue: Issue, departments: Iterable[Organisation]
) -> Organisation | None:
    """The one of `departments` the county's model reads as the lead of this hard issue, from
    the meetings' past assignments; None when the county has no model or it names none of
    them."""
    name = triage.predict_department(issue.place.code, issue.text)
    return next((d for d in departments if name and d.name == name), None)


def _grid_code(place: Place) -> str | None:
    if place.kind == "grid":
        return place.code
    grid = next((p for p in reversed(place.ancestors()) if p.kind == "grid"), None)
    return grid.code if grid is not None else None
