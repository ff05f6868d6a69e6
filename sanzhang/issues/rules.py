"""The county office's settings of the issue loop: categories, routing rules, step deadlines,
holidays.

They are data, so the office changes them without a release; each change is audited and
applies to steps entered afterwards (deadlines already set on issues stay as promised).

An office changes the rules of its own jurisdiction (`jurisdiction.own_place`: its county).
Step deadlines and holidays are kept per key, so a county's row simply overrides the default.
Categories and routing rules work as a set, so a county's first change copies the set in force
there (the province's or the defaults) as its own, and changes the copy: the shared defaults
stay as they are for the other counties.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, require
from sanzhang.audit.services import record
from sanzhang.core.errors import Invalid, NotAllowed
from sanzhang.places.models import Place, PlaceKind

from .jurisdiction import code_of, in_force, own_place
from .models import Category, Holiday, OwnerLevel, RoutingRule, State, StepDeadline, Tier

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

TIMED_STATES = [
    State.REPORTED,
    State.ASSIGNED,
    State.IN_PROGRESS,
    State.HANDLED,
    State.INSPECTED,
    State.FED_BACK,
]


def _office_only(actor: Actor) -> None:
    require(
        actor,
        Can.CHANGE_ISSUE_RULES,
        _("Only the county office changes the rules of the issue loop."),
    )


def _own_categories(place: Place) -> None:
    """Give `place` its own copy of the categories in force there, if it has none yet, and
    point its own routing rules at the copies."""
    if Category.objects.filter(place=place).exists():
        return
    for category in in_force(Category.objects.all(), place.code):
        category.pk, category.place = None, place
        category.save()
    copies = {c.code: c for c in Category.objects.filter(place=place)}
    for rule in RoutingRule.objects.filter(place=place).select_related("category"):
        if rule.category is not None and rule.category.code in copies:
            rule.category = copies[rule.category.code]
            rule.save(update_fields=["category"])


def _own_rules(place: Place) -> None:
    """Give `place` its own copy of the routing rules in force there, if it has none yet."""
    if RoutingRule.objects.filter(place=place).exists():
        return
    rules = in_force(RoutingRule.objects.select_related("category"), place.code)
    for rule in rules:
        if rule.category is not None:
            rule.category = _category_at(place, rule.category)
        rule.pk, rule.place = None, place
        rule.save()


def _category_at(place: Place | None, category: Category) -> Category:
    """The category in force at `place` with `category`'s code (its own copy, if any)."""
    found = in_force(Category.objects.all(), code_of(place)).filter(code=category.code).first()
    return found or category


def parse_levels(text: str) -> str:
    levels = [level.strip() for level in text.replace("，", ",").split(",") if level.strip()]
    unknown = [level for level in levels if level not in OwnerLevel.values]
    if not levels or unknown:
        raise Invalid(
            _("Owner levels must be some of: %(levels)s.")
            % {"levels": ", ".join(OwnerLevel.values)}
        )
    if OwnerLevel.COUNTY_OFFICE in levels and len(levels) > 1:
        raise Invalid(_("county_office stands alone: it sends the issue up."))
    return ",".join(levels)


def save_routing_rule(
    actor: Actor,
    *,
    tier: str,
    owner_levels: str,
    category: Category | None = None,
    place_kind: str = "",
) -> RoutingRule:
    """Add the rule for (tier, category, kind of place), or change its owner levels."""
    _office_only(actor)
    if tier not in Tier.values:
        raise Invalid(_("Unknown tier."))
    if place_kind and place_kind not in PlaceKind.values:
        raise Invalid(_("Unknown kind of place."))
    levels = parse_levels(owner_levels)
    place = own_place(actor)
    try:
        with transaction.atomic():
            if place is not None:
                _own_rules(place)
            rule, created = RoutingRule.objects.update_or_create(
                place=place,
                tier=tier,
                category=_category_at(place, category) if category else None,
                place_kind=place_kind,
                defaults={"owner_levels": levels},
            )
    except IntegrityError as error:  # a concurrent save of the same rule
        raise Invalid(_("That rule was just saved by someone else.")) from error
    record(
        "issues.routing_rule_saved",
        actor=actor,
        obj=rule,
        detail={"created": created, "owner_levels": levels, "place": code_of(place)},
    )
    return rule


