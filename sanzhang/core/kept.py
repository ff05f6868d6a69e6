"""Small tables kept in each process's memory for a few seconds: rules and settings that the
county edits a few times a year but every request reads (issues.rulebook, the outgoing
channels). Saving or deleting a row of the models named empties this process's copy at once
and again when the write commits (another thread may have read the old rows in between);
other processes (gunicorn workers, other nodes) read it again within `max_age` seconds.

A copy read inside the transaction that changed the rows is used by that transaction but not
kept: the transaction may still roll back, and other threads must not see its rows."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

_all: list[Kept[object]] = []


class Kept[T]:
    def __init__(
        self, read: Callable[[], T], models: Iterable[type[Model]], *, max_age: float = 30.0
    ) -> None:
        self._read = read
        self.max_age = max_age
        self._value: T | None = None
        self._read_at = 0.0
        self._generation = 0  # moved on by every forget: a read that overlapped one is not kept
        self._lock = threading.Lock()
        self._writing = threading.local()  # this thread changed the rows in an open transaction
        for model in models:
            uid = f"kept-{id(self)}-{model._meta.label}"
            post_save.connect(self._changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(self._changed, sender=model, dispatch_uid=f"{uid}-del")
        _all.append(self)

    def get(self) -> T:
        if getattr(self._writing, "pending", False):
            if connection.in_atomic_block:
                return self._read()  # this transaction's own rows: used, not kept
            self._writing.pending = False  # it ended without its commit hook: rolled back
            self.forget()
        value = self._value
        if value is not None and time.monotonic() - self._read_at < self.max_age:
            return value
        with self._lock:
            if self._value is not None and time.monotonic() - self._read_at < self.max_age:
                return self._value
            generation = self._generation
        fresh = self._read()
        with self._lock:
            if generation == self._generation:
                self._value, self._read_at = fresh, time.monotonic()
        return fresh

    def forget(self) -> None:
        with self._lock:
            self._generation += 1
            self._value = None

    def _changed(self, **kwargs: object) -> None:
        self.forget()
        if connection.in_atomic_block:
            self._writing.pending = True
            transaction.on_commit(self._committed)

    def _committed(self) -> None:
        self._writing.pending = False
        self.forget()


def forget_all() -> None:
    """Every kept copy dropped (a test starts on a database of its own)."""
    for kept in _all:
        kept._writing.pending = False
        kept.forget()
