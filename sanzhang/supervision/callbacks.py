"""Results fed back and not rated: the resident is reminded once (请评价), and when they still
have not rated, the community or county office calls them back (回访) and records their answer
for them (`issues.workflow.rate_on_behalf`), marked so on the timeline and counted apart."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from sanzhang.access.actor import Actor
from sanzhang.access.roles import Can, can
from sanzhang.access.scope import scope_filter
from sanzhang.issues.models import Issue, IssueEvent, State
from sanzhang.notifications.models import Notification
from sanzhang.notifications.services import tell


def _fed_back_before(moment: datetime.datetime) -> QuerySet[Issue]:
    """Issues waiting for their rating since before `moment` (their latest feedback)."""
    return (
        Issue.objects.filter(state=State.FED_BACK)
        .annotate(fed_back_at=Max("events__at", filter=Q(events__kind=IssueEvent.Kind.FED_BACK)))
        .filter(fed_back_at__lt=moment)
    )


def remind_unrated(now: datetime.datetime | None = None) -> int:
    """Remind each reporter once of a result waiting for their rating; returns how many."""
    now = now or timezone.now()
    waiting = _fed_back_before(now - datetime.timedelta(days=settings.RATING_REMINDER_DAYS))
    told = 0
    # Once per feedback round: a result reopened and fed back again is reminded again.
    rounds = {
        f"issue:{issue.number}:{issue.fed_back_at:%Y%m%d%H%M%S}:rating": issue  # type: ignore[attr-defined]
        for issue in waiting.filter(reporter__isnull=False).select_related("place")
    }
    already = set(
        Notification.objects.filter(subject__in=list(rounds)).values_list("subject", flat=True)
    )
    for subject, issue in rounds.items():
        if subject in already:
            continue
        with override("zh-hans"):  # the text goes to phones and group chats as it is
            text = _("Your report %(number)s was dealt with: please rate the result.") % {
                "number": issue.number
            }
        told += tell(
            subject=subject,
            text=text,
            link=reverse("resident:detail", args=[issue.number]),
            place_code=issue.place.code,
            readers={issue.reporter_id or 0: "reporter"},  # the filter keeps reporters
            channels=False,  # to the resident alone, not to the group chats over the place
        )
    return told


def callbacks_due(actor: Actor, now: datetime.datetime | None = None) -> QuerySet[Issue]:
    """Fed-back issues of the actor's area whose residents have not rated them in time."""
    if not can(actor, Can.CALL_BACK_RESIDENTS):
        return Issue.objects.none()
    now = now or timezone.now()
    late = _fed_back_before(now - datetime.timedelta(days=settings.CALLBACK_AFTER_DAYS))
    return (
        late.filter(scope_filter(actor, "place__code"))
        .select_related("place", "category", "reporter__person__household")
        .order_by("fed_back_at")  # type: ignore[misc]  # the annotation above
    )
