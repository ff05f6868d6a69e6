"""The demo county's history of issues, shaped like the county's own figures: about 2,003
reported, 1,858 solved (93%), 731 hard ones solved with 12 departments at 12 assignment
meetings, and the rest still open at every step so the worklists have something in them.

The reports' words come from `issue_texts`: many phrasings per category and tier, a hard one
written for the department that leads it, so the triage model has a history to learn from.

Written with bulk inserts (the loop's services would take minutes for 20,000 events); every
timeline is a legal path through the state machine, and owners follow the routing rules'
default levels (the lowest place with a holder).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils import timezone

from sanzhang.issues.calendar import add_working_days
from sanzhang.issues.deadlines import DEFAULT_WORKING_DAYS, due_at
from sanzhang.issues.models import (
    AgendaItem,
    Category,
    Issue,
    IssueEvent,
    Meeting,
    State,
    Tier,
)
from sanzhang.people.models import Household, Organisation, Role, User
from sanzhang.places.models import Place, PlaceKind
from sanzhang.posts.models import Tenure

from . import issue_texts
from .leaders import DEPARTMENTS

# (closed, still open, declined, merged) per tier at scale 1: 1,858 closed of 2,003.
OUTCOMES = {
    Tier.SIMPLE: (657, 61, 15, 10),
    Tier.COMPLEX: (470, 20, 5, 5),
    Tier.HARD: (731, 29, 0, 0),
}
MEETINGS = 12
HISTORY_DAYS = 540
REOPENED_SHARE = 0.04
IMPORTER = "history-import"  # the account that imported the county's earlier records
# Demo accounts (demo/accounts.py) find work waiting at these places.
FEATURED = ["GC.C01.G01.B001.U1", "GC.C01.G01.B001", "GC.C01.G01"]

TEXTS = issue_texts.TEXTS  # the problems the reports are composed around, by category
OPEN_STEPS = [
    State.REPORTED,
    State.ASSIGNED,
    State.IN_PROGRESS,
    State.HANDLED,
    State.INSPECTED,
    State.FED_BACK,
]
K = IssueEvent.Kind


@dataclass
class Plan:
    tier: str
    outcome: str  # "closed", "open", "declined", "merged"
    place: Place
    created: datetime.datetime
    open_step: str = ""
    reopened: bool = False
    events: list[tuple[str, str, str, datetime.datetime, str]] = field(default_factory=list)


class Routing:
    """Owners by the default routing levels, from the county's holders, without queries."""

    def __init__(self, places: dict[int, Place]) -> None:
        self.places = places
        held = Tenure.objects.current().filter(role=Tenure.Role.HOLDER)
        self.posts: dict[int, int] = {}
        for place_id, post_id in held.order_by("post__kind").values_list(
            "post__place_id", "post_id"
        ):
            self.posts.setdefault(place_id, post_id)

    def chain(self, place: Place) -> Iterator[Place]:
        current: Place | None = place
        while current is not None:
            yield current
            current = self.places.get(current.parent_id) if current.parent_id else None

    def owner(self, place: Place, tier: str) -> tuple[Place, int] | None:
        wanted = {PlaceKind.UNIT, PlaceKind.BUILDING, PlaceKind.GRID}
        if tier == Tier.COMPLEX:
            wanted = {PlaceKind.GRID}
        started = False
        for candidate in self.chain(place):
            started = started or candidate.kind in wanted
            if started and candidate.pk in self.posts:
                return candidate, self.posts[candidate.pk]
        return None


def _plans(
    scale: float,
    rng: random.Random,
    spots: list[Place],
    now: datetime.datetime,
    featured: list[Place],
) -> list[Plan]:
    plans = []
    for tier, counts in OUTCOMES.items():
        for outcome, count in zip(("closed", "open", "declined", "merged"), counts, strict=True):
            for _ in range(max(1, round(count * scale)) if count else 0):
                days = rng.uniform(2, 30) if outcome == "open" else rng.uniform(12, HISTORY_DAYS)
                if tier == Tier.HARD and outcome != "open":
                    days = rng.uniform(40, HISTORY_DAYS)  # before the last meeting
                plans.append(
                    Plan(
                        tier=tier,
                        outcome=outcome,
                        place=rng.choice(spots),
                        created=now - datetime.timedelta(days=days, minutes=rng.randrange(600)),
                    )
                )
    open_plans = [p for p in plans if p.outcome == "open"]
    for i, plan in enumerate(open_plans):
        plan.open_step = OPEN_STEPS[i % len(OPEN_STEPS)]
        if plan.tier != Tier.HARD and i < len(featured) * 4:
            plan.place = featured[i % len(featured)]  # the demo accounts' own work
    for plan in plans:
        plan.reopened = plan.outcome == "closed" and rng.random() < REOPENED_SHARE
    plans.sort(key=lambda p: p.created)
    return plans


