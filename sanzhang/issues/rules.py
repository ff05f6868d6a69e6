"""The county office's settings of the issue loop: routing rules, step deadlines, holidays.

They are data, so the office changes them without a release; each change is audited and
applies to steps entered afterwards (deadlines already set on issues stay as promised).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, require
from sanzhang.audit.services import record
from sanzhang.core.errors import Invalid
from sanzhang.places.models import PlaceKind

from .models import Category, Holiday, OwnerLevel, RoutingRule, State, StepDeadline, Tier

TIMED_STATES = [
    State.REPORTED,
    State.ASSIGNED,
    State.IN_PROGRESS,
    State.HANDLED,
    State.INSPECTED,
    State.FED_BACK,
]


def _office_only(actor: Any) -> None:
    require(
        actor,
        Can.CHANGE_ISSUE_RULES,
        _("Only the county office changes the rules of the issue loop."),
    )


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
    actor: Any,
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
    try:
        with transaction.atomic():
            rule, created = RoutingRule.objects.update_or_create(
                tier=tier,
                category=category,
                place_kind=place_kind,
                defaults={"owner_levels": levels},
            )
    except IntegrityError as error:  # a concurrent save of the same rule
        raise Invalid(_("That rule was just saved by someone else.")) from error
    record(
        "issues.routing_rule_saved",
        actor=actor,
        obj=rule,
        detail={"created": created, "owner_levels": levels},
    )
    return rule


def delete_routing_rule(actor: Any, rule: RoutingRule) -> None:
    _office_only(actor)
    if rule.category_id is None and rule.place_kind == "":
        raise Invalid(_("The general rule of a tier can be changed but not removed."))
    record("issues.routing_rule_deleted", actor=actor, obj=rule)
    rule.delete()


def set_step_deadline(actor: Any, *, tier: str, state: str, working_days: int) -> StepDeadline:
    _office_only(actor)
    if tier not in Tier.values or state not in TIMED_STATES:
        raise Invalid(_("Unknown tier or step."))
    if not 1 <= working_days <= 250:
        raise Invalid(_("Give between 1 and 250 working days."))
    deadline, _created = StepDeadline.objects.update_or_create(
        tier=tier, state=state, defaults={"working_days": working_days}
    )
    record(
        "issues.step_deadline_set",
        actor=actor,
        obj=deadline,
        detail={"tier": tier, "state": state, "working_days": working_days},
    )
    return deadline


def save_holiday(
    actor: Any, *, date: datetime.date, name: str, is_working_day: bool = False
) -> Holiday:
    """A day off (or a weekend day worked, 调休); saving a date again changes it."""
    _office_only(actor)
    name = name.strip()
    if not name:
        raise Invalid(_("Name the holiday."))
    holiday, _created = Holiday.objects.update_or_create(
        date=date, defaults={"name": name[:50], "is_working_day": is_working_day}
    )
    record("issues.holiday_saved", actor=actor, obj=holiday)
    return holiday


def delete_holiday(actor: Any, holiday: Holiday) -> None:
    _office_only(actor)
    record("issues.holiday_deleted", actor=actor, obj=holiday)
    holiday.delete()
