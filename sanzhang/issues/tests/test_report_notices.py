"""A new report's notices are written by the worker after the report commits: queued with the
report (nothing lost, nothing queued for a report rolled back), written once whoever runs
them, and queued again by the sweep when the queue lost them."""

from __future__ import annotations

import datetime
import threading

import django_rq
import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rq.executions import Execution
from rq.job import JobStatus
from rq.registry import StartedJobRegistry

from sanzhang.conftest import needs_real_concurrency, run_queued_tasks
from sanzhang.issues import report_notices
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Issue
from sanzhang.issues.tests.conftest import reseed
from sanzhang.notifications.models import Notification

TASK_PATH = "sanzhang.issues.report_notices.tell_of_report"


def queued_tellings() -> list[list[int]]:
    return [row.args_kwargs["args"] for row in DBTaskResult.objects.filter(task_path=TASK_PATH)]


def test_the_notices_are_queued_with_the_report_and_written_by_the_worker(
    loop, resident, unit_leader
) -> None:
    issue = submit(resident, place=loop.unit_a1_1, text="楼道里垃圾没人清扫").issue
    assert queued_tellings() == [[issue.pk]]
    assert Issue.objects.get(pk=issue.pk).notices_pending
    assert not Notification.objects.filter(event__issue=issue).exists()
    run_queued_tasks()
    assert Notification.objects.filter(recipient=unit_leader, event__issue=issue).exists()
    assert not Issue.objects.get(pk=issue.pk).notices_pending


def test_a_report_rolled_back_leaves_nothing_queued(loop, resident) -> None:
    with transaction.atomic():
        submit(resident, place=loop.unit_a1_1, text="楼道里垃圾没人清扫")
        transaction.set_rollback(True)
    assert not Issue.objects.exists()
    assert queued_tellings() == []


def test_telling_twice_tells_once(loop, resident, unit_leader) -> None:
    issue = submit(resident, place=loop.unit_a1_1, text="楼道里垃圾没人清扫").issue
    assert report_notices.tell_now(issue.pk) == "told"
    told = Notification.objects.filter(event__issue=issue).count()
    assert told >= 1
    assert report_notices.tell_now(issue.pk) == "already told"
    run_queued_tasks()  # the queued task finds it told
    assert Notification.objects.filter(event__issue=issue).count() == told


def test_the_sweep_queues_again_what_the_queue_lost(loop, resident, unit_leader) -> None:
    issue = submit(resident, place=loop.unit_a1_1, text="楼道里垃圾没人清扫").issue
    DBTaskResult.objects.all().delete()  # as if a Redis queue had lost the entry
    assert report_notices.sweep_untold() == 0  # too fresh: the worker may be on it
    later = timezone.now() + datetime.timedelta(minutes=3)
    with time_machine.travel(later, tick=False):
        assert report_notices.sweep_untold() == 1
    run_queued_tasks()
    assert Notification.objects.filter(recipient=unit_leader, event__issue=issue).exists()
    with time_machine.travel(later, tick=False):
        assert report_notices.sweep_untold() == 0


def test_with_a_redis_queue_the_telling_is_queued_once_the_report_commits(
    loop, resident, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS_ENGINE = "redis"  # the branch taken; the queue itself stays the test's
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        issue = submit(resident, place=loop.unit_a1_1, text="楼道里垃圾没人清扫").issue
        assert queued_tellings() == []  # not before the commit: the worker would not see it
    for callback in callbacks:
        callback()
    assert queued_tellings() == [[issue.pk]]


@needs_real_concurrency
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_tell_once(loop, resident, unit_leader) -> None:
    reseed()  # the categories the migrations seed, flushed by the test before
    issue = submit(resident, place=loop.unit_a1_1, text="楼道里垃圾没人清扫").issue
    start = threading.Barrier(2)
    answers: list[str] = []

    def work() -> None:
        try:
            start.wait()
            answers.append(report_notices.tell_now(issue.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == ["already told", "told"]
    assert Notification.objects.filter(recipient=unit_leader, event__issue=issue).count() == 1


def test_the_sweep_leaves_alone_a_report_whose_telling_waits_in_the_queue(loop, resident) -> None:
    submit(resident, place=loop.unit_a1_1, text="楼道里垃圾没人清扫")
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3), tick=False):
        assert report_notices.sweep_untold() == 0  # the worker is behind, not the queue lost
    assert len(queued_tellings()) == 1


def test_a_telling_that_failed_is_queued_again_and_tells_once(
    loop, resident, unit_leader, monkeypatch
) -> None:
    issue = submit(resident, place=loop.unit_a1_1, text="楼道里垃圾没人清扫").issue

    def broken(machine: str, event: object) -> None:
        raise RuntimeError("the database went away mid-way")

    with monkeypatch.context() as patch:
        patch.setattr(report_notices.lifecycle, "emit", broken)
        run_queued_tasks()
    failed = DBTaskResult.objects.get(task_path=TASK_PATH)
    assert failed.status == "FAILED"
    assert Issue.objects.get(pk=issue.pk).notices_pending  # rolled back with the failure
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3), tick=False):
        assert report_notices.sweep_untold() == 1
    run_queued_tasks()
    assert Notification.objects.filter(recipient=unit_leader, event__issue=issue).count() == 1


