"""Queueing scheduled work: each tick records the periods that are due and queues one task per
period; the unique (schedule, period) row makes a second tick, or a second scheduler, a no-op."""

from __future__ import annotations

import datetime
import logging
from functools import partial

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


def tick(now: datetime.datetime | None = None) -> list[ScheduledRun]:
    """Record and queue every period that is due now; returns the runs queued."""
    now = now or timezone.now()
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
