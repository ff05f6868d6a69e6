"""Telling people what happened: to an issue (`notify`, heard from the issue loop) or to any
other subject (`tell`, called by the listeners of micro-wishes and rectification items)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

from django.db import transaction
from django.utils import timezone

from sanzhang.core.kept import Kept
from sanzhang.issues.models import Issue, IssueEvent
from sanzhang.places.tree import lineage

from .models import Delivery, Endpoint, Notification
from .recipients import recipients
from .tasks import enqueue


def _read_active() -> list[Endpoint]:
    return list(Endpoint.objects.filter(is_active=True).select_related("place").order_by("pk"))


# Read on every step of every issue, changed a few times a year: kept in memory (core.kept).
_active = Kept(_read_active, [Endpoint])


def _endpoints_over(code: str, kinds: Sequence[str] = ()) -> list[Endpoint]:
    """The active outgoing channels of this place and every place above it; with `kinds`, the
    nearest channel of each of those kinds only (a personal text goes out once, not once per
    SMS provider configured along the way)."""
    above = set(lineage(code))
    endpoints = [
        e
        for e in _active.get()
        # An organisation's system hears of its own issues only.
        if e.place.code in above and e.kind != Endpoint.Kind.SYSTEM
    ]
    if not kinds:
        return endpoints
    nearest: dict[str, Endpoint] = {}
    for endpoint in sorted(endpoints, key=lambda e: -e.place.depth):
        if endpoint.kind in kinds:
            nearest.setdefault(endpoint.kind, endpoint)
    return list(nearest.values())


def _systems_of(issue: Issue, *, new: bool = False) -> list[Endpoint]:
    """The active systems of the organisations that lead the issue or help with it (a `new`
    issue has no helpers yet)."""
    organisations = {issue.owner_organisation_id} - {None}
    if not new:
        helping = Issue.helper_organisations.through.objects.filter(issue_id=issue.pk)
        organisations |= set(helping.values_list("organisation_id", flat=True))
    systems = (e for e in _active.get() if e.kind == Endpoint.Kind.SYSTEM)
    return [e for e in systems if e.organisation_id in organisations]


def _send_after_commit(deliveries: list[Delivery]) -> None:
    for delivery in deliveries:
        transaction.on_commit(partial(enqueue, delivery.pk))


def notify(event: IssueEvent) -> list[Notification]:
    """In-app notices of `event`, and outbox rows for the outgoing channels over its place,
    written in the caller's transaction (so they exist exactly when the step does). The
    channels are sent by the background worker once the step has committed."""
    rows = [
        Notification(recipient_id=user_id, event=event, reason=reason)
        for user_id, reason in recipients(event).items()
    ]
    notices = Notification.objects.bulk_create(rows)
    deliveries = Delivery.objects.bulk_create(
        Delivery(endpoint=endpoint, event=event, next_attempt_at=timezone.now())
        for endpoint in _endpoints_over(event.issue.place.code)
        + _systems_of(event.issue, new=event.kind == IssueEvent.Kind.REPORTED)
    )
    _send_after_commit(deliveries)
    return notices


def tell(
    *,
    subject: str,
    text: str,
    link: str,
    place_code: str,
    readers: Mapping[int, str],
    channels: bool = True,
    channel_kinds: Sequence[str] = (),
) -> int:
    """Notices of `subject` (unique: "wish:12:claimed:345") to `readers` (user id → why they
    are told), and (unless `channels` is False: a notice for the readers alone) one outbox row
    per channel over the place (of `channel_kinds`, when given: a personal notice goes to SMS
    alone, never to a group chat), in the caller's transaction. Telling of the same subject twice
    adds nothing. The text names no resident: channels are group chats and phones. Returns the
    number of readers told."""
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=user_id, subject=subject, text=text, link=link, reason=why)
            for user_id, why in readers.items()
        ],
        ignore_conflicts=True,
    )
    if not channels:
        return len(readers)
    now = timezone.now()
    Delivery.objects.bulk_create(
        [
            Delivery(endpoint=endpoint, subject=subject, text=text, next_attempt_at=now)
            for endpoint in _endpoints_over(place_code, channel_kinds)
        ],
        ignore_conflicts=True,
    )
    pending = Delivery.objects.filter(subject=subject, status=Delivery.Status.PENDING)
    _send_after_commit(list(pending))
    return len(readers)
