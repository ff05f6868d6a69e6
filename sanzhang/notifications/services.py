"""Telling people what happened to an issue."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils import timezone

from sanzhang.issues.models import IssueEvent

from .models import Delivery, Endpoint, Notification
from .recipients import recipients
from .tasks import enqueue


def notify(event: IssueEvent) -> list[Notification]:
    """In-app notices of `event`, and outbox rows for the outgoing channels over its place,
    written in the caller's transaction (so they exist exactly when the step does). The
    channels are sent by the background worker once the step has committed."""
    rows = [
        Notification(recipient_id=user_id, event=event, reason=reason)
        for user_id, reason in recipients(event).items()
    ]
    notices = Notification.objects.bulk_create(rows)
    code = event.issue.place.code
    parts = code.split(".")
    covering = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    endpoints = Endpoint.objects.filter(is_active=True, place__code__in=covering)
    deliveries = Delivery.objects.bulk_create(
        Delivery(endpoint=endpoint, event=event, next_attempt_at=timezone.now())
        for endpoint in endpoints
    )
    for delivery in deliveries:
        transaction.on_commit(partial(enqueue, delivery.pk))
    return notices
