"""Deadlines passed: flags for lists, and the automatic escalation one level up."""

from __future__ import annotations

import datetime

from django.db.models import Case, CharField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.core.errors import Refusal

from .models import Issue, IssueEvent, State, Tier
from .workflow import escalate, move

NEAR = datetime.timedelta(hours=24)
# Steps where an owner is working; later steps wait on the inspector or the reporter.
ESCALATING_STATES = [State.REPORTED, State.ASSIGNED, State.IN_PROGRESS]
REMINDING_STATES = [State.HANDLED, State.INSPECTED]


def with_deadline_flag(issues: QuerySet[Issue], now: datetime.datetime | None = None) -> QuerySet:
    """Annotate `deadline_flag`: "overdue", "near" (due within a day) or ""."""
    now = now or timezone.now()
    return issues.annotate(
        deadline_flag=Case(
            When(due_at__lt=now, then=Value("overdue")),
            When(due_at__lt=now + NEAR, then=Value("near")),
            default=Value(""),
            output_field=CharField(),
        )
    )


def escalate_overdue(now: datetime.datetime | None = None) -> int:
    """Escalate every overdue issue one level, telling the owner's superior; returns how many
    moved. Each issue gets a fresh deadline with its move, so a second run finds nothing new
    (the run is idempotent); an issue someone acted on meanwhile is left to them."""
    now = now or timezone.now()
    moved = 0
    overdue = Issue.objects.filter(
        due_at__lt=now, state__in=ESCALATING_STATES + REMINDING_STATES
    ).select_related("owner_place", "owner_organisation", "category", "place")
    for issue in overdue.iterator(chunk_size=200):
        reason = _("Step overdue since %(due)s.") % {
            "due": timezone.localtime(issue.due_at).strftime("%Y-%m-%d %H:%M")
        }
        try:
            if issue.state in ESCALATING_STATES and issue.tier != Tier.HARD:
                escalate(issue, None, reason=reason, kind=IssueEvent.Kind.OVERDUE)
            else:
                # At the top already, or waiting on an inspector: tell the superior, and
                # restart the step's clock so the notice is not repeated every run.
                move(
                    issue,
                    None,
                    kind=IssueEvent.Kind.OVERDUE,
                    to_state=issue.state,
                    note=reason,
                    changes={"escalation_count": issue.escalation_count + 1},
                    at=now,
                )
        except Refusal:
            continue  # acted on concurrently: no longer this sweep's business
        moved += 1
    return moved