def _timeline(
    plan: Plan, rng: random.Random, meeting_dates: list[datetime.datetime], now: datetime.datetime
) -> datetime.datetime | None:
    """Fill plan.events (kind, from, to, at, note); the meeting date a hard issue is given
    to a department at, if it gets that far."""
    t = plan.created
    events = plan.events

    def step(kind: str, before: str, after: str, hours: float, note: str = "") -> bool:
        nonlocal t
        t = min(t + datetime.timedelta(hours=hours * rng.uniform(0.5, 1.5)), now)
        events.append((kind, before, after, t, note))
        return plan.outcome == "open" and after == plan.open_step

    events.append((K.REPORTED, "", State.REPORTED, t, ""))
    if plan.outcome == "open" and plan.open_step == State.REPORTED and plan.tier != Tier.HARD:
        return None
    if plan.outcome == "declined":
        step(K.DECLINED, State.REPORTED, State.DECLINED, 20, "属于民事纠纷，已告知通过司法途径解决")
        return None
    if plan.outcome == "merged":
        step(K.MERGED, State.REPORTED, State.MERGED, 10, "与同一地点已反映的问题重复")
        return None
    meeting_at = None
    if plan.tier == Tier.HARD:
        step(K.CONFIRMED, State.REPORTED, State.REPORTED, 12, "涉及多个部门，报县三长办")
        later = [d for d in meeting_dates if d > t]
        if (plan.outcome == "open" and plan.open_step == State.REPORTED) or not later:
            plan.open_step = State.REPORTED
            return None
        meeting_at = later[0]
        t = meeting_at
        events.append((K.ASSIGNED, State.REPORTED, State.ASSIGNED, t, ""))
        if plan.open_step == State.ASSIGNED:
            return meeting_at
    elif step(K.CONFIRMED, State.REPORTED, State.ASSIGNED, 10):
        return None
    if step(K.STARTED, State.ASSIGNED, State.IN_PROGRESS, 20):
        return meeting_at
    rounds = 2 if plan.reopened else 1
    for round_ in range(rounds):
        last = round_ == rounds - 1
        if step(K.HANDLED, State.IN_PROGRESS, State.HANDLED, 72, "已处理完毕"):
            return meeting_at
        if step(K.INSPECTED, State.HANDLED, State.INSPECTED, 20):
            return meeting_at
        if step(K.FED_BACK, State.INSPECTED, State.FED_BACK, 10, "问题已解决，请您评议"):
            return meeting_at
        if not last:
            step(K.RATED_DISSATISFIED, State.FED_BACK, State.IN_PROGRESS, 40, "问题没有彻底解决")
    step(K.RATED_SATISFIED, State.FED_BACK, State.CLOSED, 40)
    return meeting_at


def _clock(at: datetime.datetime, now: datetime.datetime, rng: random.Random) -> datetime.datetime:
    """When an open issue's current step clock started: lately, so that most open issues are
    within their deadline and a few are near or past it (otherwise the scheduler's first run
    would escalate every open issue of the demo at once)."""
    return max(at, now - datetime.timedelta(hours=rng.uniform(0, 40)))


def _step_due(tier: str, state: str, at: datetime.datetime) -> datetime.datetime | None:
    """The deadline a step entered at `at` had (working days from the seeded table)."""
    days = DEFAULT_WORKING_DAYS.get(tier, {}).get(state)
    return add_working_days(at, days) if days else None


