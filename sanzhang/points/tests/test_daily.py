"""The ledger's points by day: every way an entry is written adds it to its member's local day,
in its transaction; two entries at once both count; the migration's fill gives the same rows;
and rankings read from the days give what the entries give, for every kind of period."""

from __future__ import annotations

import datetime
import importlib
import io
import os
import random
import threading
import time
from collections import defaultdict
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum

from sanzhang.people.models import Person
from sanzhang.points import periods
from sanzhang.points.models import AppendOnlyError, Cause, DailyPoints, PointEntry
from sanzhang.points.ranking import ranking
from sanzhang.points.services import Source, award, balance

from .conftest import make_member, member_user
from .test_ledger import SHANGHAI, at

pytestmark = pytest.mark.django_db
fill = importlib.import_module("sanzhang.points.migrations.0005_fill_daily_points").fill


def days_from_entries() -> dict[tuple[int, datetime.date], int]:
    """(person, local day) → the sum of the entries, counted in Python from the ledger."""
    days: dict[tuple[int, datetime.date], int] = defaultdict(int)
    for person_id, moment, points in PointEntry.objects.values_list("person_id", "at", "points"):
        days[(person_id, moment.astimezone(SHANGHAI).date())] += points
    return dict(days)


def days_kept() -> dict[tuple[int, datetime.date], int]:
    return {(r.person_id, r.day): r.points for r in DailyPoints.objects.all()}


def correction(person: Person, points: int, moment: datetime.datetime) -> PointEntry:
    return PointEntry(
        person=person, cause=Cause.CORRECTION, points=points, reason="更正", at=moment
    )


def test_entries_count_on_their_local_day_however_written(rules, member_a) -> None:
    award(member_a, Cause.TASK_JOINED, Source("task:1", "送餐"), at=at("2025-03-31 23:59"))
    award(member_a, Cause.TASK_JOINED, Source("task:2", "送药"), at=at("2025-04-01 00:00"))
    correction(member_a, -1, at("2025-04-01 07:59")).save()  # 23:59 UTC the day before
    PointEntry.objects.bulk_create(
        [correction(member_a, 6, at("2025-04-01 12:00")), correction(member_a, 2, at("2025-04-02"))]
    )
    assert days_kept() == {
        (member_a.pk, datetime.date(2025, 3, 31)): 4,
        (member_a.pk, datetime.date(2025, 4, 1)): 4 - 1 + 6,
        (member_a.pk, datetime.date(2025, 4, 2)): 2,
    }
    assert days_kept() == days_from_entries()


def test_an_entry_refused_adds_nothing_to_its_day(rules, member_a) -> None:
    source = Source("task:1", "送餐")
    award(member_a, Cause.TASK_JOINED, source, at=at("2025-03-02 10:00"))
    award(member_a, Cause.TASK_JOINED, source, at=at("2025-03-02 11:00"))  # a retry: no entry
    twice = PointEntry.objects.get()
    twice.pk, twice._state.adding = None, True
    with pytest.raises(IntegrityError), transaction.atomic():
        twice.save()  # the same source again, past `award`: the constraint refuses it
    assert days_kept() == {(member_a.pk, datetime.date(2025, 3, 2)): 4}


def test_bulk_writes_that_may_skip_or_update_entries_are_refused(member_a) -> None:
    for conflicts in ({"ignore_conflicts": True}, {"update_conflicts": True}):
        with pytest.raises(AppendOnlyError):
            PointEntry.objects.bulk_create([correction(member_a, 1, at("2025-03-02"))], **conflicts)
    assert not PointEntry.objects.exists() and not DailyPoints.objects.exists()


def test_the_migrations_fill_gives_the_rows_the_ledger_keeps(county, member_a, member_b) -> None:
    rng = random.Random(7)
    PointEntry.objects.bulk_create(
        correction(rng.choice([member_a, member_b]), rng.randint(-3, 9), midnight_ish(rng))
        for _ in range(200)
    )
    kept = days_kept()
    DailyPoints.objects.all().delete()
    fill(apps, SimpleNamespace(connection=connection))
    assert days_kept() == kept == days_from_entries()


def test_rebuild_daily_points_sums_the_days_afresh_from_the_ledger(
    county, member_a, member_b
) -> None:
    """After a rolling upgrade, entries written by the release before never reached their
    days: the command repairs them, and a second run changes nothing."""
    rng = random.Random(11)
    PointEntry.objects.bulk_create(
        correction(rng.choice([member_a, member_b]), rng.randint(-3, 9), midnight_ish(rng))
        for _ in range(120)
    )
    kept = days_kept()
    DailyPoints.objects.filter(pk__in=DailyPoints.objects.values("pk")[:40]).delete()
    DailyPoints.objects.filter(pk=DailyPoints.objects.first().pk).update(points=999)
    assert days_kept() != kept
    out = io.StringIO()
    call_command("rebuild_daily_points", stdout=out)
    assert days_kept() == kept == days_from_entries()
    assert out.getvalue().startswith(f"{len(kept)} days")
    call_command("rebuild_daily_points", stdout=io.StringIO())
    assert days_kept() == kept