def delete_routing_rule(actor: Actor, rule: RoutingRule) -> None:
    """Remove a rule in force at the actor's county: its own one, or (copying the set first)
    its copy of an inherited one."""
    _office_only(actor)
    if rule.category_id is None and rule.place_kind == "":
        raise Invalid(_("The general rule of a tier can be changed but not removed."))
    place = own_place(actor)
    if not in_force(RoutingRule.objects.all(), code_of(place)).filter(pk=rule.pk).exists():
        raise NotAllowed(_("That rule is not one of your jurisdiction's."))
    with transaction.atomic():
        if place is not None and rule.place_id != place.pk:
            _own_rules(place)
            same_category = (
                {"category__code": rule.category.code}
                if rule.category
                else {"category__isnull": True}
            )
            rule = RoutingRule.objects.get(
                place=place, tier=rule.tier, place_kind=rule.place_kind, **same_category
            )
        record("issues.routing_rule_deleted", actor=actor, obj=rule)
        rule.delete()


def set_step_deadline(actor: Actor, *, tier: str, state: str, working_days: int) -> StepDeadline:
    _office_only(actor)
    if tier not in Tier.values or state not in TIMED_STATES:
        raise Invalid(_("Unknown tier or step."))
    if not 1 <= working_days <= 250:
        raise Invalid(_("Give between 1 and 250 working days."))
    place = own_place(actor)
    deadline, _created = StepDeadline.objects.update_or_create(
        place=place, tier=tier, state=state, defaults={"working_days": working_days}
    )
    record(
        "issues.step_deadline_set",
        actor=actor,
        obj=deadline,
        detail={
            "tier": tier,
            "state": state,
            "working_days": working_days,
            "place": code_of(place),
        },
    )
    return deadline


def save_holiday(
    actor: Actor, *, date: datetime.date, name: str, is_working_day: bool = False
) -> Holiday:
    """A day off (or a weekend day worked, 调休); saving a date again changes it."""
    _office_only(actor)
    name = name.strip()
    if not name:
        raise Invalid(_("Name the holiday."))
    holiday, _created = Holiday.objects.update_or_create(
        place=own_place(actor),
        date=date,
        defaults={"name": name[:50], "is_working_day": is_working_day},
    )
    record("issues.holiday_saved", actor=actor, obj=holiday)
    return holiday


def delete_holiday(actor: Actor, holiday: Holiday) -> None:
    """Remove one of the actor's own days; an inherited day is overridden by saving the date."""
    _office_only(actor)
    place = own_place(actor)
    if holiday.place_id != (place.pk if place else None):
        raise NotAllowed(
            _("That day is set above your county; save the date to override it instead.")
        )
    record("issues.holiday_deleted", actor=actor, obj=holiday)
    holiday.delete()


def save_category(
    actor: Actor,
    *,
    code: str,
    name: str,
    keywords: str = "",
    default_tier: str = Tier.SIMPLE,
    is_active: bool = True,
) -> Category:
    """Add or change a category of the actor's county (copying the categories in force there
    first, so the shared defaults stay as they are)."""
    _office_only(actor)
    if default_tier not in Tier.values:
        raise Invalid(_("Unknown tier."))
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise Invalid(_("Give the category a code and a name."))
    place = own_place(actor)
    try:
        with transaction.atomic():
            if place is not None:
                _own_categories(place)
            category, created = Category.objects.update_or_create(
                place=place,
                code=code[:32],
                defaults={
                    "name": name[:50],
                    "keywords": keywords,
                    "default_tier": default_tier,
                    "is_active": is_active,
                },
            )
    except IntegrityError as error:  # the name is another category's, or a concurrent save
        raise Invalid(_("Another category already has that name.")) from error
    record(
        "issues.category_saved",
        actor=actor,
        obj=category,
        detail={"created": created, "code": category.code, "place": code_of(place)},
    )
    return category
