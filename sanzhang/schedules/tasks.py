"""Running one scheduled period: claimed by a conditional UPDATE, result or error recorded."""

from __future__ import annotations

import traceback

from django.tasks import task
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun
from .registry import by_name


@task()
def run_scheduled(run_id: int) -> str:
    claimed = ScheduledRun.objects.filter(pk=run_id, status=ScheduledRun.Status.QUEUED).update(
        status=ScheduledRun.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "already taken"
    run = ScheduledRun.objects.get(pk=run_id)
    try:
        schedule = by_name(run.schedule)
        function = import_string(schedule.function)
        result = function(run.period) if schedule.takes_period else function()
    except Exception:
        run.status, run.error = ScheduledRun.Status.FAILED, traceback.format_exc()[-4000:]
    else:
        run.status, run.result = ScheduledRun.Status.DONE, str(result)[:4000]
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "result", "finished_at"])
    return run.status
