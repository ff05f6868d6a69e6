"""A new report's notices (the owner told in the app, the place's channels, the departments'
systems), written by the worker just after the report commits, not in the resident's request:
finding who to tell was a fifth of a report's time in process.

Reliable as the outbox is: the report is stored with `notices_pending` set, the task that
tells is queued in the report's own transaction when the queue is the database (the two commit
or roll back together) and just after it commits when the queue is Redis; the task clears the
flag by a conditional UPDATE in the transaction that writes the notices, so a retry, a second
worker or the sweep never tells twice; the sweep queues again any report still pending a
couple of minutes on (a queue entry lost between the commit and Redis, a task that failed, a
worker killed mid-way).

The notices go to whoever owns the issue when they are written, a moment after the report: a
leader who has already moved it on in between has made a new owner, who is told of that step
too, and the first owner has nothing left to do with it."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend

from sanzhang.core import lifecycle
from sanzhang.core.prepared_enqueue import PreparedEnqueue

from . import settling
from .models import Issue, IssueEvent
from .workflow import ISSUE_LOOP

log = logging.getLogger(__name__)
# The sweep looks this far back (by the creation index): a worker down for a month is a
# restore, not a backlog. A report found pending more than a day on is logged.
SWEEP_WINDOW = datetime.timedelta(days=30)
LATE = datetime.timedelta(days=1)
# A telling runs in well under a second: one running for longer than this was a worker killed
# mid-way (django_tasks_db leaves its row RUNNING), not one to wait for.
RUN_LEASE = datetime.timedelta(minutes=10)


def prepare_telling() -> Callable[[Issue], object]:
    """What queues the telling of a report's REPORTED event, built before the report's
    transaction (on SQLite every other writer waits while that runs); call what it returns
    inside the transaction, with the issue stored with `notices_pending` set."""
    if settings.TASKS_ENGINE == "database":
        # The queue row commits with the report: no second write transaction, nothing lost.
        if isinstance(tell_of_report.get_backend(), DatabaseBackend):
            row = PreparedEnqueue(tell_of_report)
            return lambda issue: row.run(issue.pk)
        return lambda issue: tell_of_report.enqueue(issue.pk)  # a queue set up otherwise
    return lambda issue: transaction.on_commit(partial(_enqueue, issue.pk))


def _enqueue(issue_id: int) -> None:
    try:
        tell_of_report.enqueue(issue_id)
    except Exception:  # the report has committed: never fail it now
        log.exception("could not queue the notices of issue %s; the sweep will", issue_id)


@task()
def tell_of_report(issue_id: int) -> str:
    """Write the notices of the issue's REPORTED event, once."""
    return tell_now(issue_id)


def tell_now(issue_id: int) -> str:
    try:
        # Outside the transaction: on SQLite it holds the one write lock, and a first reading
        # loads the county's model.
        reading = settling.read(issue_id)
    except Exception:
        log.exception("could not read issue %s again; it is told as stored", issue_id)
        reading = None
    with transaction.atomic():
        claimed = Issue.objects.filter(pk=issue_id, notices_pending=True).update(
            notices_pending=False
        )
        if not claimed:
            return "already told"
        event = (
            IssueEvent.objects.select_related("issue__place", "issue__category")
            .filter(issue_id=issue_id, kind=IssueEvent.Kind.REPORTED)
            .first()
        )
        if event is not None:
            if reading is not None:
                settling.apply(reading, event.issue)  # the owner to tell, read in full
            lifecycle.emit(ISSUE_LOOP, event)
    return "told"


def sweep_untold(older_than: datetime.timedelta = datetime.timedelta(minutes=2)) -> int:
    """Queue again the reports still waiting for their notices `older_than` after they were
    made, but those whose telling still waits in the database queue or runs now (a worker
    behind is not given the same report again every sweep; a run that started long ago was a
    worker killed mid-way, and is queued again). For the schedules' registry."""
    now = timezone.now()
    pending = dict(
        Issue.objects.filter(
            notices_pending=True,
            created_at__gte=now - SWEEP_WINDOW,
            created_at__lte=now - older_than,
        ).values_list("pk", "created_at")
    )
    late = [pk for pk, at in pending.items() if at < now - LATE]
    if pending:
        waiting = (
            _waiting_in_database(now)
            if settings.TASKS_ENGINE == "database"
            else (_waiting_in_redis())
        )
        for issue_id in waiting:
            pending.pop(issue_id, None)
    if late:
        # Whether queued or not: a day without notices means the worker is not running.
        log.warning(
            "%d reports have waited over a day for their notices (%d queued again): %s",
            len(late), len([pk for pk in late if pk in pending]), late[:20],
        )  # fmt: skip
    for issue_id in pending:
        _enqueue(issue_id)
    return len(pending)


def _waiting_in_database(now: datetime.datetime) -> list[int]:
    from django.db.models import Q
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.READY)
        | Q(status=TaskResultStatus.RUNNING, started_at__gte=now - RUN_LEASE),
        task_path=tell_of_report.module_path,
    ).values_list("args_kwargs", flat=True)
    return [queued["args"][0] for queued in waiting]


def _waiting_in_redis() -> list[int]:
    """The reports whose telling waits in RQ's queue or runs now (RQ itself moves a job whose
    worker died to its failed jobs): while the worker is down, each sweep would otherwise queue
    every pending report once more."""
    import django_rq
    from rq.job import Job
    from rq.registry import StartedJobRegistry

    try:
        queue = django_rq.get_queue(tell_of_report.queue_name)
        ids = [*queue.get_job_ids(), *StartedJobRegistry(queue=queue).get_job_ids()]
        jobs = Job.fetch_many(ids, connection=queue.connection) if ids else []
    except Exception:  # Redis unreachable: the late ones are still logged, queuing will fail
        log.exception("could not read the Redis queue")
        return []
    return [
        job.args[0]
        for job in jobs
        if job is not None and job.func_name == tell_of_report.module_path and job.args
    ]
