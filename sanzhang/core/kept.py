"""Small tables kept in each process's memory for a few seconds: rules and settings that the county
edits a few times a year but every request reads (issues.rulebook, the outgoing channels; who
holds the posts up a place's chain, per place). Saving or deleting a row of the models named
empties this process's copy at once and again when the write commits (another thread may have
read the old rows in between); other processes (gunicorn workers, other nodes) read it again
within `max_age` seconds.

A copy read inside the transaction that changed the rows is used by that transaction but not kept:
the transaction may still roll back, and other threads must not see its rows."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

_all: list[KeptByKey[object, object]] = []


class KeptByKey[K, V]:
    """A copy per key (a place's holders up its chain), at most `size` of them: when full, the
    expired ones are dropped, and all of them if every one is still fresh (then read again as
    asked)."""

    def __init__(
        self,
        read: Callable[[K], V],
        models: Iterable[type[Model]],
        *,
        max_age: float = 30.0,
        size: int = 4096,
    ) -> None:
        self._read = read
        self.max_age = max_age
        self.size = size
        self._values: dict[K, tuple[V, float]] = {}
        self._generation = 0  # moved on by every forget: a read that overlapped one is not kept
        self._lock = threading.Lock()
        self._writing = threading.local()  # this thread changed the rows in an open transaction
        self._models = list(models)
        for model in self._models:
            uid = f"kept-{id(self)}-{model._meta.label}"
            post_save.connect(self._changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(self._changed, sender=model, dispatch_uid=f"{uid}-del")
        _all.append(self)  # type: ignore[arg-type]

    def close(self) -> None:
        """No longer kept nor told of changes (a copy made for a while, as tests make)."""
        for model in self._models:
            uid = f"kept-{id(self)}-{model._meta.label}"
            post_save.disconnect(sender=model, dispatch_uid=f"{uid}-save")
            post_delete.disconnect(sender=model, dispatch_uid=f"{uid}-del")
        _all.remove(self)  # type: ignore[arg-type]
        self.forget()

    def get(self, key: K) -> V:
        if getattr(self._writing, "pending", False):
            if connection.in_atomic_block:
                return self._read(key)  # this transaction's own rows: used, not kept
            self._writing.pending = False  # it ended without its commit hook: rolled back
            self.forget()
        found = self._values.get(key)
        if found is not None and time.monotonic() - found[1] < self.max_age:
            return found[0]
        with self._lock:
            found = self._values.get(key)  # another thread may have read it meanwhile
            if found is not None and time.monotonic() - found[1] < self.max_age:
                return found[0]
            generation = self._generation
        fresh = self._read(key)
        with self._lock:
            if generation == self._generation:
                self._make_room()
                self._values[key] = (fresh, time.monotonic())
        return fresh

    def _make_room(self) -> None:
        """Under the lock: the expired copies go first, and all of them if that is not enough."""
        if len(self._values) < self.size:
            return
        now = time.monotonic()
        live = {k: v for k, v in self._values.items() if now - v[1] < self.max_age}
        self._values = live if len(live) < self.size else {}

    def forget(self) -> None:
        with self._lock:
            self._generation += 1
            self._values = {}

    def changed(self) -> None:
        """The rows changed by a write that sends no signal (a queryset's update): forgotten
        now and again when the write commits."""
        self._changed()

    def _changed(self, **kwargs: object) -> None:
        self.forget()
        if connection.in_atomic_block:
            self._writing.pending = True
            transaction.on_commit(self._committed)

    def _committed(self) -> None:
        self._writing.pending = False
        self.forget()


class Kept[T]:
    """One copy of the whole (the county's rules)."""

    def __init__(
        self, read: Callable[[], T], models: Iterable[type[Model]], *, max_age: float = 30.0
    ) -> None:
        self._by_key: KeptByKey[None, T] = KeptByKey(lambda _: read(), models, max_age=max_age)

    @property
    def max_age(self) -> float:
        return self._by_key.max_age

    @max_age.setter
    def max_age(self, seconds: float) -> None:
        self._by_key.max_age = seconds

    def get(self) -> T:
        return self._by_key.get(None)

    def forget(self) -> None:
        self._by_key.forget()


def forget_all() -> None:
    """Every kept copy dropped (a test starts on a database of its own)."""
    for kept in _all:
        kept._writing.pending = False
        kept.forget()
