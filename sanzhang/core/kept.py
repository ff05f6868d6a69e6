"""Small tables kept in each process's memory for a few seconds: rules and settings that the
county edits a few times a year but every request reads (issues.rulebook, the outgoing
channels). Saving or deleting a row of the models named empties this process's copy at once;
other processes (gunicorn workers, other nodes) read it again within `max_age` seconds."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

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
        self._lock = threading.Lock()
        for model in models:
            uid = f"kept-{id(self)}-{model._meta.label}"
            post_save.connect(self._forget_on_signal, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(self._forget_on_signal, sender=model, dispatch_uid=f"{uid}-del")
        _all.append(self)

    def get(self) -> T:
        value = self._value
        if value is not None and time.monotonic() - self._read_at < self.max_age:
            return value
        with self._lock:
            if self._value is None or time.monotonic() - self._read_at >= self.max_age:
                self._value, self._read_at = self._read(), time.monotonic()
            return self._value

    def forget(self) -> None:
        self._value = None

    def _forget_on_signal(self, **kwargs: object) -> None:
        self.forget()


def forget_all() -> None:
    """Every kept copy dropped (a test starts on a database of its own)."""
    for kept in _all:
        kept.forget()
