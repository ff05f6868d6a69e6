"""Daily summaries (每日一汇总): every community and village, rolled up to township, county and
above, counted from the issues' timelines as they stood when the day closed.

The day's window is the 24 hours up to `DAILY_SUMMARY_HOUR` local time (截至每日20时). Figures
are read as of the window's end, so a summary produced late (after downtime) says what an
on-time one would have said.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Count, JSONField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanzhang.issues.models import NOTE_KINDS, OPEN_STATES, Issue, IssueEvent, State, Tier
from sanzhang.people.uptake import uptake
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import lineage

from .models import DailySummary

# The places that get a summary: villages (片区) and communities, and everything above them.
SUMMARY_KINDS = [
    PlaceKind.PROVINCE,
    PlaceKind.CITY,
    PlaceKind.COUNTY,
    PlaceKind.DISTRICT,
    PlaceKind.COMMUNITY,
    PlaceKind.AREA,
]
COUNTS = ["new", "solved", "declined", "reopened", "open", "overdue", "visits", "wishes_claimed"]
# Stocks as they stood at the window's end (how far the county has come in), not the day's flow.
STOCKS = ["households", "households_registered", "party_members"]
LABELS = {
    "new": _("New (新增)"),
    "solved": _("Solved (办结)"),
    "declined": _("Declined (不予受理)"),
    "reopened": _("Reopened, dissatisfied (不满意重办)"),
    "open": _("Open at close of day (在办)"),
    "overdue": _("Overdue (超期)"),
    "visits": _("Visits (走访)"),
    "wishes_claimed": _("Micro-wishes claimed (认领微心愿)"),
    "households": _("Households (户数)"),
    "households_registered": _("Households with an account (注册户数)"),
    "party_members": _("Party members registered (在职党员报到)"),
}
BREAKDOWNS = [
    "new_by_tier",
    "new_by_category",
    "new_by_channel",
    "solved_by_tier",
]  # (open issues are not broken down by tier: a later escalation changes it, not the record)


def window(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The 24 hours a day's summary covers: up to the summary hour of `day`, local time."""
    end = timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(settings.DAILY_SUMMARY_HOUR))
    )
    return end - datetime.timedelta(days=1), end


def day_of(moment: datetime.datetime) -> datetime.date:
    """The summary day a moment falls in (after the summary hour counts for the next day)."""
    local = timezone.localtime(moment)
    if local.hour >= settings.DAILY_SUMMARY_HOUR:
        return local.date() + datetime.timedelta(days=1)
    return local.date()


def empty_figures() -> dict[str, Any]:
    return {**dict.fromkeys(COUNTS, 0), **{key: {} for key in BREAKDOWNS}}


class Tally:
    """Counts credited to every summary place above each issue's place."""

    def __init__(self, codes: Iterable[str]) -> None:
        self.codes = set(codes)
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        self.breakdowns: dict[str, dict[str, Counter[str]]] = defaultdict(
            lambda: defaultdict(Counter)
        )

    def add(self, place_code: str, count: str, **by: str) -> None:
        for code in (c for c in lineage(place_code) if c in self.codes):
            self.counts[code][count] += 1
            for name, value in by.items():
                self.breakdowns[code][f"{count}_by_{name}"][value] += 1

    def figures(self, code: str) -> dict[str, Any]:
        figures = empty_figures()
        figures.update(self.counts.get(code, {}))
        for name, counter in self.breakdowns.get(code, {}).items():
            figures[name] = dict(sorted(counter.items()))
        return figures


def state_at(moment: datetime.datetime, issues: Any = None) -> Any:
    """Issues open at `moment`, annotated with their step and deadline as they stood then (the
    last moving event before it)."""
    last = (
        IssueEvent.objects.filter(issue=OuterRef("pk"), at__lt=moment)
        .exclude(kind__in=NOTE_KINDS)
        .order_by("-at", "-id")
    )
    return (
        (Issue.objects.all() if issues is None else issues)
        .filter(created_at__lt=moment)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=moment))
        .annotate(
            state_then=Subquery(last.values("to_state")[:1]),
            due_then=Subquery(last.values("due_at")[:1]),
        )
        .filter(state_then__in=OPEN_STATES)
    )


def tally_new(
    tally: Tally, events: QuerySet, start: datetime.datetime, end: datetime.datetime
) -> None:
    """Add the issues reported in [start, end) among `events` to `tally` as "new", as reported
    (the report event's record, or the worker's reading of it moments later when one was made
    before `end`: issues.settling), so a later escalation or re-triage does not change what a
    summary made late says; imported history falls back to the issue's own."""
    routed = IssueEvent.objects.filter(
        issue=OuterRef("issue"), kind=IssueEvent.Kind.ROUTED, at__lt=end
    ).order_by("-at", "-id")
    new = (
        events.filter(kind=IssueEvent.Kind.REPORTED, at__gte=start, at__lt=end)
        .annotate(read=Subquery(routed.values("data")[:1], output_field=JSONField()))
        .values_list(
            "issue__place__code",
            "data",
            "read",
            "issue__tier",
            "issue__category__code",
            "issue__channel",
        )
    )
    for code, data, read, tier, category, channel in new:
        reading = {**data, **(read or {})}
        tally.add(
            code,
            "new",
            tier=reading.get("tier", tier),
            category=reading.get("category", category),
            channel=data.get("channel", channel),
        )


