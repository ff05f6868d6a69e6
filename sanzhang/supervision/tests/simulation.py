"""A month of the demo county with time frozen at every step: issues reported and moved
through the loop at random times of day, the scheduler and the real database worker run at
each evening's summary hour (except for a few days when they are down), and at that hour the
figures are taken straight from the live tables, so summaries made late can be checked against
what was true on time."""

from __future__ import annotations

import datetime
import random
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

import time_machine
from django.conf import settings
from django.core.management import call_command

from sanzhang.conftest import make_staff, run_queued_tasks
from sanzhang.issues.intake import submit
from sanzhang.issues.models import OPEN_STATES, Channel, Issue, IssueEvent, State
from sanzhang.issues.workflow import move
from sanzhang.people.models import Household, Organisation, PartyMember, Person, Role, User
from sanzhang.places.models import Place, PlaceKind
from sanzhang.supervision.summaries import SUMMARY_KINDS
from sanzhang.visits.models import Visit
from sanzhang.visits.services import record_visit
from sanzhang.wishes.models import Wish, WishEvent
from sanzhang.wishes.services import approve, claim, post_wish

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
FIRST_DAY = datetime.date(2026, 1, 1)
TEXTS = ["楼道堆放杂物", "路灯不亮", "下水道堵塞", "垃圾没人清运", "墙面开裂渗水", "噪音扰民"]
# (from state) → [(probability, event kind, to state)]
MOVES: dict[str, list[tuple[float, str, str]]] = {
    State.REPORTED: [(0.45, "confirmed", State.ASSIGNED), (0.05, "declined", State.DECLINED)],
    State.ASSIGNED: [(0.6, "started", State.IN_PROGRESS)],
    State.IN_PROGRESS: [(0.5, "handled", State.HANDLED)],
    State.HANDLED: [(0.6, "inspected", State.INSPECTED), (0.1, "sent_back", State.IN_PROGRESS)],
    State.INSPECTED: [(0.7, "fed_back", State.FED_BACK)],
    State.FED_BACK: [
        (0.55, "rated_satisfied", State.CLOSED),
        (0.12, "rated_dissatisfied", State.IN_PROGRESS),
    ],
}


def local(day: datetime.date, hour: float) -> datetime.datetime:
    start = datetime.datetime.combine(day, datetime.time(0), tzinfo=SHANGHAI)
    return start + datetime.timedelta(hours=hour)


@dataclass
class Month:
    first_day: datetime.date
    days: int
    down: set[datetime.date]
    seed: int = 7
    # day → place code → figures read from the live tables at that evening's summary hour
    snapshots: dict[datetime.date, dict[str, dict[str, int]]] = field(default_factory=dict)
    # week start → list place code → {(issue id, reason)}, read when the week closed
    weeks: dict[datetime.date, dict[str, set[tuple[int, str]]]] = field(default_factory=dict)
    month_end: dict[str, dict[str, int]] = field(default_factory=dict)

    def run(self) -> None:
        rng = random.Random(self.seed)
        county = Place.objects.get(kind=PlaceKind.COUNTY)
        office = make_staff(
            "sim-office", Role.COUNTY_OFFICE, county, Organisation.Kind.COUNTY_OFFICE
        )
        self.staff = make_staff(
            "sim-staff", Role.COMMUNITY_STAFF, county, Organisation.Kind.COMMITTEE
        )  # records door-knocking visits anywhere in the county
        self.households = list(Household.objects.order_by("pk").values_list("pk", flat=True))
        self.claimed: list[int] = []
        self.claimers = []  # registered party members, who claim micro-wishes
        for n in range(30):
            member = Person.objects.create(name=f"模拟党员{n}")
            PartyMember.objects.create(person=member, community=county, registered_on=FIRST_DAY)
            self.claimers.append(
                User.objects.create_user(
                    username=f"sim-member-{n}", role=Role.RESIDENT, person=member
                )
            )
        grids = list(Place.objects.filter(kind=PlaceKind.GRID).order_by("code"))
        self.codes = list(
            Place.objects.filter(kind__in=SUMMARY_KINDS).values_list("code", flat=True)
        )
        for n in range(self.days):
            day = self.first_day + datetime.timedelta(days=n)
            if day.weekday() == 0:
                self.weeks[day - datetime.timedelta(days=7)] = week_findings(local(day, 0))
            moments = sorted(rng.uniform(7, 23) for _ in range(rng.randint(20, 30)))
            summary_hour = float(settings.DAILY_SUMMARY_HOUR)
            done_evening = False
            for hour in moments:
                if hour >= summary_hour and not done_evening:
                    self.evening(day)
                    done_evening = True
                with time_machine.travel(local(day, hour), tick=False):
                    self.act(rng, office, grids)
            if not done_evening:
                self.evening(day)
        self.close_month()

    def close_month(self) -> None:
        """The morning after the last day: what was open when the month closed, then the
        scheduler's morning run (the month's reports, the week's drafts)."""
        last = self.first_day + datetime.timedelta(days=self.days)
        with time_machine.travel(local(last, 0), tick=False):
            self.month_end = {code: live_figures(code, local(last, 0)) for code in self.codes}
        with time_machine.travel(local(last, 7), tick=False):
            call_command("scheduler", "--once", verbosity=0)
            run_queued_tasks()

    def act(self, rng: random.Random, office: Any, grids: list[Place]) -> None:
        if rng.random() < 0.08:
            household = Household.objects.select_related("place").get(
                pk=rng.choice(self.households)
            )
            wish = post_wish(self.staff, household=household, text="希望有人帮忙修理轮椅").wish
            approve(wish, self.staff)
            claimer = self.claimers[len(self.claimed) % len(self.claimers)]
            claim(Wish.objects.get(pk=wish.pk), claimer)
            self.claimed.append(wish.pk)
            return
        if rng.random() < 0.15:
            household = Household.objects.select_related("place").get(
                pk=rng.choice(self.households)
            )
            record_visit(
                self.staff,
                client_key=f"sim-{rng.random()}",
                kind="door_knocking",
                household=household,
                heard="一切正常",
            )
            return
        if rng.random() < 0.35:
            submit(
                office,
                place=rng.choice(grids),
                text=rng.choice(TEXTS),
                channel=rng.choice([Channel.PATROL, Channel.DOOR_KNOCKING, Channel.PHONE]),
            )
            return
        open_issues = list(Issue.objects.filter(state__in=OPEN_STATES).order_by("pk"))
        for issue in rng.sample(open_issues, min(3, len(open_issues))):
            roll = rng.random()
            for probability, kind, to_state in MOVES[issue.state]:
                if roll < probability:
                    changes: dict[str, Any] = {}
                    if kind == "rated_dissatisfied":
                        changes["reopen_count"] = issue.reopen_count + 1
                    move(issue, None, kind=kind, to_state=to_state, note="模拟", changes=changes)
                    break
                roll -= probability

    def evening(self, day: datetime.date) -> None:
        moment = local(day, settings.DAILY_SUMMARY_HOUR)
        with time_machine.travel(moment, tick=False):
            self.snapshots[day] = {code: live_figures(code, moment) for code in self.codes}
            if day not in self.down:
                call_command("scheduler", "--once", verbosity=0)
                run_queued_tasks()


