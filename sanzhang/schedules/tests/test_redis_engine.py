"""The Redis engine (TASKS_ENGINE=redis): a scheduled run is queued in Redis through
django-tasks-rq and a real RQ worker runs it, recording its result in the database. It uses a
Redis database of its own (the `redis_engine` fixture of sanzhang/conftest.py)."""

from __future__ import annotations

import django_rq
import pytest
from django.core.management import call_command
from django.tasks import task_backends
from django_rq.management.commands.rqworker import Command as RQWorkerCommand
from django_tasks_db.models import DBTaskResult

from sanzhang.schedules import services
from sanzhang.schedules import tasks as _tasks  # noqa: F401  (see below)
from sanzhang.schedules.models import ScheduledRun
from sanzhang.schedules.tests.test_schedules import CALLS, DAILY, at

pytestmark = pytest.mark.django_db(transaction=True)
# `@task()` builds each task with the task class of the backend configured when its module is
# imported: the import above makes that the test settings' database backend, never the
# fixture's override (which would leave a task of django-tasks' class behind for other tests).


def test_a_scheduled_run_goes_through_redis_and_a_real_rq_worker(monkeypatch, redis_engine):
    monkeypatch.setattr(services, "SCHEDULES", [DAILY])
    monkeypatch.setattr("sanzhang.schedules.registry.SCHEDULES", [DAILY])
    CALLS.clear()
    [run] = services.tick(at("2026-11-25 10:00"))

    queue = django_rq.get_queue("default")
    [job_id] = queue.job_ids  # queued in Redis, not in the database queue
    assert not DBTaskResult.objects.exists()
    assert ScheduledRun.objects.get().status == "queued"

    # The same command `TASKS_ENGINE=redis make worker` runs, in burst mode and in-process
    # (SimpleWorker: no fork) so the job sees the test database.
    call_command(
        RQWorkerCommand(),
        "default",
        burst=True,
        worker_class="rq.worker.SimpleWorker",
        job_class="django_tasks_rq.Job",
        verbosity=0,
    )

    run.refresh_from_db()
    assert (run.status, run.result, CALLS) == ("done", "1", [1])
    assert queue.count == 0
    result = task_backends["default"].get_result(job_id)
    assert (result.status, result.return_value) == ("SUCCESSFUL", "done")
