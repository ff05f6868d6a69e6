"""Assignment meetings (交办会): the county office puts hard issues on an agenda and gives each
to a lead department, with helpers and a deadline; the record says what went to whom."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, require
from sanzhang.access.scope import scope_filter
from sanzhang.core.errors import Invalid
from sanzhang.people.models import Organisation

from .models import AgendaItem, Issue, IssueEvent, Meeting, State, Tier
from .workflow import move

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor


def _office_only(actor: Actor) -> None:
    require(actor, Can.RUN_MEETINGS, _("Only the county office runs assignment meetings."))


def schedule(actor: Actor, *, title: str, held_on: datetime.date) -> Meeting:
    _office_only(actor)
    title = title.strip()
    if not title:
        raise Invalid(_("Give the meeting a title."))
    return Meeting.objects.create(title=title[:100], held_on=held_on, created_by=actor)


def meetings_visible_to(user: Actor) -> QuerySet[Meeting]:
    """The assignment meetings of the user's county (a province's office: of its counties)."""
    return Meeting.objects.filter(scope_filter(user, "created_by__organisation__place__code"))


def departments_of(user: Actor) -> QuerySet[Organisation]:
    """The functional departments of the user's county, which a meeting may assign to."""
    departments = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT)
    return departments.filter(scope_filter(user, "place__code"))


def waiting_for_meeting(user: Actor) -> QuerySet[Issue]:
    """Hard issues at the county office of the user's county not yet given to a department."""
    return Issue.objects.filter(
        scope_filter(user, "place__code"),
        tier=Tier.HARD,
        state=State.REPORTED,
        owner_organisation__kind=Organisation.Kind.COUNTY_OFFICE,
    )


def put_on_agenda(actor: Actor, meeting: Meeting, issue: Issue) -> AgendaItem:
    _office_only(actor)
    if meeting.is_held:
        raise Invalid(_("This meeting has already been held."))
    if not waiting_for_meeting(actor).filter(pk=issue.pk).exists():
        raise Invalid(
            _("Only hard issues at the county office, not yet assigned, go on an agenda.")
        )
    item, _created = AgendaItem.objects.get_or_create(meeting=meeting, issue=issue)
    return item


def assign(
    actor: Actor,
    item: AgendaItem,
    *,
    lead: Organisation,
    helpers: Iterable[Organisation] = (),
    due_on: datetime.date,
    note: str = "",
) -> IssueEvent:
    """Give an agenda item's issue to its lead department (and helpers) with a deadline."""
    _office_only(actor)
    helpers = [h for h in helpers if h.pk != lead.pk]
    ours = departments_of(actor)
    if any(not ours.filter(pk=org.pk).exists() for org in [lead, *helpers]):
        raise Invalid(_("Issues are assigned to functional departments."))
    if due_on < timezone.localdate():
        raise Invalid(_("The deadline is in the past."))
    issue = item.issue
    if item.assigned_at is not None:
        raise Invalid(_("This item was already assigned."))
    with transaction.atomic():
        event = move(
            issue,
            actor,
            kind=IssueEvent.Kind.ASSIGNED,
            to_state=State.ASSIGNED,
            note=note,
            data={
                "meeting": item.meeting_id,
                "lead": lead.name,
                "helpers": [h.name for h in helpers],
                "due_on": due_on.isoformat(),
            },
            changes={"owner_organisation": lead, "owner_post": None, "owner_place": lead.place},
        )
        issue.helper_organisations.set(helpers)
        item.lead_department = lead
        item.due_on = due_on
        item.assigned_at = event.at
        item.save(update_fields=["lead_department", "due_on", "assigned_at"])
        item.helper_departments.set(helpers)
    return event


def close_meeting(actor: Actor, meeting: Meeting, *, record: str = "") -> Meeting:
    """Mark the meeting held; its record is the note plus what was assigned to whom."""
    _office_only(actor)
    meeting.is_held = True
    meeting.record = record.strip()
    meeting.save(update_fields=["is_held", "record"])
    return meeting