def load_issue_history(scale: float, rng: random.Random) -> int:
    """Write the history; returns the number of issues."""
    now = timezone.now().replace(second=0, microsecond=0)
    places = {
        p.pk: p for p in Place.objects.only("pk", "kind", "code", "name", "parent_id", "is_rural")
    }
    spots = [p for p in places.values() if p.kind == PlaceKind.UNIT]
    spots += [p for p in places.values() if p.kind == PlaceKind.GRID and p.code.count(".") == 3]
    spots.sort(key=lambda p: p.code)
    by_code = {p.code: p for p in places.values()}
    featured = [by_code[c] for c in FEATURED if c in by_code]
    routing = Routing(places)
    office = Organisation.objects.get(kind=Organisation.Kind.COUNTY_OFFICE)
    departments = list(
        # The functional departments that take hard issues (not the organisation department).
        Organisation.objects.filter(
            kind=Organisation.Kind.DEPARTMENT, name__in=DEPARTMENTS
        ).order_by("pk")
    )
    categories = {c.code: c for c in Category.objects.all()}
    households = dict(Household.objects.order_by("pk").values_list("place_id", "pk"))
    importer, _created = User.objects.get_or_create(
        username=IMPORTER,
        defaults={"role": Role.COUNTY_OFFICE, "is_active": False, "first_name": "历史记录导入"},
    )
    # The county office's own account (a reload keeps the account, not its organisation).
    User.objects.filter(pk=importer.pk).update(organisation=office)
    importer.organisation = office
    start = now - datetime.timedelta(days=HISTORY_DAYS)
    meeting_dates = [
        (start + datetime.timedelta(days=20 + 45 * i)).replace(hour=9, minute=0)
        for i in range(MEETINGS)
    ]
    meetings = Meeting.objects.bulk_create(
        Meeting(
            title=f"第{i + 1}次交办会",
            held_on=timezone.localdate(d),
            is_held=d < now,
            record="会议对难点重点问题逐项交办，明确牵头部门和办结时限。",
            created_by=importer,  # the county office's: a meeting is its county's
        )
        for i, d in enumerate(meeting_dates)
    )
    plans = _plans(scale, rng, spots, now, featured)
    issues: list[Issue] = []
    agenda: list[tuple[int, int, Organisation, datetime.datetime]] = []
    # The words have a generator of their own: the rest of the demo draws as it always did.
    words = random.Random(len(plans))  # nosec B311 # seeded demo words, no secret
    for n, plan in enumerate(plans, start=1):
        meeting_at = _timeline(plan, rng, meeting_dates, now)
        _kind, _from, state, at, _note = plan.events[-1]
        department = departments[n % len(departments)]  # who a hard one is written for
        code, text = issue_texts.report(
            words, plan.tier, rural=plan.place.is_rural, department=department.name
        )
        category = categories[code]
        owner_place, owner_post = office.place, None
        owner_org: Organisation | None = office
        if plan.tier != Tier.HARD:
            routed = routing.owner(plan.place, plan.tier)
            if routed is not None:
                (owner_place, owner_post), owner_org = routed, None
        elif meeting_at is not None:
            owner_org = department
            owner_place = owner_org.place
            agenda.append((n - 1, meeting_dates.index(meeting_at), owner_org, meeting_at))
        final = state in (State.CLOSED, State.DECLINED, State.MERGED)
        issues.append(
            Issue(
                number=f"{timezone.localtime(plan.created):%Y%m%d}-{n:06d}",
                place=plan.place,
                category=category,
                tier=plan.tier,
                state=state,
                channel=rng.choice(["online", "online", "door_knocking", "patrol", "neighbour"]),
                text=text,
                public_consent=rng.random() < 0.3,
                household_id=households.get(plan.place.pk),
                recorded_by=importer,
                owner_place=owner_place,
                owner_post_id=owner_post,
                owner_organisation=owner_org,
                due_at=None if final else due_at(plan.tier, state, _clock(at, now, rng)),
                reopen_count=int(plan.reopened and state == State.CLOSED),
                created_at=plan.created,
                updated_at=at,
                closed_at=at if final else None,
                version=len(plan.events),
            )
        )
    Issue.objects.bulk_create(issues, batch_size=500)
    survivors = [i for i in issues if i.state == State.CLOSED]
    merged = [i for i in issues if i.state == State.MERGED]
    for issue in merged:
        issue.merged_into = rng.choice(survivors)
    Issue.objects.bulk_update(merged, ["merged_into"])
    IssueEvent.objects.bulk_create(
        (
            IssueEvent(
                issue=issue,
                kind=kind,
                from_state=before,
                to_state=after,
                at=at,
                note=note,
                data={"imported": True},
                due_at=issue.due_at
                if n == len(plan.events) - 1
                else _step_due(issue.tier, after, at),
            )
            for issue, plan in zip(issues, plans, strict=True)
            for n, (kind, before, after, at, note) in enumerate(plan.events)
        ),
        batch_size=2000,
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meetings[m],
            issue=issues[i],
            lead_department=org,
            due_on=timezone.localdate(at) + datetime.timedelta(days=30),
            assigned_at=at,
        )
        for i, m, org, at in agenda
    )
    return len(issues)
