"""Queueing scheduled work: each tick records the periods that are due and queues one task per
period; the unique (schedule, period) row makes a second tick, or a second scheduler, a no-op."""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ScheduledRun
from .registry import SCHEDULES, Schedule

log = logging.getLogger(__name__)
EPOCH = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
MAX_CATCH_UP = 400  # a year of daily runs; older gaps are left to a person


def period_start(schedule: Schedule, now: datetime.datetime) -> datetime.datetime:
    origin = EPOCH + schedule.offset
    periods = (now - origin) // schedule.every
    return origin + periods * schedule.every


def due_periods(schedule: Schedule, now: datetime.datetime) -> list[datetime.datetime]:
    current = period_start(schedule, now)
    last = (
        ScheduledRun.objects.filter(schedule=schedule.name)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if last is None or not schedule.catch_up:
        return [] if last == current else [current]
    periods: list[datetime.datetime] = []
    period = last + schedule.every
    while period <= current and len(periods) < MAX_CATCH_UP:
        periods.append(period)
        period += schedule.every
    return periods


def take_back_lapsed(now: datetime.datetime) -> list[int]:
    """Runs a dead worker held (`running` past the lease: kill -9, a lost machine) go back to
    queued, and runs whose task was lost (`queued` past the lease) are queued again; each
    taken by a conditional UPDATE, so two schedulers re-queue a run once. The scheduled
    functions are idempotent per period (summaries and their deliveries are unique), so a
    run begun again finishes what the dead one started."""
    lapsed = now - datetime.timedelta(minutes=settings.SCHEDULED_RUN_LEASE_MINUTES)
    again = []
    stale = ScheduledRun.objects.filter(
        status=ScheduledRun.Status.RUNNING, started_at__lte=lapsed
    ).values_list("pk", flat=True)
    for run_id in stale:
        if ScheduledRun.objects.filter(
            pk=run_id, status=ScheduledRun.Status.RUNNING, started_at__lte=lapsed
        ).update(status=ScheduledRun.Status.QUEUED, queued_at=now):
            again.append(run_id)
    lost = ScheduledRun.objects.filter(status=ScheduledRun.Status.QUEUED, queued_at__lte=lapsed)
    for run_id in lost.values_list("pk", flat=True):
        if ScheduledRun.objects.filter(
            pk=run_id, status=ScheduledRun.Status.QUEUED, queued_at__lte=lapsed
        ).update(queued_at=now):
            again.append(run_id)
    for run_id in again:
        log.warning("scheduled run %s lapsed; queued again", run_id)
        _enqueue(run_id)
    return again


def tick(now: datetime.datetime | None = None) -> list[ScheduledRun]:
    """Record and queue every period that is due now, and take back lapsed runs; returns the
    runs newly recorded."""
    now = now or timezone.now()
    take_back_lapsed(now)
    queued = []
    for schedule in SCHEDULES:
        for period in due_periods(schedule, now):
            try:
                with transaction.atomic():
                    run = ScheduledRun.objects.create(schedule=schedule.name, period=period)
            except IntegrityError:
                continue  # another scheduler recorded it first
            transaction.on_commit(partial(_enqueue, run.pk))
            queued.append(run)
    return queued


def _enqueue(run_id: int) -> None:
    from .tasks import run_scheduled

    try:
        run_scheduled.enqueue(run_id)
    except Exception:  # the row stays queued and visible; the admin shows it
        log.exception("could not queue scheduled run %s", run_id)
