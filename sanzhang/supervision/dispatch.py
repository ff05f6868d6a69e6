"""The dispatch meeting on a monthly report: its record, its decisions and their follow-up."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, require
from sanzhang.audit.services import record as audit
from sanzhang.core.errors import Invalid

from .models import DispatchDecision, DispatchMeeting, MonthlyReport

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor


def _office(actor: Actor) -> None:
    require(
        actor, Can.RUN_SUPERVISION, _("Only the county office keeps the dispatch meeting's record.")
    )


def record_meeting(
    report: MonthlyReport, actor: Actor, *, held_on: datetime.date, attendees: str, record: str
) -> DispatchMeeting:
    _office(actor)
    if held_on < report.month:
        raise Invalid(_("The meeting cannot come before the month it reviews."))
    meeting, _created = DispatchMeeting.objects.update_or_create(
        report=report,
        defaults={
            "held_on": held_on,
            "attendees": attendees.strip(),
            "record": record.strip(),
            "recorded_by": actor,
        },
    )
    audit("dispatch.record", actor=actor, obj=meeting)
    return meeting


def add_decision(
    meeting: DispatchMeeting, actor: Actor, *, text: str, responsible: str, due_on: datetime.date
) -> DispatchDecision:
    _office(actor)
    text, responsible = text.strip(), responsible.strip()
    if not text or not responsible:
        raise Invalid(_("A decision needs its text and who carries it out."))
    decision = DispatchDecision.objects.create(
        meeting=meeting, text=text, responsible=responsible[:100], due_on=due_on
    )
    audit("dispatch.decide", actor=actor, obj=decision)
    return decision


def follow_up(decision: DispatchDecision, actor: Actor, *, note: str, done: bool) -> None:
    _office(actor)
    decision.follow_up = note.strip()
    decision.is_done = done
    decision.done_at = timezone.now() if done else None
    decision.save(update_fields=["follow_up", "is_done", "done_at"])
    audit("dispatch.follow_up", actor=actor, obj=decision, detail={"done": done})
