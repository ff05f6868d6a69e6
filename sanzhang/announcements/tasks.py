"""Pushing an announcement out, in the background (Django's tasks API): the group robots of the
place, above and below it; an in-app notice to every resident's account of the audience, a
batch of accounts at a time; for an urgent one, a text through the nearest SMS provider to
those residents. Every step is idempotent (notices and deliveries are unique per subject), and
each batch is claimed by a conditional UPDATE of the cursor, so two workers never tell an
account twice and a worker killed mid-way is resumed by the sweep where it stopped."""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from sanzhang.notifications.models import Delivery, Endpoint
from sanzhang.notifications.services import tell
from sanzhang.notifications.tasks import enqueue
from sanzhang.places.tree import lineage

from . import audience
from .models import Announcement

log = logging.getLogger(__name__)
BATCH = 2000  # accounts told per transaction
REASON = "announcement"  # why the notice came (Notification.reason, 12 characters at most)


def enqueue_push(announcement_id: int) -> None:
    """Queue the push; if the queue is down, the sweep queues it again later."""
    try:
        push_announcement.enqueue(announcement_id)
    except Exception:  # the announcement has committed: never fail the post now
        log.exception("could not queue announcement %s; the sweep will", announcement_id)


def channel_text(announcement: Announcement) -> str:
    """The words for group chats and texts: public by nature, they name no resident."""
    head = "【紧急通知】" if announcement.urgent else "【通知】"
    return f"{head}{announcement.signed}：{announcement.title}\n{announcement.body[:300]}"


def _deliver(announcement: Announcement, endpoints: list[Endpoint]) -> None:
    text = channel_text(announcement)
    now = timezone.now()
    Delivery.objects.bulk_create(
        [
            Delivery(endpoint=e, subject=announcement.subject, text=text, next_attempt_at=now)
            for e in endpoints
        ],
        ignore_conflicts=True,
    )
    pending = Delivery.objects.filter(
        subject=announcement.subject, status=Delivery.Status.PENDING, endpoint__in=endpoints
    ).values_list("pk", flat=True)
    for delivery_id in pending:
        transaction.on_commit(partial(enqueue, delivery_id))


def robots_of(announcement: Announcement) -> list[Endpoint]:
    """The group robots of the place, of the places above it and of those under it (the grids'
    residents' groups)."""
    code = announcement.place.code
    return list(
        Endpoint.objects.filter(kind=Endpoint.Kind.WECOM_ROBOT, is_active=True).filter(
            Q(place__code__in=lineage(code)) | Q(place__code__under=code)
        )
    )


def nearest_sms(announcement: Announcement) -> list[Endpoint]:
    found = (
        Endpoint.objects.filter(
            kind=Endpoint.Kind.SMS, is_active=True, place__code__in=lineage(announcement.place.code)
        )
        .order_by("-place__depth", "pk")
        .first()
    )
    return [found] if found is not None else []


def tell_next_batch(announcement: Announcement) -> int:
    """Notices to the next batch of accounts after the cursor; the number told (0: all done,
    or another worker took this batch)."""
    cursor = announcement.pushed_through
    ids = list(
        audience.accounts_of(announcement)
        .filter(pk__gt=cursor)
        .order_by("pk")
        .values_list("pk", flat=True)[:BATCH]
    )
    if not ids:
        return 0
    link = reverse("announcements:read", args=[announcement.pk])
    with transaction.atomic():
        claimed = Announcement.objects.filter(pk=announcement.pk, pushed_through=cursor).update(
            pushed_through=ids[-1]
        )
        if not claimed:
            return 0
        tell(
            subject=announcement.subject,
            text=f"{announcement.signed}：{announcement.title}"[:300],
            link=link,
            place_code=announcement.place.code,
            readers=dict.fromkeys(ids, REASON),
            channels=False,
        )
    announcement.pushed_through = ids[-1]
    return len(ids)


@task()
def push_announcement(announcement_id: int) -> str:
    """Robots first (a flood warning should not wait for the accounts), then the accounts in
    batches, then the text for an urgent one; finally marked pushed."""
    announcement = Announcement.objects.select_related("place").filter(pk=announcement_id).first()
    if announcement is None or announcement.pushed_at is not None:
        return "nothing to push"
    with transaction.atomic():
        _deliver(announcement, robots_of(announcement))
    while tell_next_batch(announcement):
        pass
    announcement.refresh_from_db(fields=["pushed_through"])
    if audience.accounts_of(announcement).filter(pk__gt=announcement.pushed_through).exists():
        return "another worker is pushing"
    with transaction.atomic():
        if announcement.urgent:
            _deliver(announcement, nearest_sms(announcement))
        Announcement.objects.filter(pk=announcement.pk, pushed_at__isnull=True).update(
            pushed_at=timezone.now()
        )
    return "pushed"


def sweep_unpushed(older_than: datetime.timedelta = datetime.timedelta(minutes=10)) -> int:
    """Queue again the pushes not finished some minutes after posting (a lost queue entry, a
    worker that died): the push resumes at its cursor. For the schedules' registry."""
    due = Announcement.objects.filter(
        pushed_at__isnull=True, published_at__lte=timezone.now() - older_than
    ).values_list("pk", flat=True)
    count = 0
    for announcement_id in due:
        enqueue_push(announcement_id)
        count += 1
    return count
