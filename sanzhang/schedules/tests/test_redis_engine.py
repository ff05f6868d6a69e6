"""The Redis engine (TASKS_ENGINE=redis): a scheduled run is queued in Redis through
django-tasks-rq and a real RQ worker runs it, recording its result in the database. It uses a
Redis database of its own (REDIS_URL's server, database 15), flushed before and after."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import django_rq
import pytest
from django.core.management import call_command
from django.tasks import task_backends
from django.test import override_settings
from django_rq.management.commands.rqworker import Command as RQWorkerCommand
from django_tasks_db.models import DBTaskResult
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from sanzhang.schedules import services
from sanzhang.schedules import tasks as _tasks  # noqa: F401  (see below)
from sanzhang.schedules.models import ScheduledRun
from sanzhang.schedules.tests.test_schedules import CALLS, DAILY, at

pytestmark = pytest.mark.django_db(transaction=True)
TEST_REDIS_DB = 15
# `@task()` builds each task with the task class of the backend configured when its module is
# imported: the import above makes that the test settings' database backend, never the
# override below (which would leave a task of django-tasks' class behind for other tests).


def test_redis_url() -> str:
    url = urlsplit(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    return urlunsplit(url._replace(path=f"/{TEST_REDIS_DB}"))


test_redis_url.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


@pytest.fixture
def redis_engine():
    url = test_redis_url()
    connection = Redis.from_url(url, socket_connect_timeout=2)
    try:
        connection.ping()
    except RedisConnectionError as error:
        pytest.skip(f"Redis server at {url} is unreachable ({error})")
    connection.flushdb()
    tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=tasks, RQ_QUEUES={"default": {"URL": url}}):
        yield connection
    connection.flushdb()
    connection.close()


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
