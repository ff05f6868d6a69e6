"""The county's intake rules held in memory: categories, routing rules, step deadlines,
holidays and county offices of every jurisdiction, read in a handful of queries and kept for
seconds (`core.kept`), so that taking in a report reads none of them from the database.

They are data the county office edits a few times a year, and small even for a province (a few
thousand rows). Saving or deleting any of them (`save()`, `delete()`: a bulk insert or a
queryset's `update()` sends no signal; call `forget()` after one) empties this process's copy at
once; other processes (gunicorn workers, other nodes) read them again within 30 seconds.
Which jurisdiction's rules are in force follows `jurisdiction.in_force` and `layered`: the
nearest place in the lineage that has any (or, for deadlines, a row for that step), else the
defaults (rows with no place).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from sanzhang.core.kept import Kept
from sanzhang.people.models import Organisation
from sanzhang.places.models import Place
from sanzhang.places.tree import lineage

from .models import Category, Holiday, RoutingRule, StepDeadline

DEFAULTS = ""  # the jurisdiction key of the install's defaults (rows with no place)


@dataclass
class Book:
    categories: dict[str, list[Category]] = field(default_factory=dict)  # every one, active or not
    rules: dict[str, list[RoutingRule]] = field(default_factory=dict)
    deadlines: dict[str, dict[tuple[str, str], int]] = field(default_factory=dict)
    holidays: dict[str, dict[datetime.date, bool]] = field(default_factory=dict)
    offices: dict[str, Organisation] = field(default_factory=dict)


def _key(place_code: str | None) -> str:
    return place_code or DEFAULTS


def _read() -> Book:
    book = Book()
    grouped: dict[str, list[Category]] = defaultdict(list)
    for category in Category.objects.select_related("place").order_by("code", "pk"):
        grouped[_key(category.place.code if category.place else None)].append(category)
    book.categories = dict(grouped)
    rules: dict[str, list[RoutingRule]] = defaultdict(list)
    for rule in RoutingRule.objects.select_related("place", "category").order_by("pk"):
        rules[_key(rule.place.code if rule.place else None)].append(rule)
    book.rules = dict(rules)
    deadlines: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)
    for code, tier, state, days in StepDeadline.objects.values_list(
        "place__code", "tier", "state", "working_days"
    ):
        deadlines[_key(code)][(tier, state)] = days
    book.deadlines = dict(deadlines)
    holidays: dict[str, dict[datetime.date, bool]] = defaultdict(dict)
    for code, day, working in Holiday.objects.values_list("place__code", "date", "is_working_day"):
        holidays[_key(code)][day] = working
    book.holidays = dict(holidays)
    offices = Organisation.objects.filter(kind=Organisation.Kind.COUNTY_OFFICE)
    for office in offices.select_related("place").order_by("-pk"):
        book.offices[office.place.code] = office  # the first made wins, as `order_by("pk")`
    return book


def _nearest(held: Mapping[str, object], code: str | None) -> str:
    """The jurisdiction key in `held` nearest to the place with `code`, else the defaults."""
    if code is not None:
        for candidate in reversed(lineage(code)):
            if candidate in held:
                return candidate
    return DEFAULTS


def categories(code: str | None) -> list[Category]:
    """The active categories in force at the place with `code` (`suggest.categories_at`)."""
    rules = book().categories
    return [c for c in rules.get(_nearest(rules, code), []) if c.is_active]


def category(code: str | None, category_code: str) -> Category | None:
    return next((c for c in categories(code) if c.code == category_code), None)


def routing_rules(code: str | None) -> list[RoutingRule]:
    rules = book().rules
    return rules.get(_nearest(rules, code), [])


def working_days(tier: str, state: str, code: str | None) -> int | None:
    """The nearest jurisdiction's days for this step (`deadlines.working_days_for`)."""
    deadlines = book().deadlines
    for candidate in [*reversed(lineage(code)), DEFAULTS] if code else [DEFAULTS]:
        days = deadlines.get(candidate, {}).get((tier, state))
        if days is not None:
            return days
    return None


def holidays(start: datetime.date, end: datetime.date, code: str | None) -> dict:
    """Days off and days worked from `start` to `end`, every jurisdiction's, the nearest
    winning (`calendar._overrides`)."""
    known = book().holidays
    found: dict[datetime.date, bool] = {}
    for candidate in [DEFAULTS, *lineage(code)] if code else [DEFAULTS]:
        for day, working in known.get(candidate, {}).items():
            if start <= day <= end:
                found[day] = working
    return found


def county_office(code: str) -> Organisation | None:
    """The county office nearest above the place with `code` (`routing.county_office`)."""
    offices = book().offices
    return next((offices[c] for c in reversed(lineage(code)) if c in offices), None)


# A place whose code changes (a county moved) changes the keys the rules are kept under.
_kept = Kept(_read, [Category, RoutingRule, StepDeadline, Holiday, Organisation, Place])
book = _kept.get
forget = _kept.forget