def tally_window(
    start: datetime.datetime,
    end: datetime.datetime,
    codes: Iterable[str],
    *,
    under: str | None = None,
    with_open: bool = True,
) -> Tally:
    """Count the window for the places `codes` (optionally reading only the subtree `under`)."""
    tally = Tally(codes)
    issues = Issue.objects.filter(place__code__under=under) if under else Issue.objects.all()
    events = IssueEvent.objects.all()
    if under:
        events = events.filter(issue__place__code__under=under)
    tally_new(tally, events, start, end)
    finished = issues.filter(
        closed_at__gte=start, closed_at__lt=end, state__in=[State.CLOSED, State.DECLINED]
    ).values_list("place__code", "tier", "state")
    for code, tier, state in finished:
        if state == State.CLOSED:
            tally.add(code, "solved", tier=tier)
        else:
            tally.add(code, "declined")
    reopened = events.filter(
        kind=IssueEvent.Kind.RATED_DISSATISFIED, at__gte=start, at__lt=end
    ).values_list("issue__place__code", flat=True)
    for code in reopened:
        tally.add(code, "reopened")
    from sanzhang.visits.models import Visit

    visits = Visit.objects.filter(visited_at__gte=start, visited_at__lt=end)
    if under:
        visits = visits.filter(place__code__under=under)
    for code in visits.values_list("place__code", flat=True):
        tally.add(code, "visits")
    from sanzhang.wishes.models import WishEvent

    claims = WishEvent.objects.filter(kind=WishEvent.Kind.CLAIMED, at__gte=start, at__lt=end)
    if under:
        claims = claims.filter(wish__place__code__under=under)
    for code in claims.values_list("wish__place__code", flat=True):
        tally.add(code, "wishes_claimed")
    if not with_open:
        return tally
    for code, due in state_at(end, issues).values_list("place__code", "due_then"):
        tally.add(code, "open")
        if due is not None and due < end:
            tally.add(code, "overdue")
    return tally


# Running totals since the county began, as they stood at the window's end: the dashboard's
# headline reads them with the issues since (dashboards.headline), not every issue ever.
TOTALS = ["collected_total", "solved_total", "hard_solved_total"]


def totals_at(end: datetime.datetime, codes: Iterable[str]) -> dict[str, Counter[str]]:
    """Code → the issues reported before `end`, those of them closed (solved) before it, and
    the hard ones among those a department owned: one grouped pass, rolled up the lineage."""
    from sanzhang.people.models import Organisation

    wanted = set(codes)
    closed = Q(state=State.CLOSED, closed_at__lt=end)
    by_department = Q(owner_organisation__kind=Organisation.Kind.DEPARTMENT, tier=Tier.HARD)
    rows = (
        Issue.objects.filter(created_at__lt=end)
        .values_list("place__code")
        .annotate(
            collected=Count("pk"),
            solved=Count("pk", filter=closed),
            hard=Count("pk", filter=closed & by_department),
        )
        .order_by()
    )
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for code, collected, solved, hard in rows:
        for up in (c for c in lineage(code) if c in wanted):
            totals[up]["collected_total"] += collected
            totals[up]["solved_total"] += solved
            totals[up]["hard_solved_total"] += hard
    return totals


def summary_places() -> dict[str, int]:
    """Code → id of every active place that gets a summary."""
    rows = Place.objects.active().filter(kind__in=SUMMARY_KINDS).values_list("code", "pk")
    return dict(rows)


def produce(day: datetime.date) -> int:
    """Record the day's summary for every summary place that has none yet; returns how many
    were made. Running a day twice adds nothing and changes nothing."""
    start, end = window(day)
    places = summary_places()
    done = set(DailySummary.objects.filter(day=day).values_list("place_id", flat=True))
    missing = {code: pk for code, pk in places.items() if pk not in done}
    if not missing:
        return 0
    tally = tally_window(start, end, missing)
    stocks = uptake(missing, at=end)
    totals = totals_at(end, missing)
    rows = [
        DailySummary(
            place_id=pk,
            day=day,
            window_start=start,
            window_end=end,
            figures=tally.figures(code)
            | stocks[code].as_figures()
            | {key: totals[code][key] for key in TOTALS},
        )
        for code, pk in missing.items()
    ]
    DailySummary.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    from .pushes import push_summaries

    push_summaries(day, set(missing.values()))
    return len(rows)


def produce_for_period(period: datetime.datetime) -> str:
    """The scheduled run: the period starts at the summary hour of the day it closes."""
    day = timezone.localtime(period).date()
    return f"{day}: {produce(day)} summaries"
