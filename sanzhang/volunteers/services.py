"""Registering volunteer riders, posting and joining tasks, recording service hours.

Joining a task with places left is one conditional UPDATE (`taken < slots`), so two riders
taking the last place at once cannot both get it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import in_scope
from sanzhang.audit.services import record as audit
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.people.models import Person
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import is_under, lineage
from sanzhang.posts.models import Post

from .models import Signup, Task, Volunteer

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor, Visitor

MAX_HOURS = Decimal(24)


def _staff_over(actor: Actor, place: Place) -> None:
    if not can(actor, Can.MANAGE_RIDERS) or not in_scope(actor, place.code):
        raise NotAllowed(_("Only the staff of this community or village do that here."))


def volunteer_of(user: Visitor) -> Volunteer | None:
    if not user.is_authenticated or user.person_id is None:
        return None
    return Volunteer.objects.filter(person_id=user.person_id, is_active=True).first()


def register(
    actor: Actor, *, person: Person, kind: str, company: str, place: Place, leader_post: Post
) -> Volunteer:
    _staff_over(actor, place)
    if kind not in Volunteer.Kind.values:
        raise Invalid(_("Choose what the volunteer does for a living."))
    if not (
        leader_post.place.code == place.code
        or leader_post.place.code.startswith(place.code + ".")
        or place.code.startswith(leader_post.place.code + ".")
    ):
        raise Invalid(_("The leader's post is not in this place."))
    try:
        with transaction.atomic():
            volunteer = Volunteer.objects.create(
                person=person,
                kind=kind,
                company=company.strip()[:50],
                place=place,
                leader_post=leader_post,
                registered_on=timezone.localdate(),
                registered_by=actor,
            )
    except IntegrityError:
        raise Conflict(_("This person is registered already.")) from None
    audit("volunteers.register", actor=actor, obj=volunteer)
    return volunteer


def post_task(
    actor: Actor,
    *,
    place: Place,
    title: str,
    description: str,
    starts_at: datetime.datetime,
    slots: int,
) -> Task:
    _staff_over(actor, place)
    title = title.strip()
    if not title:
        raise Invalid(_("Give the task a title."))
    if not 1 <= slots <= 500:
        raise Invalid(_("Between 1 and 500 volunteers."))
    task = Task.objects.create(
        place=place,
        title=title[:100],
        description=description.strip(),
        starts_at=starts_at,
        slots=slots,
        created_by=actor,
    )
    audit("volunteers.task", actor=actor, obj=task)
    return task


def county_of(code: str) -> str:
    """The code of the county the place with `code` lies in (itself above any county)."""
    counties = Place.objects.filter(code__in=lineage(code), kind=PlaceKind.COUNTY)
    return counties.values_list("code", flat=True).first() or code


def join(user: Actor, task: Task) -> Signup:
    volunteer = volunteer_of(user)
    if volunteer is None:
        raise NotAllowed(_("Only registered volunteer riders join tasks."))
    if not is_under(task.place.code, county_of(volunteer.place.code)):
        raise NotAllowed(_("This task is in another county."))
    with transaction.atomic():
        taken = Task.objects.filter(pk=task.pk, is_open=True, taken__lt=F("slots")).update(
            taken=F("taken") + 1
        )
        if not taken:
            raise Conflict(_("This task is full or closed."))
        try:
            with transaction.atomic():
                signup = Signup.objects.create(task=task, volunteer=volunteer)
        except IntegrityError:
            raise Conflict(_("You have joined this task already.")) from None
    return signup


def record_hours(actor: Actor, signup: Signup, hours: str) -> None:
    _staff_over(actor, signup.task.place)
    try:
        value = Decimal(hours).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise Invalid(_("Give the hours as a number, such as 1.5.")) from None
    if not value.is_finite() or not Decimal(0) < value <= MAX_HOURS:
        raise Invalid(_("Between 0.1 and 24 hours."))
    signup.hours, signup.hours_recorded_by = value, actor
    signup.save(update_fields=["hours", "hours_recorded_by"])  # (points notice the hours)
    audit("volunteers.hours", actor=actor, obj=signup, detail={"hours": str(value)})


def hours_of(volunteer: Volunteer) -> Decimal:
    total = volunteer.signups.aggregate(total=Sum("hours"))["total"]
    return total or Decimal(0)
