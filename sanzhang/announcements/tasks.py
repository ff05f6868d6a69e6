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

from django.db import connection, transaction
from django.db.models import CharField, DateTimeField, Field, Value
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from sanzhang.notifications.models import Delivery, Endpoint, Notification
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
    """The group robots of the place and of those under it (the grids' residents' groups): the
    audience's own groups, not those of the places above. None for a special group's: a group
    chat is public by nature, and who is 低保 or 残疾 is not (they are told in the app)."""
    if announcement.tag_id is not None:
        return []
    code = announcement.place.code
    return list(
        Endpoint.objects.filter(kind=Endpoint.Kind.WECOM_ROBOT, is_active=True).filter(
            place__code__under=code
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


def account_ids(announcement: Announcement) -> list[int]:
    """The ids of the accounts still to tell, ascending: one query over the audience (a walk
    by account id with a filter per batch would read the whole province once per batch)."""
    found = audience.accounts_of(announcement).filter(pk__gt=announcement.pushed_through)
    return sorted(found.values_list("pk", flat=True))


def tell_batch(announcement: Announcement, ids: list[int]) -> bool:
    """Notices to one batch of accounts (ascending ids, all after the cursor), the cursor moved
    past them in the same transaction; False when another worker moved it first."""
    cursor = announcement.pushed_through
    with transaction.atomic():
        claimed = Announcement.objects.filter(pk=announcement.pk, pushed_through=cursor).update(
            pushed_through=ids[-1]
        )
        if not claimed:
            return False
        _insert_notices(announcement, cursor, ids[-1])
    announcement.pushed_through = ids[-1]
    return True


def _insert_notices(announcement: Announcement, after: int, through: int) -> None:
    """The rows `notifications.services.tell` writes (a notice of a subject, with its text and
    link, once per reader), for the audience's accounts with ids in (after, through], as one
    INSERT ... SELECT: building a model object per account cost a province minutes."""
    link = reverse("announcements:read", args=[announcement.pk])
    text = f"{announcement.signed}：{announcement.title}"[:300]
    constants = {
        "subject": Value(announcement.subject, CharField()),
        "text": Value(text, CharField()),
        "link": Value(link, CharField()),
        "reason": Value(REASON, CharField()),
        "created_at": Value(timezone.now(), DateTimeField()),
    }
    accounts = audience.accounts_of(announcement).filter(pk__gt=after, pk__lte=through)
    select = accounts.annotate(**{f"notice_{k}": v for k, v in constants.items()})
    names = ["pk", *(f"notice_{k}" for k in constants)]
    sql, params = select.values_list(*names).query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(name)) for name in ["recipient", *constants])
    table = quote(Notification._meta.db_table)
    # Both databases skip a row that breaks a unique constraint (told once per subject). The
    # names come from our models and the SELECT from the ORM; every value is a parameter.
    insert = f"INSERT INTO {table} ({columns}) {sql} ON CONFLICT DO NOTHING"  # nosec B608 # nosemgrep: sanzhang-sql-formatted
    with connection.cursor() as db:
        db.execute(insert, params)


def _column(name: str) -> str:
    field = Notification._meta.get_field(name)
    return field.column if isinstance(field, Field) and field.column else name


@task()
def push_announcement(announcement_id: int) -> str:
    """Robots first (a flood warning should not wait for the accounts), then the accounts in
    batches, then the text for an urgent one; finally marked pushed."""
    announcement = Announcement.objects.select_related("place").filter(pk=announcement_id).first()
    if announcement is None or announcement.pushed_at is not None:
        return "nothing to push"
    with transaction.atomic():
        _deliver(announcement, robots_of(announcement))
    ids = account_ids(announcement)
    for start in range(0, len(ids), BATCH):
        if not tell_batch(announcement, ids[start : start + BATCH]):
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
