"""The points ledger's verbs. `award` is the one way any app gives points; `correct` the one
way to put an entry right; `change_rule` the one way a rule changes. Nothing here updates or
deletes an entry.

Causes and who awards them:
- `good_rating`, `issue_solved_on_time`: an issue rated satisfied (`hooks.py`), to the owner
  post's holder if a party member;
- `visit`, `wish_fulfilled`, `task_joined`, `training_attended`: their apps call
  `award(person, cause, the_visit_or_wish_or_task)` when they are built; until then a
  `Source(key, label)` names what earned the points (the demo does this);
- `correction`: only through `correct`, by the county office (in the organisation department).

Rules belong to a jurisdiction (`PointRule.place`): for each cause, the rule in force at the
place of what earned the points (else the person's home) is the county's, else its province's,
else the install's default. A county office changes its own county's rules.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Model, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, require
from sanzhang.audit.services import record
from sanzhang.core.errors import Conflict, Invalid
from sanzhang.issues.jurisdiction import code_of, in_force, own_place
from sanzhang.people.models import Person

from . import periods
from .models import Cause, DailyPoints, PointEntry, PointRule

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

REASON_MAX = 500


@dataclass(frozen=True)
class Source:
    """What earned points: a saved object, or a key and label where no model exists yet."""

    key: str
    label: str
    obj: Model | None = None


def source_of(source: Model | Source) -> Source:
    if isinstance(source, Source):
        return source
    label = getattr(source, "number", None) or str(source)
    return Source(f"{source._meta.label_lower}:{source.pk}", str(label)[:100], source)


def rule_in_force(cause: str, day: datetime.date, code: str | None = None) -> PointRule | None:
    """The version of `cause`'s rule in force on `day` at the place with `code`: the nearest
    jurisdiction's that has one in force then, else the default."""
    versions = PointRule.objects.filter(cause=cause, valid_from__lte=day).exclude(valid_to__lte=day)
    return in_force(versions, code).first()


def place_code_of(person: Person, found: Source) -> str | None:
    """Where points are earned: the place of what earned them, else the person's home."""
    place = getattr(found.obj, "place", None)
    if place is not None and hasattr(place, "code"):
        return str(place.code)
    household = person.household
    return str(household.place.code) if household is not None else None


def _lock_person(person_id: int) -> None:
    """Serialise awards to one person, so two at once cannot both slip under a cap. On
    PostgreSQL this row lock does it; on SQLite every transaction is IMMEDIATE (settings), so
    writers are serialised already and select_for_update is a no-op."""
    Person.objects.select_for_update().filter(pk=person_id).values_list("pk").first()


def points_in(person_id: int, period: periods.Period, cause: str | None = None) -> int:
    """A person's points in `period`, from `cause` only when given (from the entries; all of
    them from the person's points by day, one row per day rather than per entry)."""
    if cause is None:
        return points_by_person([person_id], period).get(person_id, 0)
    start, end = period.bounds()
    entries = PointEntry.objects.filter(person_id=person_id, cause=cause, at__gte=start, at__lt=end)
    return entries.aggregate(total=Sum("points"))["total"] or 0


def _capped(rule: PointRule, person_id: int, day: datetime.date) -> int:
    if rule.cap is None:
        return rule.points
    used = points_in(person_id, periods.containing(rule.cap_period, day), rule.cause)
    return max(0, min(rule.points, rule.cap - used))


