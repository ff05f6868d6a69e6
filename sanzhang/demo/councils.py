"""The demo county's councils (议事协商): a 莲心议事会 for every community, a 莲乡夜话 for a sample
of the villages (about one in six, and the demo area leader's own village), and a council for
each township those villages refer matters up to. A year of monthly meetings: topics from the
place's issues and micro-wishes or members' proposals, attendance, decisions with vote counts,
and the work each agreed decision made followed as an issue of the loop (closed for most of the
older ones). The township meets each quarter on what its villages referred up.

Bulk inserts, like the rest of the demo; the tracked issues' timelines are drawn by the issue
history's own `_timeline`, so each is a legal path through the six steps. Call it after the
issue and wish histories (it takes topics from them); `remove_council_history` goes before
issues, people and places are removed.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from sanzhang.councils.models import (
    Attendance,
    Council,
    Decision,
    Kind,
    Meeting,
    Outcome,
    Party,
    Seat,
    Source,
    Topic,
    Vote,
)
from sanzhang.councils.services import NAME_SUFFIX
from sanzhang.issues.deadlines import due_at
from sanzhang.issues.models import Category, Issue, IssueEvent, State, Tier
from sanzhang.people.models import Organisation, Person, Role, User
from sanzhang.places.models import Place, PlaceKind
from sanzhang.posts.models import Tenure
from sanzhang.wishes.models import Wish

from .issues import IMPORTER, OPEN_STEPS, Plan, _clock, _step_due, _timeline

MONTHS = 12
VILLAGE_SHARE = 6  # one village in six holds a 莲乡夜话 in the demo
DEMO_VILLAGE = "GC.D01.A01"  # the demo area leader's village always has one
DEMO_COMMUNITY = "GC.C01"  # its next meeting waits for the demo resident's sign-in
PROPOSALS: dict[str, list[tuple[str, str]]] = {
    Kind.TOWN: [
        ("老旧小区加装电梯", "多数住户年纪大，上下楼困难，建议加装电梯，费用分摊方案待议"),
        ("小区停车位不足", "夜间车辆乱停，占用消防通道，建议划定临时停车区"),
        ("楼道电动车充电隐患", "建议在小区内集中建设充电棚"),
        ("物业费调整", "物业提出上调物业费，需业主代表共同商议"),
        ("小区绿化改造", "部分绿地被占用种菜，建议统一恢复绿化"),
        ("增设老年食堂", "社区独居老人多，建议与物业合作开设助餐点"),
    ],
    Kind.VILLAGE: [
        ("村道硬化", "通组道路泥泞，雨天难行，建议硬化"),
        ("白莲产业合作社", "致富带头人提议成立合作社，统一收购和销售"),
        ("农田灌溉水渠维修", "水渠年久失修，渗漏严重"),
        ("村庄环境整治", "房前屋后垃圾堆放，建议分片包干清理"),
        ("留守老人照料", "建议组织志愿者定期上门看望"),
        ("技术培训", "请技术能手开办白莲种植和病虫害防治培训"),
    ],
}
DECIDED_TEXT = {
    Outcome.AGREED: [
        "同意实施，由责任方制定方案并按期完成",
        "同意，先行试点，一个月后评估",
        "同意，费用按议定方案分摊",
    ],
    Outcome.NOT_AGREED: ["暂不实施，条件成熟后再议", "意见分歧较大，暂缓"],
    Outcome.REFERRED: ["涉及资金和跨村协调，提交乡镇统筹", "超出村级能力，提交乡镇研究"],
}
OWNERS: dict[str, list[str]] = {
    Kind.TOWN: ["物业服务企业", "社区居委会", "业主委员会", "网格长"],
    Kind.VILLAGE: ["村委会", "片区长", "合作社", "网格长"],
    Kind.TOWNSHIP: ["乡镇政府", "乡镇农业站", "乡镇规划办"],
}
VENUES: dict[str, str] = {
    Kind.TOWN: "社区党群服务中心",
    Kind.VILLAGE: "村委会议室",
    Kind.TOWNSHIP: "乡镇会议室",
}
REPRESENTATIVES = ["刘主任", "陈经理", "黄会长", "赵师傅", "孙经理", "周主任"]


def _month_day(now: datetime.datetime, months_ago: int, day: int) -> datetime.date:
    first = timezone.localdate(now).replace(day=1)
    year, month = first.year, first.month - months_ago
    while month < 1:
        month += 12
        year -= 1
    return datetime.date(year, month, day)


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    local = datetime.datetime.combine(day, datetime.time(hour, 0))
    return timezone.make_aware(local)


class _Builder:
    """Rows collected in memory, then written with bulk_create in dependency order."""

    def __init__(self, rng: random.Random, now: datetime.datetime) -> None:
        self.rng = rng
        self.now = now
        self.importer = User.objects.filter(username=IMPORTER).first() or User.objects.create(
            username=IMPORTER, role=Role.COUNTY_OFFICE, is_active=False
        )
        self.categories = {c.code: c for c in Category.objects.all()}
        self.committees = {
            o.place_id: o
            for o in Organisation.objects.filter(kind=Organisation.Kind.COMMITTEE)
            if o.place_id
        }
        self.office = Organisation.objects.filter(kind=Organisation.Kind.COUNTY_OFFICE).first()
        self.issue_count = 0

    # ---- seats ----

    def seats(self, council: Council) -> list[Seat]:
        code = council.place.code
        holders = list(
            Tenure.objects.current()
            .filter(role=Tenure.Role.HOLDER, post__place__code__under=code)
            .order_by("post__place__depth", "pk")
            .values_list("person_id", flat=True)[:40]
        )
        residents = list(
            Person.objects.filter(household__place__code__under=code)
            .exclude(pk__in=holders)
            .order_by("pk")
            .values_list("pk", flat=True)[:400]
        )
        rng = self.rng
        leaders = list(dict.fromkeys(holders))[:2]
        people = rng.sample(residents, min(len(residents), 3))
        rows: list[Seat] = [
            Seat(council=council, party=Party.LEADERS, person_id=p) for p in leaders
        ]
        name = council.place.name
        if council.kind == Kind.TOWN:
            rows += [
                Seat(
                    council=council,
                    party=Party.PARTY_ORGANISATION,
                    organisation_name=f"{name}党委",
                    representative="党委书记",
                ),
                Seat(
                    council=council,
                    party=Party.OWNERS_COMMITTEE,
                    organisation_name=f"{name}业主委员会",
                    representative=rng.choice(REPRESENTATIVES),
                ),
                Seat(
                    council=council,
                    party=Party.PROPERTY_COMPANY,
                    organisation_name=f"{name}物业服务中心",
                    representative=rng.choice(REPRESENTATIVES),
                ),
            ]
            rows += [Seat(council=council, party=Party.RESIDENTS, person_id=p) for p in people]
        elif council.kind == Kind.VILLAGE:
            rows.append(
                Seat(
                    council=council,
                    party=Party.ENTREPRENEURS,
                    organisation_name=f"{name}白莲合作社",
                    representative=rng.choice(REPRESENTATIVES),
                )
            )
            if people:
                rows.append(Seat(council=council, party=Party.SPECIALISTS, person_id=people[0]))
            rows += [Seat(council=council, party=Party.VILLAGERS, person_id=p) for p in people[1:]]
        else:
            rows.append(
                Seat(
                    council=council,
                    party=Party.TOWNSHIP,
                    organisation_name=f"{name}人民政府",
                    representative="分管领导",
                )
            )
        return rows

    # ---- tracked work ----

    def tracked_issue(self, council: Council, decided_at: datetime.datetime, text: str) -> Issue:
        """The agreed work as an issue of the loop at the council's place: closed when it was
        agreed long enough ago (most of them), else open at some step."""
        rng = self.rng
        age = (self.now - decided_at).days
        closed = age > 45 and rng.random() < 0.85
        plan = Plan(
            tier=Tier.COMPLEX,
            outcome="closed" if closed else "open",
            place=council.place,
            created=decided_at + datetime.timedelta(hours=1),
            open_step="" if closed else rng.choice(OPEN_STEPS),
        )
        _timeline(plan, rng, [], self.now)
        self.issue_count += 1
        _kind, _from, state, at, _note = plan.events[-1]
        owner = self.committees.get(council.place_id) or self.office
        category = self.categories.get("other") or next(iter(self.categories.values()))
        final = state == State.CLOSED
        issue = Issue(
            number=f"{timezone.localtime(plan.created):%Y%m%d}-C{self.issue_count:05d}",
            place=council.place,
            category=category,
            tier=plan.tier,
            state=state,
            channel="api",
            text=f"{council.name}议定：{text}",
            recorded_by=self.importer,
            owner_place=owner.place if owner else council.place,
            owner_organisation=owner,
            due_at=None if final else due_at(plan.tier, state, _clock(at, self.now, rng)),
            created_at=plan.created,
            updated_at=at,
            closed_at=at if final else None,
            version=len(plan.events),
        )
        issue._demo_plan = plan  # type: ignore[attr-defined]
        return issue


def load_council_history(rng: random.Random) -> None:
    """Councils, seats and a year of meetings for the demo county (see the module's words)."""
    now = timezone.now().replace(second=0, microsecond=0)
    builder = _Builder(rng, now)
    places = list(
        Place.objects.active()
        .filter(kind__in=[PlaceKind.COMMUNITY, PlaceKind.AREA])
        .order_by("code")
    )
    communities = [p for p in places if p.kind == PlaceKind.COMMUNITY]
    areas = [p for p in places if p.kind == PlaceKind.AREA]
    sample = set(rng.sample(areas, max(1, len(areas) // VILLAGE_SHARE))) if areas else set()
    sample |= {a for a in areas if a.code == DEMO_VILLAGE}
    villages = sorted(sample, key=lambda p: p.code)
    township_places = {v.parent_id for v in villages if v.parent_id}
    townships = list(Place.objects.filter(pk__in=township_places).order_by("code"))

    def council_of(place: Place, kind: str) -> Council:
        suffix = NAME_SUFFIX[Kind(kind)]
        return Council(
            place=place,
            kind=kind,
            name=f"{place.name}{suffix}",
            created_at=now - datetime.timedelta(days=400),
        )

    councils = Council.objects.bulk_create(
        [council_of(p, Kind.TOWN) for p in communities]
        + [council_of(p, Kind.VILLAGE) for p in villages]
        + [council_of(p, Kind.TOWNSHIP) for p in townships]
    )
    place_of = {p.pk: p for p in [*communities, *villages, *townships]}
    for council in councils:
        council.place = place_of[council.place_id]
    seats = Seat.objects.bulk_create([s for c in councils for s in builder.seats(c)])
    _demo_member(councils, seats)
    seats_of: dict[int, list[Seat]] = defaultdict(list)
    for seat in seats:
        seats_of[seat.council_id].append(seat)
    sources = _sources(councils)

    meetings: list[Meeting] = []
    agenda: list[tuple[int, Topic]] = []  # (meeting index, topic)
    for council in councils:
        if council.kind == Kind.TOWNSHIP:
            continue
        proposals = PROPOSALS[council.kind]
        for months_ago in range(MONTHS, -1, -1):
            day = _month_day(now, months_ago, rng.randint(5, 25))
            upcoming = months_ago == 0
            if upcoming:  # this month's meeting is still to come
                day = timezone.localdate(now) + datetime.timedelta(days=rng.randint(2, 9))
            meetings.append(
                Meeting(
                    council=council,
                    held_on=day,
                    venue=VENUES[council.kind],
                    state=Meeting.State.PLANNED if upcoming else Meeting.State.PUBLISHED,
                    minutes="" if upcoming else "各方代表到会，逐项议题充分协商并表决。",
                    public_minutes=""
                    if upcoming
                    else f"{council.name}召开例会，协商议定事项如下。",
                    published_at=None if upcoming else _moment(day, 20),
                )
            )
            for _ in range(rng.randint(1, 3)):
                topic = _topic(
                    council, sources, proposals, rng, _moment(day, 9) - datetime.timedelta(days=10)
                )
                agenda.append((len(meetings) - 1, topic))
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    for index, topic in agenda:
        topic.meeting = meetings[index]
    Topic.objects.bulk_create([t for _, t in agenda], batch_size=1000)

    decisions: list[Decision] = []
    attendance: list[Attendance] = []
    votes: list[Vote] = []
    referred: list[tuple[Council, Topic, datetime.datetime]] = []
    by_meeting: dict[int, list[Topic]] = defaultdict(list)
    for index, topic in agenda:
        by_meeting[index].append(topic)
    by_id = {c.pk: c for c in councils}
    for index, meeting in enumerate(meetings):
        if meeting.state == Meeting.State.PLANNED:
            continue
        council = by_id[meeting.council_id]
        members = seats_of[council.pk]
        present = [s for s in members if rng.random() < 0.85] or members[:1]
        on_phone = [s for s in present if s.person_id and rng.random() < 0.6]
        attendance += [
            Attendance(
                meeting=meeting,
                seat=s,
                how=Attendance.How.PHONE if s in on_phone else Attendance.How.STAFF,
                at=_moment(meeting.held_on, 19),
            )
            for s in present
        ]
        decided_at = _moment(meeting.held_on, 20)
        for topic in by_meeting[index]:
            outcome = _outcome(council.kind, rng)
            decisions.append(
                _decision(builder, council, topic, meeting, outcome, len(present), decided_at)
            )
            if outcome == Outcome.REFERRED:
                referred.append((council, topic, decided_at))
            if outcome != Outcome.NOT_AGREED:  # all present voted for: the phones' share
                votes += [
                    Vote(
                        topic=topic,
                        seat=seat,
                        choice="for",
                        at=decided_at - datetime.timedelta(minutes=30),
                    )
                    for seat in on_phone
                ]
    _township_meetings(builder, councils, seats_of, referred, decisions, attendance)
    tracked = [d.issue for d in decisions if d.issue is not None]
    Issue.objects.bulk_create(tracked, batch_size=500)
    IssueEvent.objects.bulk_create(
        (
            IssueEvent(
                issue=issue,
                kind=kind,
                from_state=before,
                to_state=after,
                at=at,
                note=note,
                data={"imported": True, "council": True},
                due_at=issue.due_at
                if n == len(issue._demo_plan.events) - 1  # type: ignore[attr-defined]
                else _step_due(issue.tier, after, at),
            )
            for issue in tracked
            for n, (kind, before, after, at, note) in enumerate(issue._demo_plan.events)  # type: ignore[attr-defined]
        ),
        batch_size=2000,
    )
    Decision.objects.bulk_create(decisions, batch_size=1000)
    Attendance.objects.bulk_create(attendance, batch_size=2000)
    Vote.objects.bulk_create(votes, batch_size=2000)


def _demo_member(councils: list[Council], seats: list[Seat]) -> None:
    """The demo resident (unit 1 of the first grid) holds a residents' seat on their
    community's council, so their phone has a meeting to sign in to."""
    from .accounts import UNIT

    council = next((c for c in councils if c.place.code == DEMO_COMMUNITY), None)
    if council is None:
        return
    holders = Tenure.objects.values("person_id")
    person = (
        Person.objects.filter(household__place__code=UNIT)
        .exclude(pk__in=holders)
        .order_by("pk")
        .first()
    )
    if person is None or any(s.person_id == person.pk for s in seats if s.council_id == council.pk):
        return
    seats.append(Seat.objects.create(council=council, party=Party.RESIDENTS, person=person))


def _sources(councils: list[Council]) -> dict[int, list[tuple[str, object]]]:
    """Per council, issues and wishes of its place a meeting may take up (each once)."""
    found: dict[int, list[tuple[str, object]]] = defaultdict(list)
    for council in councils:
        code = council.place.code
        issues = Issue.objects.filter(place__code__under=code, tier=Tier.COMPLEX)
        issues = issues.select_related("category").order_by("pk")[:20]
        wishes = Wish.objects.filter(place__code__under=code).order_by("pk")[:5]
        found[council.pk] = [("issue", i) for i in issues] + [("wish", w) for w in wishes]
    return found


def _topic(
    council: Council,
    sources: dict[int, list[tuple[str, object]]],
    proposals: list[tuple[str, str]],
    rng: random.Random,
    at: datetime.datetime,
) -> Topic:
    pool = sources[council.pk]
    if pool and rng.random() < 0.5:
        kind, thing = pool.pop(rng.randrange(len(pool)))
        if kind == "issue":
            assert isinstance(thing, Issue)  # nosec B101 # for mypy
            category = thing.category.name if thing.category_id else ""
            return Topic(
                council=council,
                title=f"群众反映的{category}问题",
                source=Source.ISSUE,
                issue=thing,
                created_at=at,
            )
        assert isinstance(thing, Wish)  # nosec B101 # for mypy
        return Topic(
            council=council,
            title="居民微心愿的集中办理",
            source=Source.WISH,
            wish=thing,
            created_at=at,
        )
    title, text = rng.choice(proposals)
    return Topic(council=council, title=title, source=Source.PROPOSAL, proposal=text, created_at=at)


def _outcome(kind: str, rng: random.Random) -> str:
    roll = rng.random()
    referred = 0.25 if kind == Kind.VILLAGE else 0.1 if kind == Kind.TOWN else 0.0
    if roll < referred:
        return Outcome.REFERRED
    return Outcome.AGREED if roll < referred + 0.65 else Outcome.NOT_AGREED


def _decision(
    builder: _Builder,
    council: Council,
    topic: Topic,
    meeting: Meeting,
    outcome: str,
    present: int,
    decided_at: datetime.datetime,
) -> Decision:
    rng = builder.rng
    text = rng.choice(DECIDED_TEXT[Outcome(outcome)])
    votes_for = present if outcome != Outcome.NOT_AGREED else rng.randint(0, present // 2)
    against = present - votes_for
    owner = rng.choice(OWNERS[council.kind]) if outcome == Outcome.AGREED else ""
    decision = Decision(
        topic=topic,
        meeting=meeting,
        outcome=outcome,
        text=text,
        votes_for=votes_for,
        votes_against=against,
        votes_abstain=0,
        owner=owner,
        due_on=meeting.held_on + datetime.timedelta(days=30) if owner else None,
        decided_at=decided_at,
    )
    if outcome == Outcome.AGREED:
        decision.issue = builder.tracked_issue(council, decided_at, f"{topic.title}：{text}")
    return decision


def _township_meetings(
    builder: _Builder,
    councils: list[Council],
    seats_of: dict[int, list[Seat]],
    referred: list[tuple[Council, Topic, datetime.datetime]],
    decisions: list[Decision],
    attendance: list[Attendance],
) -> None:
    """Each township meets at the end of every quarter on what its villages referred up."""
    rng = builder.rng
    upper = {c.place_id: c for c in councils if c.kind == Kind.TOWNSHIP}
    waiting: dict[int, list[tuple[Topic, datetime.datetime]]] = defaultdict(list)
    for council, topic, at in referred:
        above = upper.get(council.place.parent_id or 0)
        if above is not None:
            waiting[above.pk].append((topic, at))
    for township in upper.values():
        pending = sorted(waiting[township.pk], key=lambda pair: pair[1])
        if not pending:
            continue
        quarters: dict[datetime.date, list[tuple[Topic, datetime.datetime]]] = defaultdict(list)
        for topic, at in pending:
            local = timezone.localdate(at)
            end_month = ((local.month - 1) // 3 + 1) * 3
            day = datetime.date(local.year, end_month, 25)
            if _moment(day, 9) <= at:
                day = day + datetime.timedelta(days=30)
            quarters[day].append((topic, at))
        for day, items in sorted(quarters.items()):
            held = _moment(day, 15) < builder.now
            meeting = Meeting.objects.create(
                council=township,
                held_on=day,
                venue=VENUES[Kind.TOWNSHIP],
                state=Meeting.State.PUBLISHED if held else Meeting.State.PLANNED,
                minutes="对各村提交事项逐项研究。" if held else "",
                public_minutes=f"{township.name}研究各村提交事项。" if held else "",
                published_at=_moment(day, 18) if held else None,
            )
            members = seats_of[township.pk]
            if held:
                attendance += [
                    Attendance(
                        meeting=meeting, seat=s, how=Attendance.How.STAFF, at=_moment(day, 14)
                    )
                    for s in members
                ]
            for topic, at in items:
                mine = Topic.objects.create(
                    council=township,
                    title=topic.title,
                    source=Source.REFERRAL,
                    proposal="村级议事提交乡镇统筹",
                    referred_from=topic,
                    meeting=meeting,
                    created_at=at + datetime.timedelta(hours=1),
                )
                if held:
                    outcome = Outcome.AGREED if rng.random() < 0.8 else Outcome.NOT_AGREED
                    decisions.append(
                        _decision(
                            builder,
                            township,
                            mine,
                            meeting,
                            outcome,
                            len(members),
                            _moment(day, 16),
                        )
                    )


def remove_council_history() -> None:
    """Delete every council with its seats, topics, meetings and decisions (the demo's
    removal calls this before it removes issues, people and places)."""
    Vote.objects.all().delete()
    Attendance.objects.all().delete()
    Decision.objects.all().delete()
    Topic.objects.update(referred_from=None)
    Topic.objects.all().delete()
    Meeting.objects.all().delete()
    Seat.objects.all().delete()
    Council.objects.all().delete()
