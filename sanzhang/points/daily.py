"""Each person's points per local day (`DailyPoints`), kept by the ledger: every entry written
adds its points to its person's row for its local day, in the entry's transaction.

The addition is one upsert (INSERT … ON CONFLICT DO UPDATE, on SQLite and PostgreSQL alike):
two entries for the same person and day at once both count, even when neither finds a row yet
(the second waits for the first's row, then adds to it), where an UPDATE-then-INSERT would
have the second fail on the unique constraint or, without one, write a second row.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import connections
from django.utils import timezone

from .models import DailyPoints

TABLE = DailyPoints._meta.db_table
# Our own table and column names, no input; the values are parameters.
UPSERT = (  # nosemgrep: sanzhang-sql-formatted (our table's name, no input)
    f"INSERT INTO {TABLE} (person_id, day, points) VALUES (%s, %s, %s) "  # noqa: S608 # nosec B608
    f"ON CONFLICT (person_id, day) DO UPDATE SET points = {TABLE}.points + excluded.points"
)


def local_day(at: datetime.datetime) -> datetime.date:
    """The county's day of a moment (the install's time zone, as periods are read)."""
    return timezone.localtime(at, timezone.get_default_timezone()).date()


def add(entries: Iterable[tuple[int, datetime.datetime, int]], using: str = "default") -> None:
    """Add the points of (person id, at, points) entries to their people's days: one upsert per
    person and day, whatever the number of entries."""
    totals: dict[tuple[int, datetime.date], int] = defaultdict(int)
    for person_id, at, points in entries:
        totals[(person_id, local_day(at))] += points
    if not totals:
        return
    connection = connections[using]
    adapt = connection.ops.adapt_datefield_value
    rows = [(person, adapt(day), points) for (person, day), points in sorted(totals.items())]
    with connection.cursor() as cursor:
        cursor.executemany(UPSERT, rows)


def rebuild() -> int:
    """Every person's days summed afresh from the ledger, in one transaction; the rows written.
    For after a rolling upgrade (processes of the release before this table wrote entries it
    never counted) or a restore of the ledger alone."""
    from django.db import transaction
    from django.db.models import Sum
    from django.db.models.functions import TruncDate

    from .models import PointEntry

    zone = timezone.get_default_timezone()
    days = (
        PointEntry.objects.annotate(day=TruncDate("at", tzinfo=zone))
        .order_by()
        .values("person_id", "day")
        .annotate(total=Sum("points"))
        .values_list("person_id", "day", "total")
    )
    written = 0
    with transaction.atomic():
        DailyPoints.objects.all().delete()
        batch: list[DailyPoints] = []
        for person_id, day, total in days.iterator(chunk_size=5000):
            batch.append(DailyPoints(person_id=person_id, day=day, points=total))
            if len(batch) == 5000:
                written += len(DailyPoints.objects.bulk_create(batch))
                batch = []
        written += len(DailyPoints.objects.bulk_create(batch))
    return written