def award(
    person: Person,
    cause: str,
    source: Model | Source,
    *,
    at: datetime.datetime | None = None,
    actor: Actor | None = None,
) -> PointEntry | None:
    """Give `person` the points the rule in force at `at` sets for `cause`, up to its cap.

    Idempotent per (person, cause, source): a retry returns the first entry. None when no rule
    is in force, it gives nothing, or the cap for the period is used up.
    """
    if cause not in Cause.values or cause == Cause.CORRECTION:
        raise Invalid(_("Unknown cause of points."))
    at = at or timezone.now()
    found = source_of(source)
    with transaction.atomic():
        _lock_person(person.pk)
        existing = PointEntry.objects.filter(
            person=person, cause=cause, source_key=found.key
        ).first()
        if existing is not None:
            return existing
        day = timezone.localdate(at)
        rule = rule_in_force(cause, day, place_code_of(person, found))
        points = _capped(rule, person.pk, day) if rule else 0
        if rule is None or points <= 0:
            return None
        entry = PointEntry(
            person=person,
            cause=cause,
            points=points,
            rule=rule,
            at=at,
            source_key=found.key,
            source_label=found.label,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if found.obj is not None:
            entry.source_type = ContentType.objects.get_for_model(found.obj)
            entry.source_id = found.obj.pk
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError:  # the same award, committed between our look and our insert
            return PointEntry.objects.get(person=person, cause=cause, source_key=found.key)
    return entry


def require_office(user: Actor) -> None:
    """Rules and corrections are the county office's (三长办, in the organisation department)."""
    require(
        user,
        Can.MANAGE_POINTS,
        _("Only the county office may change points rules or correct points."),
    )


def correct(
    person: Person, points: int, reason: str, *, actor: Actor, request: Any = None
) -> PointEntry:
    """A correction: a new entry of `points` (either sign) with the reason; audited."""
    require_office(actor)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("A correction needs a reason."))
    if len(reason) > REASON_MAX:
        raise Invalid(_("Please keep the reason under 500 characters."))
    if points == 0:
        raise Invalid(_("A correction of zero points changes nothing."))
    with transaction.atomic():
        entry = PointEntry.objects.create(
            person=person,
            cause=Cause.CORRECTION,
            points=points,
            reason=reason,
            at=timezone.now(),
            recorded_by=actor,
        )
        record(
            "points.corrected",
            actor=actor,
            request=request,
            obj=entry,
            detail={"person": person.pk, "points": points},
        )
    return entry


def change_rule(
    cause: str,
    *,
    points: int,
    valid_from: datetime.date,
    actor: Actor,
    cap: int | None = None,
    cap_period: str = "",
    note: str = "",
    request: Any = None,
) -> PointRule:
    """A new version of `cause`'s rule from `valid_from` (today or later): the version in force
    is closed on that day, never edited, so entries already made keep their points. The rule
    is the actor's own jurisdiction's (their county's); a county's first version of a cause
    starts its own rule beside the default, which stays as it is for the other counties."""
    require_office(actor)
    place = own_place(actor)
    if cause not in Cause.values or cause == Cause.CORRECTION:
        raise Invalid(_("Unknown cause of points."))
    if valid_from < timezone.localdate():
        raise Invalid(_("A rule change takes effect today or later, never in the past."))
    if cap is not None and not cap_period:
        raise Invalid(_("Say which period the cap is for."))
    with transaction.atomic():
        current = PointRule.objects.filter(place=place, cause=cause, valid_to__isnull=True).first()
        if current is not None:
            if valid_from <= current.valid_from:
                raise Invalid(_("The new version must start after the current one."))
            closed = PointRule.objects.filter(pk=current.pk, valid_to__isnull=True).update(
                valid_to=valid_from
            )
            if closed != 1:
                raise Conflict(_("Someone else changed this rule just now; please look again."))
        rule = PointRule.objects.create(
            place=place,
            cause=cause,
            points=points,
            cap=cap,
            cap_period=cap_period if cap else "",
            valid_from=valid_from,
            note=note.strip(),
            created_by=actor,
        )
        record(
            "points.rule_changed",
            actor=actor,
            request=request,
            obj=rule,
            detail={
                "cause": cause,
                "points": points,
                "cap": cap,
                "cap_period": cap_period,
                "valid_from": str(valid_from),
                "closed": current.pk if current else None,
                "place": code_of(place),
            },
        )
    return rule


def balance(person: Person | int, period: periods.Period | None = None) -> int:
    """A person's (or person id's) points in `period` (all time when None)."""
    person_id = person if isinstance(person, int) else person.pk
    if period is None:
        days = DailyPoints.objects.filter(person_id=person_id)
        return days.aggregate(t=Sum("points"))["t"] or 0
    return points_in(person_id, period)


def points_by_person(person_ids: Iterable[int], period: periods.Period) -> dict[int, int]:
    """Each of the people's points in `period`, in one query over their points by day (local
    days, as `points_in` and the ranking read them); those with no days in it are left out."""
    days = (
        DailyPoints.objects.filter(
            person_id__in=list(person_ids), day__gte=period.start, day__lt=period.end
        )
        .order_by()
        .values("person_id")
        .annotate(total=Sum("points"))
        .values_list("person_id", "total")
    )
    return dict(days)
