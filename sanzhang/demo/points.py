"""The demo county's points (积分制管理): the rules (with one change, so the ledger shows two
versions of a rule) and 18 months of entries for its party members, bulk-created: the points
the issue history earned its holders (by the same definitions as `points/hooks.py`), and visits,
evening classes and community tasks, named by label until their apps exist."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from sanzhang.issues.models import NOTE_KINDS, Issue, IssueEvent
from sanzhang.people.models import PartyMember
from sanzhang.points import daily
from sanzhang.points.hooks import on_time
from sanzhang.points.models import Cause, DailyPoints, PointEntry, PointRule
from sanzhang.posts.models import Tenure

FIRST_RULES = datetime.date(2022, 9, 1)
CHANGED_MONTHS_AGO = 6  # the visit rule was raised six months ago
# cause: (points, cap, cap period)
RULES = {
    Cause.VISIT: (1, 20, "month"),
    Cause.ISSUE_SOLVED_ON_TIME: (3, None, ""),
    Cause.GOOD_RATING: (2, None, ""),
    Cause.WISH_FULFILLED: (3, 15, "month"),
    Cause.TASK_JOINED: (2, 10, "month"),
    Cause.TRAINING_ATTENDED: (2, 4, "month"),
}
MONTHS = 18
# person, cause, points, rule, source type, source id, source key, label, at
Row = tuple[int, str, int, int, int | None, int | None, str, str, datetime.datetime]
# Evening classes earn points from real attendance (demo/training.py); the draw stays so the
# rest of the history is the same as before.
VISITS_PER_MONTH, CLASS_SHARE, TASK_SHARE = 0.5, 0.0, 0.1


def _rules(changed: datetime.date) -> dict[str, list[PointRule]]:
    made = [
        PointRule(
            cause=cause,
            points=points,
            cap=cap,
            cap_period=period,
            valid_from=FIRST_RULES,
            valid_to=changed if cause == Cause.VISIT else None,
            note="县三长办印发积分管理办法",
        )
        for cause, (points, cap, period) in RULES.items()
    ]
    made.append(
        PointRule(
            cause=Cause.VISIT,
            points=2,
            cap=30,
            cap_period="month",
            valid_from=changed,
            note="敲门行动加大激励",
        )
    )
    by_cause: dict[str, list[PointRule]] = defaultdict(list)
    for rule in PointRule.objects.bulk_create(made):
        by_cause[rule.cause].append(rule)
    return by_cause


def _rule(rules: dict[str, list[PointRule]], cause: str, day: datetime.date) -> PointRule:
    return next(
        r for r in rules[cause] if r.valid_from <= day and (r.valid_to is None or day < r.valid_to)
    )


def _issue_entries(rules: dict[str, list[PointRule]], members: set[int]) -> list[Row]:
    """Good ratings and on-time solutions for the holders of the owner posts."""
    ratings = list(
        IssueEvent.objects.filter(kind=IssueEvent.Kind.RATED_SATISFIED)
        .select_related("issue")
        .order_by("at", "id")
    )
    moves: dict[int, list] = defaultdict(list)
    events = IssueEvent.objects.filter(issue__state="closed").exclude(kind__in=NOTE_KINDS)
    for row in events.order_by("at", "id").values_list(
        "issue_id", "kind", "to_state", "due_at", "at"
    ):
        moves[row[0]].append(row[1:])
    holders: dict[int, list[Tenure]] = defaultdict(list)
    for tenure in Tenure.objects.filter(role=Tenure.Role.HOLDER, person_id__in=members):
        holders[tenure.post_id].append(tenure)
    issue_type = ContentType.objects.get_for_model(Issue)
    entries: list[Row] = []
    for event in ratings:
        day = timezone.localdate(event.at)
        post_id = event.data.get("owner_post") or event.issue.owner_post_id
        held = [
            t
            for t in holders.get(int(post_id or 0), [])
            if t.started_on <= day and (t.ended_on is None or t.ended_on > day)
        ]
        if not held:
            continue
        causes = [Cause.GOOD_RATING]
        if on_time(moves[event.issue_id]):
            causes.append(Cause.ISSUE_SOLVED_ON_TIME)
        for cause in causes:
            rule = _rule(rules, cause, day)
            entries.append(
                (
                    held[0].person_id,
                    cause,
                    rule.points,
                    rule.pk,
                    issue_type.pk,
                    event.issue_id,
                    f"issues.issue:{event.issue_id}",
                    event.issue.number,
                    event.at,
                )
            )
    return entries


def _month_starts(now: datetime.datetime) -> list[datetime.date]:
    first = timezone.localdate(now).replace(day=1)
    index = first.year * 12 + first.month - 1
    return [
        datetime.date((index - n) // 12, (index - n) % 12 + 1, 1) for n in range(MONTHS, -1, -1)
    ]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _life_entries(rules, people: list[int], rng: random.Random, now) -> list[Row]:  # type: ignore[no-untyped-def]
    """Visits, evening classes and community tasks, month by month, up to now."""
    entries = []
    for month in _month_starts(now):
        class_day = month + datetime.timedelta(days=14)
        for person_id in people:
            for n in range(rng.choice((0, 0, 0, 0, 1, 2)) if VISITS_PER_MONTH else 0):
                day = month + datetime.timedelta(days=rng.randrange(28))
                key, label = f"visit:{person_id}:{day}:{n}", f"敲门走访 {day:%m-%d}"
                entries.append(
                    _entry(rules, person_id, Cause.VISIT, _at(day, 9 + n * 5), key, label)
                )
            if rng.random() < CLASS_SHARE:
                entries.append(
                    _entry(
                        rules,
                        person_id,
                        Cause.TRAINING_ATTENDED,
                        _at(class_day, 19),
                        f"class:{month:%Y-%m}",
                        f"夜间课堂 {month:%Y年%m月}",
                    )
                )
            if rng.random() < TASK_SHARE:
                day = month + datetime.timedelta(days=rng.randrange(28))
                entries.append(
                    _entry(
                        rules,
                        person_id,
                        Cause.TASK_JOINED,
                        _at(day, 15),
                        f"task:{month:%Y-%m}",
                        "为老人送餐送药",
                    )
                )
    return [e for e in entries if e[-1] <= now]


def _entry(rules, person_id: int, cause: str, at, key: str, label: str) -> Row:  # type: ignore[no-untyped-def]
    rule = _rule(rules, cause, at.date())  # `at` is local time here
    return (person_id, cause, rule.points, rule.pk, None, None, key, label, at)


def _insert(rows: list[Row]) -> None:
    """Straight to the table: tens of thousands of rows, no model instances on the way; their
    points added to the members' days as the ledger does (`points.daily`)."""
    columns = [
        "person_id",
        "cause",
        "points",
        "rule_id",
        "source_type_id",
        "source_id",
        "source_key",
        "source_label",
        "at",
        "reason",
        "created_at",
    ]
    adapt = connection.ops.adapt_datetimefield_value
    now = adapt(timezone.now())
    sql = (  # nosemgrep: sanzhang-sql-formatted (our table and column names, no input)
        f"INSERT INTO {PointEntry._meta.db_table} ({', '.join(columns)}) "  # noqa: S608 (our names) # nosec B608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        for first in range(0, len(rows), 5000):
            batch = rows[first : first + 5000]
            cursor.executemany(sql, [(*r[:-1], adapt(r[-1]), "", now) for r in batch])
    daily.add((r[0], r[-1], r[2]) for r in rows)


def load_points_history(seed: int) -> int:
    """Write the rules and the ledger; returns the number of entries."""
    rng = random.Random(seed + 5)  # nosec B311 # seeded demo data, no secret; its own stream: the rest of the demo stays as it was
    now = timezone.now()
    people = list(PartyMember.objects.order_by("person_id").values_list("person_id", flat=True))
    rules = _rules(_month_starts(now)[MONTHS - CHANGED_MONTHS_AGO])
    entries = _issue_entries(rules, set(people)) + _life_entries(rules, people, rng, now)
    _insert(entries)
    return len(entries)


def remove_points() -> None:
    """The ledger refuses deletes through the ORM; removing the demo is the one exception."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {PointEntry._meta.db_table}")  # noqa: S608 (our table) # nosec B608 # nosemgrep: sanzhang-sql-formatted
    DailyPoints.objects.all().delete()  # the ledger's sums by day go with it
    PointRule.objects.all().delete()