def live_figures(code: str, moment: datetime.datetime) -> dict[str, int]:
    """A place's figures for the day ending at `moment`, read independently of the summary
    code: the day's counts from the events, what is open and overdue from the live issues."""
    start = moment - datetime.timedelta(days=1)
    events = IssueEvent.objects.filter(issue__place__code__under=code, at__gte=start, at__lt=moment)
    issues = Issue.objects.filter(place__code__under=code, state__in=OPEN_STATES)
    return {
        "new": events.filter(kind="reported").count(),
        "solved": events.filter(kind="rated_satisfied").count(),
        "declined": events.filter(kind="declined").count(),
        "reopened": events.filter(kind="rated_dissatisfied").count(),
        "open": issues.count(),
        "overdue": issues.filter(due_at__lt=moment).count(),
        "visits": Visit.objects.filter(
            place__code__under=code, visited_at__gte=start, visited_at__lt=moment
        ).count(),
        "wishes_claimed": WishEvent.objects.filter(
            kind="claimed", wish__place__code__under=code, at__gte=start, at__lt=moment
        ).count(),
    }


def week_findings(moment: datetime.datetime) -> dict[str, set[tuple[int, str]]]:
    """What a rectification draft for the week ending at `moment` must hold, per village or
    community, read from the live issues (overdue) and the week's events (the rest)."""
    start = moment - datetime.timedelta(days=7)
    lists = list(
        Place.objects.filter(kind__in=[PlaceKind.COMMUNITY, PlaceKind.AREA]).values_list(
            "code", flat=True
        )
    )
    found: dict[str, set[tuple[int, str]]] = {}
    week = IssueEvent.objects.filter(at__gte=start, at__lt=moment)
    inspected = set(
        IssueEvent.objects.filter(kind="inspected", at__lt=moment).values_list(
            "issue_id", flat=True
        )
    )
    for code in lists:
        overdue = Issue.objects.filter(
            place__code__under=code, state__in=OPEN_STATES, due_at__lt=moment
        ).values_list("pk", flat=True)
        under = week.filter(issue__place__code__under=code)
        reopened = under.filter(kind="rated_dissatisfied").values_list("issue_id", flat=True)
        finished = under.filter(kind__in=["rated_satisfied", "declined"]).values_list(
            "issue_id", flat=True
        )
        items = {(pk, "overdue") for pk in overdue} | {(pk, "reopened") for pk in reopened}
        items |= {(pk, "uninspected") for pk in finished if pk not in inspected}
        if items:
            found[code] = items
    return found
