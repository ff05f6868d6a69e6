"""Background delivery of outgoing notices (Django's tasks API; any backend)."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from .channels import SendFailed, send
from .models import Delivery

log = logging.getLogger(__name__)


def lease() -> datetime.timedelta:
    """How long a claimed delivery may stay `sending`: well past the request's timeout."""
    return datetime.timedelta(seconds=max(60, 4 * settings.DELIVERY_TIMEOUT_SECONDS))


def enqueue(delivery_id: int, run_after: datetime.datetime | None = None) -> None:
    """Queue a delivery; if the queue is down the row stays pending for the sweep."""
    try:
        if run_after is None:
            deliver.enqueue(delivery_id)
        else:
            deliver.using(run_after=run_after).enqueue(delivery_id)
    except Exception:  # the step that caused it has committed: never fail it now
        log.exception("could not queue delivery %s; the sweep will", delivery_id)


@task()
def deliver(delivery_id: int) -> str:
    """Send one delivery once: claimed by a conditional UPDATE, so two workers (or a retry
    and the sweep) never both send it."""
    now = timezone.now()
    # While sending, next_attempt_at is when the claim lapses: a worker killed mid-send
    # leaves the row at `sending`, and the sweep takes it back after that (a lease).
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now
    ).update(
        status=Delivery.Status.SENDING,
        attempts=F("attempts") + 1,
        next_attempt_at=now + lease(),
    )
    if not claimed:
        return "not due or already taken"
    delivery = Delivery.objects.select_related(
        "endpoint",
        "event__issue__place",
        "event__issue__category",
        "event__issue__owner_organisation",
    ).get(pk=delivery_id)
    # The outcome is written only while this claim is still the latest (its attempt count;
    # taken back by the sweep but not claimed again counts too): a worker slower than its
    # lease must not overwrite the outcome of a newer claim.
    ours = Delivery.objects.filter(
        pk=delivery_id,
        status__in=[Delivery.Status.SENDING, Delivery.Status.PENDING],
        attempts=delivery.attempts,
    )
    if not delivery.endpoint.is_active:
        # Switched off after the row was written (processes keep the channels for a few
        # seconds: core.kept): nothing goes to a channel the office turned off.
        ours.update(status=Delivery.Status.FAILED, last_error="the channel was switched off")
        return "channel switched off"
    try:
        send(delivery)
    except SendFailed as error:
        if delivery.attempts >= settings.DELIVERY_MAX_ATTEMPTS:
            ours.update(status=Delivery.Status.FAILED, last_error=str(error)[:300])
            return "failed"
        backoff = settings.DELIVERY_BACKOFF_SECONDS * 2 ** (delivery.attempts - 1)
        retry_at = now + datetime.timedelta(seconds=backoff)
        if ours.update(
            status=Delivery.Status.PENDING, last_error=str(error)[:300], next_attempt_at=retry_at
        ):
            enqueue(delivery.pk, retry_at)
        return "retry"
    ours.update(status=Delivery.Status.SENT, sent_at=timezone.now())
    return "sent"


@task()
def sweep_deliveries() -> int:
    return sweep_pending()


def take_back_lapsed(now: datetime.datetime | None = None) -> int:
    """Deliveries whose worker died while sending (kill -9, a lost machine) go back to
    pending, or to failed once they used their attempts; conditional UPDATEs, so a worker
    that is merely slow and finishes meanwhile keeps its result."""
    now = now or timezone.now()
    lapsed = Delivery.objects.filter(status=Delivery.Status.SENDING, next_attempt_at__lte=now)
    failed = lapsed.filter(attempts__gte=settings.DELIVERY_MAX_ATTEMPTS).update(
        status=Delivery.Status.FAILED, last_error="the worker stopped while sending"
    )
    return failed + lapsed.update(status=Delivery.Status.PENDING, next_attempt_at=now)


def sweep_pending() -> int:
    """Queue again every pending delivery that is due (a lost enqueue, a restarted worker),
    after taking back those a dead worker held."""
    take_back_lapsed()
    due = Delivery.objects.filter(
        status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    count = 0
    for delivery_id in due.iterator():
        enqueue(delivery_id)
        count += 1
    return count