def test_a_report_waiting_over_a_day_is_logged_and_queued(loop, resident, caplog) -> None:
    issue = submit(resident, place=loop.unit_a1_1, text="楼道里垃圾没人清扫").issue
    DBTaskResult.objects.all().delete()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3), tick=False):
        assert report_notices.sweep_untold() == 1
    assert f"[{issue.pk}]" in caplog.text


def test_a_telling_left_running_by_a_killed_worker_is_queued_again(loop, resident) -> None:
    issue = submit(resident, place=loop.unit_a1_1, text="楼道里垃圾没人清扫").issue
    # What kill -9 leaves: the row RUNNING, the telling rolled back, the report pending.
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3), tick=False):
        assert report_notices.sweep_untold() == 0  # it may still be running
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=15), tick=False):
        assert report_notices.sweep_untold() == 1
    assert Issue.objects.get(pk=issue.pk).notices_pending


def test_a_stopped_worker_is_logged_though_its_queue_holds_the_tellings(
    loop, resident, caplog
) -> None:
    issue = submit(resident, place=loop.unit_a1_1, text="楼道里垃圾没人清扫").issue
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2), tick=False):
        assert report_notices.sweep_untold() == 0  # still queued: not queued twice
    assert f"[{issue.pk}]" in caplog.text and "(0 queued again)" in caplog.text


def test_with_a_redis_queue_the_sweep_leaves_alone_what_waits_in_redis(
    loop, resident, settings, redis_engine, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS_ENGINE = "redis"
    with django_capture_on_commit_callbacks(execute=True):
        issue = submit(resident, place=loop.unit_a1_1, text="楼道里垃圾没人清扫").issue
    queue = django_rq.get_queue("default")
    assert queue.count == 1
    later = timezone.now() + datetime.timedelta(minutes=3)
    with time_machine.travel(later, tick=False):
        # The worker is down: the telling still waits, and is not queued a second time.
        assert report_notices.sweep_untold() == 0
        assert queue.count == 1
        redis_engine.flushdb()  # a Redis that lost its queue: the sweep queues it again
        assert report_notices.sweep_untold() == 1
    [job] = queue.get_jobs()
    assert list(job.args) == [issue.pk]


def test_with_a_redis_queue_the_sweep_leaves_alone_a_telling_a_worker_runs_now(
    loop, resident, settings, redis_engine, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS_ENGINE = "redis"
    with django_capture_on_commit_callbacks(execute=True):
        submit(resident, place=loop.unit_a1_1, text="楼道里垃圾没人清扫")
    queue = django_rq.get_queue("default")
    [job] = queue.get_jobs()
    # A worker takes the job as RQ's own worker does: off the queue, into the started registry
    # with an execution of its own.
    with redis_engine.pipeline() as pipeline:
        queue.remove(job, pipeline=pipeline)
        job.set_status(JobStatus.STARTED, pipeline=pipeline)
        Execution.create(job, ttl=3600, pipeline=pipeline)
        pipeline.execute()
    assert queue.count == 0 and StartedJobRegistry(queue=queue).count == 1
    later = timezone.now() + datetime.timedelta(minutes=3)
    with time_machine.travel(later, tick=False):
        assert report_notices.sweep_untold() == 0  # it runs: not queued a second time
    assert queue.count == 0
