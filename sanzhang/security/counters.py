"""A cache of counters in the database, for the rate limits when there is no Redis.

django-ratelimit needs a cache that every process shares and that increments atomically.
Django's DatabaseCache is shared but reads and writes back (two requests at once count one),
so this backend keeps integers in their own table and adds with a conditional UPDATE
(`count = count + 1`), which settles races in the database (docs/security.md). It holds
counters only: django-ratelimit calls add, incr and get.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import RateCounter

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
        expires = self._expiry(timeout)
        # An expired row is taken over as if it were absent.
        reset = RateCounter.objects.filter(key=key, expires_at__lte=timezone.now()).update(
            count=int(value), expires_at=expires
        )
        if reset:
            return True
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, count=int(value), expires_at=expires)
        except IntegrityError:
            return False  # another request added it first
        if random.randrange(PURGE_EVERY) == 0:  # noqa: S311 (not a secret) # nosec B311
            stale = timezone.now() - datetime.timedelta(hours=1)
            RateCounter.objects.filter(expires_at__lt=stale).delete()
        return True

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
        if not self._live(key).update(count=F("count") + delta):
            raise ValueError(f"Key {key!r} not found.")
        # Read after the add: a concurrent request may have counted too, never fewer.
        return int(RateCounter.objects.filter(key=key).values_list("count", flat=True)[0])

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