def midnight_ish(rng: random.Random) -> datetime.datetime:
    """A moment in 2025, half of them within minutes of a local midnight, where a day read in
    UTC (or any other zone) would differ."""
    day = datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randrange(365))
    start = datetime.datetime.combine(day, datetime.time.min, SHANGHAI)
    if rng.random() < 0.5:
        return start + datetime.timedelta(seconds=rng.randint(-300, 300))
    return start + datetime.timedelta(seconds=rng.randrange(86400))


def period_keys(rng: random.Random) -> list[str]:
    spans = []
    for _ in range(6):
        first = datetime.date(2024, 12, 25) + datetime.timedelta(days=rng.randrange(380))
        last = first + datetime.timedelta(days=rng.choice([0, 1, 6, 30, 90]))
        spans.append(f"{first}..{last}")
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    return [*months, "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2024", "2025", *spans]


def test_rankings_from_the_days_equal_the_sums_of_the_entries(county) -> None:
    rng = random.Random(2025)
    people = [
        make_member(county.unit_a1_2, county.community, f"党员{n}", door=f"{n}01") for n in range(6)
    ]
    entries = [correction(rng.choice(people), rng.randint(-5, 12), midnight_ish(rng))]
    for _ in range(400):
        entries.append(correction(rng.choice(people), rng.randint(-5, 12), midnight_ish(rng)))
    PointEntry.objects.bulk_create(entries[:300])
    for entry in entries[300:]:
        entry.save()
    assert days_kept() == days_from_entries()
    for key in period_keys(rng):
        period = periods.parse(key)
        assert period is not None
        start, end = period.bounds()
        by_entries = dict(
            PointEntry.objects.filter(at__gte=start, at__lt=end)
            .values("person_id")
            .annotate(total=Sum("points"))
            .values_list("person_id", "total")
        )
        ranked = {m.person_id: m.total for m in ranking(county.community, period)}
        assert ranked == {p.pk: by_entries.get(p.pk, 0) for p in people}, key


def write_at_once(
    person: Person, moment: datetime.datetime, writers: int, each: int
) -> list[BaseException]:
    """`writers` threads, each on its own connection, writing `each` entries for `person` at
    `moment`; the first holds its transaction open a moment after its entry, so the others'
    additions to the same (new) day come while its row is not yet committed."""
    errors: list[BaseException] = []
    first_wrote = threading.Event()

    def write(writer: int) -> None:
        try:
            if writer:
                first_wrote.wait(5)
            for n in range(each):
                with transaction.atomic():
                    correction(person, writer + 1, moment).save()
                    if writer == 0 and n == 0:
                        first_wrote.set()
                        time.sleep(0.3)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
            first_wrote.set()
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


# An in-memory SQLite database shared between threads answers "table is locked" at once
# instead of waiting; `make test` runs SQLite on a file (SQLITE_TEST_NAME), as production does.
@pytest.mark.skipif(
    connection.vendor == "sqlite" and not os.environ.get("SQLITE_TEST_NAME"),
    reason="needs PostgreSQL or a SQLite test database file (SQLITE_TEST_NAME)",
)
@pytest.mark.django_db(transaction=True)
def test_entries_for_one_person_and_day_written_at_once_all_count(county, member_a) -> None:
    writers, each = 4, 10
    errors = write_at_once(member_a, at("2025-03-02 10:00"), writers, each)
    assert errors == []
    assert PointEntry.objects.count() == writers * each
    expected = sum(w + 1 for w in range(writers)) * each
    assert days_kept() == {(member_a.pk, datetime.date(2025, 3, 2)): expected}


def test_my_total_in_the_api_is_the_sum_of_my_entries(client, county, member_a, member_b) -> None:  # type: ignore[no-untyped-def]
    """The API's total is the balance from the days; it equals the entries' sum, and the
    running balance after the newest entry, with entries near local midnights."""
    rng = random.Random(3)
    entries = [correction(member_a, 9, at("2025-06-30 23:59:59"))]
    for _ in range(150):
        entries.append(
            correction(rng.choice([member_a, member_b]), rng.randint(-5, 12), midnight_ish(rng))
        )
    PointEntry.objects.bulk_create(entries[:100])
    for entry in entries[100:]:
        entry.save()
    client.force_login(member_user(member_a, "member-a"))
    body = client.get("/api/points/mine").json()
    mine = PointEntry.objects.filter(person=member_a)
    assert (
        body["total"] == sum(mine.values_list("points", flat=True)) == body["entries"][0]["balance"]
    )
    assert balance(member_a, periods.month(2025, 6)) == sum(
        e.points for e in mine if e.at.astimezone(SHANGHAI).timetuple()[:2] == (2025, 6)
    )
