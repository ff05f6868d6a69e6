"""core.prepared_enqueue: a task's queue row built before a transaction is the row the database
backend's own `enqueue` writes, commits or rolls back with the transaction, and runs."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.tasks import task
from django.tasks.signals import task_enqueued
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from sanzhang.conftest import run_queued_tasks
from sanzhang.core import prepared_insert
from sanzhang.core.prepared_enqueue import PreparedEnqueue

pytestmark = pytest.mark.django_db


@task()
def doubled(n: int, *, plus: int = 0) -> int:
    return 2 * n + plus


def _row(result_id: str) -> dict:
    row = DBTaskResult.objects.filter(id=result_id).values().get()
    for differs in ("id", "enqueued_at"):
        row.pop(differs)
    return row


def test_the_row_is_the_one_enqueue_writes() -> None:
    prepared_insert._statements.clear()
    queued = doubled.enqueue(4, plus=1)
    built = PreparedEnqueue(doubled).run(4, plus=1)  # by the compiler, then kept
    kept = PreparedEnqueue(doubled).run(4, plus=1)
    assert len({queued.id, built.id, kept.id}) == 3
    assert _row(built.id) == _row(queued.id) == _row(kept.id)


def test_a_queue_set_up_otherwise_is_still_told() -> None:
    from sanzhang.issues import report_notices

    dummy = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        tell = report_notices.prepare_telling()
        result = tell(type("Stored", (), {"pk": 7})())
    assert result.args == [7]


def test_the_row_is_built_before_and_written_inside() -> None:
    with CaptureQueriesContext(connection) as building:
        prepared = PreparedEnqueue(doubled)
    assert len(building) == 0
    with transaction.atomic(), CaptureQueriesContext(connection) as running:
        result = prepared.run(3)
    assert [q["sql"].split()[0] for q in running] == ["INSERT"]
    assert DBTaskResult.objects.filter(id=result.id).exists()


def test_it_rolls_back_with_the_transaction() -> None:
    prepared = PreparedEnqueue(doubled)

    class Leave(Exception):
        pass

    with pytest.raises(Leave), transaction.atomic():
        result = prepared.run(5)
        raise Leave
    assert not DBTaskResult.objects.filter(id=result.id).exists()


def test_the_worker_runs_it_and_enqueued_is_sent() -> None:
    heard = []

    def listen(sender, task_result, **kwargs):  # type: ignore[no-untyped-def]
        heard.append(task_result.id)

    task_enqueued.connect(listen, dispatch_uid="test-prepared-enqueue")
    try:
        result = PreparedEnqueue(doubled).run(20, plus=2)
    finally:
        task_enqueued.disconnect(dispatch_uid="test-prepared-enqueue")
    assert heard == [result.id]
    run_queued_tasks()
    done = DBTaskResult.objects.get(id=result.id)
    assert done.status == "SUCCESSFUL"
    assert done.return_value == 42


def test_a_queue_not_in_the_database_is_refused() -> None:
    immediate = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=immediate), pytest.raises(ValueError, match="database"):
        PreparedEnqueue(doubled)
