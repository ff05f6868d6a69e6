"""A cache of counters in the database, for the rate limits when there is no Redis.

django-ratelimit needs a cache that every process shares and that increments atomically.
Django's DatabaseCache is shared but reads and writes back (two requests at once count one),
so this backend keeps integers in their own table and adds with a conditional UPDATE
(`count = count + 1`), which settles races in the database (docs/security.md). It holds
counters only: django-ratelimit calls add, incr and get. `add` and `incr` are one statement
each (an upsert, an UPDATE … RETURNING: SQLite 3.35+ and PostgreSQL). A request's own counts
(security/ratelimits.py) are `count_each`: every rule's counter in one upsert, since every
report counts against two rules on the request path, and on SQLite a statement in autocommit
holds the one write lock for itself alone, never while Python runs between statements.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import connection
from django.db.models import F
from django.utils import timezone

from .models import RateCounter

_TABLE, _KEY, _COUNT, _EXPIRES = (
    connection.ops.quote_name(name)
    for name in (RateCounter._meta.db_table, "key", "count", "expires_at")
)
# Inserted, or an expired row taken over as if it were absent (a row comes back); a live row is
# left alone (none does).
_ADD_SQL = (  # nosemgrep: sanzhang-sql-formatted (our table and column names, no input)
    f"INSERT INTO {_TABLE} ({_KEY}, {_COUNT}, {_EXPIRES}) VALUES (%s, %s, %s) "  # noqa: S608 (our names) # nosec B608 # our names
    f"ON CONFLICT ({_KEY}) DO UPDATE SET {_COUNT} = excluded.{_COUNT}, "
    f"{_EXPIRES} = excluded.{_EXPIRES} WHERE {_TABLE}.{_EXPIRES} <= %s RETURNING 1"
)
_INCR_SQL = (  # nosemgrep: sanzhang-sql-formatted (our table and column names, no input)
    f"UPDATE {_TABLE} SET {_COUNT} = {_COUNT} + %s WHERE {_KEY} = %s AND {_EXPIRES} > %s "  # noqa: S608 (our names) # nosec B608 # our names
    f"RETURNING {_COUNT}"
)
# Each counter inserted at 1, or one added to it; an expired one taken over as if absent.
_COUNT_SQL = (  # nosemgrep: sanzhang-sql-formatted (our table and column names, no input)
    f"INSERT INTO {_TABLE} ({_KEY}, {_COUNT}, {_EXPIRES}) VALUES {{rows}} "  # noqa: S608 (our names) # nosec B608 # our names
    f"ON CONFLICT ({_KEY}) DO UPDATE SET "
    f"{_COUNT} = CASE WHEN {_TABLE}.{_EXPIRES} <= %s THEN 1 ELSE {_TABLE}.{_COUNT} + 1 END, "
    f"{_EXPIRES} = CASE WHEN {_TABLE}.{_EXPIRES} <= %s THEN excluded.{_EXPIRES} "
    f"ELSE {_TABLE}.{_EXPIRES} END RETURNING {_KEY}, {_COUNT}"
)
# One write in this many also removes counters expired for an hour (as DatabaseCache culls).
PURGE_EVERY = 200


class DatabaseCounterCache(BaseCache):
    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)

    def _expiry(self, timeout: Any) -> datetime.datetime:
        seconds = self.get_backend_timeout(timeout)
        if seconds is None:  # "forever": a counter never needs longer than a day
            seconds = 86400
        return timezone.now() + datetime.timedelta(seconds=seconds)

    def _live(self, key: str) -> Any:
        return RateCounter.objects.filter(key=key, expires_at__gt=timezone.now())

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        now = timezone.now()
        # Inserted, or an expired row taken over as if it were absent; a live row is left
        # alone and nothing is returned.
        with connection.cursor() as cursor:
            cursor.execute(
                _ADD_SQL,
                [key, int(value), self._db_time(self._expiry(timeout)), self._db_time(now)],
            )
            added = cursor.fetchone() is not None
        if added and random.randrange(PURGE_EVERY) == 0:  # noqa: S311 (not a secret) # nosec B311
            self._purge(now)
        return added

    def count_each(self, timeouts: dict[str, int]) -> dict[str, int]:
        """Add one to each key's counter, created (or, expired, started again) with its
        timeout in seconds, all in one statement; each key's count after it."""
        if not timeouts:
            return {}
        now = timezone.now()
        keys = {self.make_and_validate_key(key): key for key in timeouts}
        params: list[Any] = []
        for stored, key in keys.items():
            params += [stored, 1, self._db_time(self._expiry(timeouts[key]))]
        rows = ", ".join(["(%s, %s, %s)"] * len(keys))
        with connection.cursor() as cursor:
            cursor.execute(_COUNT_SQL.format(rows=rows), [*params, *[self._db_time(now)] * 2])
            counts = {keys[stored]: int(count) for stored, count in cursor.fetchall()}
        if random.randrange(PURGE_EVERY) == 0:  # noqa: S311 (not a secret) # nosec B311
            self._purge(now)
        return counts

    def uncount(self, keys: list[str]) -> None:
        """Take back one from each key's counter (a request refused by a rule before them)."""
        if keys:
            stored = [self.make_and_validate_key(key) for key in keys]
            RateCounter.objects.filter(key__in=stored).update(count=F("count") - 1)

    @staticmethod
    def _purge(now: datetime.datetime) -> None:
        stale = now - datetime.timedelta(hours=1)
        RateCounter.objects.filter(expires_at__lt=stale).delete()

    @staticmethod
    def _db_time(value: datetime.datetime) -> Any:
        return connection.ops.adapt_datetimefield_value(value)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        count = self._live(key).values_list("count", flat=True).first()
        return default if count is None else count

    def set(
        self,
        key: Any,
        value: Any,
        timeout: Any = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        key = self.make_and_validate_key(key, version=version)
        RateCounter.objects.update_or_create(
            key=key, defaults={"count": int(value), "expires_at": self._expiry(timeout)}
        )

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        key = self.make_and_validate_key(key, version=version)
        with connection.cursor() as cursor:
            # The count after our own add: a concurrent request may have counted too, never
            # fewer.
            cursor.execute(_INCR_SQL, [delta, key, self._db_time(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            raise ValueError(f"Key {key!r} not found.")
        return int(row[0])

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return bool(self._live(key).update(expires_at=self._expiry(timeout)))

    def delete(self, key: Any, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return bool(RateCounter.objects.filter(key=key).delete()[0])

    def has_key(self, key: Any, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self._live(key).exists()

    def clear(self) -> None:
        RateCounter.objects.all().delete()
