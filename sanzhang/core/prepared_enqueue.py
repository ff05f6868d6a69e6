"""A task's queue row, built before a transaction and written inside it, for the database queue
(django-tasks-db).

Queued inside a report's transaction, the row commits or rolls back with the report. Built by
`Task.enqueue` there, the ORM builds the row and its INSERT while SQLite's one write lock is
held (a fifth of the report's locked time); built here first, the locked part runs the
statement. The row is the one the backend's `enqueue` writes (the same fields from the same
task; `task_enqueued` is sent after it is in), its arguments given when it runs: they are often
an id known only inside the transaction. An `id_function` made a database expression is refused
(the row's values are parameters).
"""

from __future__ import annotations

from typing import Any

from django.db import router
from django.tasks import Task, TaskResult
from django.tasks.signals import task_enqueued
from django.utils.json import normalize_json
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .prepared_insert import PreparedInsert


class PreparedEnqueue:
    def __init__(self, task: Task[Any, Any]) -> None:
        backend = task.get_backend()
        if not isinstance(backend, DatabaseBackend):
            raise ValueError(f"{task.module_path} is not queued in the database")
        backend.validate_task(task)
        self._backend = backend
        # As DatabaseBackend._task_to_db_task builds it (its id function is private there too).
        self._row: DBTaskResult[Any, Any] = DBTaskResult(
            id=backend._get_id(),
            args_kwargs={},
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,  # type: ignore[misc] # None: the library's pre_save sets it
            backend_name=backend.alias,
        )
        self._insert = PreparedInsert(
            self._row,
            late=("args_kwargs",),
            using=router.db_for_write(DBTaskResult, instance=self._row),
        )

    def run(self, *args: Any, **kwargs: Any) -> TaskResult[Any, Any]:
        """Queue the task with these arguments: its row written in the caller's transaction."""
        self._insert.run(args_kwargs=normalize_json({"args": args, "kwargs": kwargs}))
        result = self._row.task_result
        task_enqueued.send(type(self._backend), task_result=result)
        return result
