"""Telling people what happened to an issue."""

from __future__ import annotations

from sanzhang.issues.models import IssueEvent

from .models import Notification
from .recipients import recipients


def notify(event: IssueEvent) -> list[Notification]:
    """In-app notices of `event`, written in the caller's transaction (so they exist exactly
    when the step does)."""
    rows = [
        Notification(recipient_id=user_id, event=event, reason=reason)
        for user_id, reason in recipients(event).items()
    ]
    return Notification.objects.bulk_create(rows)
