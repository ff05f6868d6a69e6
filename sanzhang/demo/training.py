"""The demo county's party school (基层党校): a year of evening classes (夜间课堂) in each
community and township, one a month (and next month's, scheduled), attended by some of the post
holders of the place, most by scanning the code and a few marked by the organiser, with the
points the ledger gives party members for them: the rule in force then and there, within its
monthly cap (counting what the ledger holds already), bulk-created like `demo/points.py`'s.

Some holders never come: the "no training this year" list has names on it."""

from __future__ import annotations

import datetime
import random
import secrets
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from sanzhang.people.models import Organisation, PartyMember
from sanzhang.places.models import Place, PlaceKind
from sanzhang.points import periods
from sanzhang.points.models import Cause, PointEntry, PointRule
from sanzhang.points.services import rule_in_force
from sanzhang.posts.models import Tenure
from sanzhang.training.models import Attendance, Course, Session

MONTHS = 12
NEVER_COME = 0.2  # share of holders who attended no class all year
TOPICS = [
    "学习贯彻党的二十大精神",
    "三长联动工作职责与流程",
    "群众反映问题六步闭环",
    "敲门行动入户沟通技巧",
    "微心愿认领与办理",
    "网格矛盾纠纷化解",
    "防汛防火安全知识",
    "党员积分制管理办法解读",
    "基层治理典型案例交流",
    "莲心议事会议事规则",
    "乡村振兴政策解读",
    "党史学习教育专题",
]
TRAINERS = ["县委党校教师", "县三长办干部", "社区党委书记", "乡镇党委委员", "优秀网格长代表"]


def _month_starts(today: datetime.date) -> list[datetime.date]:
    """The first days of the last MONTHS months and of next month, oldest first."""
    index = today.year * 12 + today.month - 1
    return [
        datetime.date((index - n) // 12, (index - n) % 12 + 1, 1) for n in range(MONTHS - 1, -2, -1)
    ]


def _courses(places: list[Place]) -> list[Course]:
    orgs = {o.place_id: o for o in Organisation.objects.filter(place__in=places)}
    return Course.objects.bulk_create(
        [
            Course(
                place=p,
                title=f"{p.name}夜间课堂",
                description="基层党校每月一次夜间课堂，组织三长和在职党员学习。",
                organiser=orgs.get(p.pk),
            )
            for p in places
        ]
    )


def _sessions(courses: list[Course], rng: random.Random) -> list[Session]:
    made = []
    for course in courses:
        for n, month in enumerate(_month_starts(timezone.localdate())):
            day = month + datetime.timedelta(days=rng.randrange(5, 25))
            starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(19, 30)))
            made.append(
                Session(
                    course=course,
                    topic=TOPICS[(n + course.pk) % len(TOPICS)],
                    where=f"{course.place.name}党群服务中心",
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(minutes=90),
                    trainer=rng.choice(TRAINERS),
                    token=secrets.token_urlsafe(24),
                )
            )
    return Session.objects.bulk_create(made, batch_size=2000)


def _holders_under(places: list[Place]) -> dict[int, list[int]]:
    """Course place id → the people holding a post under it now."""
    tenures = Tenure.objects.current().filter(role=Tenure.Role.HOLDER)
    found: dict[int, list[int]] = {}
    for place in places:
        people = tenures.filter(post__place__code__under=place.code).values_list(
            "person_id", flat=True
        )
        found[place.pk] = sorted(set(people))
    return found


def _attendances(
    sessions: list[Session], holders: dict[int, list[int]], rng: random.Random
) -> list[Attendance]:
    now = timezone.now()
    keen = {p: rng.uniform(0.3, 0.8) for ids in holders.values() for p in ids}
    for person_id in list(keen):
        if rng.random() < NEVER_COME:
            keen[person_id] = 0.0
    made, seen = [], set()
    for session in sessions:
        if session.starts_at > now:
            continue  # next month's class: scheduled, nobody there yet
        for person_id in holders[session.course.place_id]:
            if rng.random() >= keen[person_id] or (session.pk, person_id) in seen:
                continue
            seen.add((session.pk, person_id))
            scanned = rng.random() < 0.85
            made.append(
                Attendance(
                    session=session,
                    person_id=person_id,
                    how=Attendance.How.SCANNED if scanned else Attendance.How.MARKED,
                    at=session.starts_at + datetime.timedelta(minutes=rng.randint(-20, 30)),
                )
            )
    return Attendance.objects.bulk_create(made, batch_size=2000)


def _used(since: datetime.datetime) -> dict[tuple[int, str, str], int]:
    """(person, cap period kind, period key) → training points the ledger holds already."""
    used: dict[tuple[int, str, str], int] = defaultdict(int)
    rows = PointEntry.objects.filter(cause=Cause.TRAINING_ATTENDED, at__gte=since)
    for person_id, at, points in rows.values_list("person_id", "at", "points"):
        day = timezone.localdate(at)
        for kind in ("day", "week", "month", "year"):
            used[(person_id, kind, periods.containing(kind, day).key)] += points
    return used


def _points(attendances: list[Attendance]) -> list[PointEntry]:
    """The ledger entries `award` would have made, in the order the classes were held."""
    if not attendances:
        return []
    members = set(PartyMember.objects.values_list("person_id", flat=True))
    used = _used(min(a.session.starts_at for a in attendances))
    rules: dict[int, PointRule | None] = {}
    kind = ContentType.objects.get_for_model(Attendance)
    made = []
    for a in sorted(attendances, key=lambda a: (a.session.starts_at, a.pk)):
        if a.person_id not in members:
            continue
        day = timezone.localdate(a.session.starts_at)
        if a.session_id not in rules:
            code = a.session.course.place.code
            rules[a.session_id] = rule_in_force(Cause.TRAINING_ATTENDED, day, code)
        rule = rules[a.session_id]
        if rule is None:
            continue
        points = rule.points
        if rule.cap is not None:
            slot = (a.person_id, rule.cap_period, periods.containing(rule.cap_period, day).key)
            points = min(points, rule.cap - used[slot])
        if points <= 0:
            continue
        for period in ("day", "week", "month", "year"):
            used[(a.person_id, period, periods.containing(period, day).key)] += points
        made.append(
            PointEntry(
                person_id=a.person_id,
                cause=Cause.TRAINING_ATTENDED,
                points=points,
                rule=rule,
                source_type=kind,
                source_id=a.pk,
                source_key=f"{Attendance._meta.label_lower}:{a.pk}",
                source_label=str(a)[:100],
                at=a.session.starts_at,
            )
        )
    return PointEntry.objects.bulk_create(made, batch_size=2000)


def load_training_history(rng: random.Random) -> None:
    """Courses, a year of classes and their attendance, and the points they earned (when the
    points rules are loaded already: run it after `load_points_history`)."""
    places = list(
        Place.objects.filter(kind__in=[PlaceKind.COMMUNITY, PlaceKind.DISTRICT]).order_by("code")
    )
    courses = _courses(places)
    for course in courses:  # the sessions name their place
        course.place = next(p for p in places if p.pk == course.place_id)
    sessions = _sessions(courses, rng)
    attendances = _attendances(sessions, _holders_under(places), rng)
    _points(attendances)
