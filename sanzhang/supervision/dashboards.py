"""Dashboard figures for any place (county, township, community or village, grid), computed
live from the issues: today so far, the seed's headline figures, trends, distributions, each
child's figures and the grid map's colours. The recorded daily summaries supply the trend of
what was open and overdue each evening."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from sanzhang.issues.models import OPEN_STATES, Category, Channel, Issue, Meeting, State, Tier
from sanzhang.people.models import Organisation
from sanzhang.people.uptake import uptake
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import code_at_depth, nearest_in

from .models import DailySummary
from .notices import published_count
from .summaries import SUMMARY_KINDS, day_of, tally_window, window

TREND_DAYS = 30
MAP_LIMIT = 5000  # grids drawn on one map; a county has about 2,300


@dataclass
class Dashboard:
    place: Place
    now: datetime.datetime
    today: dict[str, Any] = field(default_factory=dict)
    headline: dict[str, int] = field(default_factory=dict)
    trend: dict[str, list] = field(default_factory=dict)
    open_by_tier: dict[str, int] = field(default_factory=dict)
    open_by_category: dict[str, int] = field(default_factory=dict)
    new_by_channel: dict[str, int] = field(default_factory=dict)
    children: list[dict[str, Any]] = field(default_factory=list)


def _issues(place: Place) -> Any:
    """The issues under a place; at the top of the tree, all of them (no join to the places,
    so the database can use the issues' own indexes)."""
    if place.parent_id is None:
        return Issue.objects.all()
    return Issue.objects.filter(place__code__under=place.code)


def today_so_far(place: Place, now: datetime.datetime) -> dict[str, Any]:
    """The current summary day up to now, with what is open and overdue right now."""
    start, _end = window(day_of(now))
    under = place.code if place.parent_id is not None else None
    tally = tally_window(start, now, [place.code], under=under, with_open=False)
    figures = tally.figures(place.code)
    live = _issues(place).filter(state__in=OPEN_STATES)
    figures["open"] = live.count()
    figures["overdue"] = live.filter(due_at__lt=now).count()
    return figures


def headline(place: Place) -> dict[str, int]:
    """The seed's figures (DOMAIN.md), for this place's part of the county."""
    issues = _issues(place)
    counts = issues.aggregate(
        collected=Count("pk"),
        solved=Count("pk", filter=Q(state=State.CLOSED)),
        hard_solved=Count(
            "pk",
            filter=Q(
                state=State.CLOSED,
                tier=Tier.HARD,
                owner_organisation__kind=Organisation.Kind.DEPARTMENT,
            ),
        ),
    )
    meetings = Meeting.objects.filter(is_held=True)
    if place.parent_id is not None:
        meetings = meetings.filter(items__issue__place__code__under=place.code)
    counts["meetings"] = meetings.distinct().count()
    counts["notices"] = published_count(place)
    from sanzhang.wishes.models import Status as WishStatus
    from sanzhang.wishes.models import Wish

    wishes = Wish.objects.filter(
        status__in=[WishStatus.CLAIMED, WishStatus.FULFILLED, WishStatus.CONFIRMED]
    )
    if place.parent_id is not None:
        wishes = wishes.filter(place__code__under=place.code)
    counts["wishes_claimed"] = wishes.count()
    under = place.code if place.parent_id is not None else None
    came_in = uptake([place.code], under=under)[place.code]
    counts["households_registered"] = came_in.households_registered
    counts["registered_percent"] = came_in.registered_percent
    counts["party_members"] = came_in.party_members
    return counts


def trend(place: Place, now: datetime.datetime) -> dict[str, list]:
    """The last 30 days: from the recorded daily summaries where the place has them (each a
    record that never changes), else counted live (a grid's subtree is small)."""
    today = day_of(now)
    days = [today - datetime.timedelta(days=n) for n in range(TREND_DAYS, 0, -1)]
    if place.kind in SUMMARY_KINDS:
        evenings = {
            s.day: s.figures
            for s in DailySummary.objects.filter(place=place, day__gte=days[0]).only(
                "day", "figures"
            )
        }
        series = {
            key: [evenings[d][key] if d in evenings else None for d in days]
            for key in ("new", "solved", "open", "overdue")
        }
        return {"days": [d.isoformat() for d in days], **series}
    start = window(days[0])[0]
    issues = _issues(place)
    new = Counter(
        day_of(at)
        for at in issues.filter(created_at__gte=start).values_list("created_at", flat=True)
    )
    solved = Counter(
        day_of(at)
        for at in issues.filter(state=State.CLOSED, closed_at__gte=start).values_list(
            "closed_at", flat=True
        )
        if at is not None
    )
    return {
        "days": [d.isoformat() for d in days],
        "new": [new.get(d, 0) for d in days],
        "solved": [solved.get(d, 0) for d in days],
        "open": [None for _d in days],
        "overdue": [None for _d in days],
    }


def distributions(place: Place, now: datetime.datetime) -> tuple[dict, dict, dict]:
    """Open issues by tier and by category (one pass over the open issues), and the last 30
    days' new ones by channel."""
    tiers: Counter[str] = Counter()
    categories: Counter[int] = Counter()
    live = _issues(place).filter(state__in=OPEN_STATES)
    grouped = live.values("tier", "category_id").annotate(n=Count("pk"))
    for tier, category, n in grouped.values_list("tier", "category_id", "n"):
        tiers[tier] += n
        categories[category] += n
    tier_names = dict(Tier.choices)
    by_tier = {str(tier_names[t]): n for t, n in sorted(tiers.items())}
    names = dict(Category.objects.values_list("pk", "name"))
    by_category = {names[c]: n for c, n in categories.most_common()}
    since = now - datetime.timedelta(days=TREND_DAYS)
    channels = dict(Channel.choices)
    by_channel = {
        str(channels.get(c, c)): n
        for c, n in _issues(place)
        .filter(created_at__gte=since)
        .values_list("channel")
        .annotate(n=Count("pk"))
        .values_list("channel", "n")
    }
    return by_tier, by_category, by_channel


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def children(place: Place, now: datetime.datetime) -> list[dict[str, Any]]:
    """Each child place's open and overdue issues now, and its last 30 days' new and solved."""
    kids = list(Place.objects.active().filter(parent=place).order_by("code"))
    if not kids:
        return []
    counts: dict[str, Counter[str]] = {kid.code: Counter() for kid in kids}
    # Which child each place of the subtree lies under (issues are counted by place id,
    # without a join, which would make the database walk every issue place by place).
    child_of = {
        pk: code_at_depth(code, place.depth + 1)
        for pk, code in Place.objects.filter(code__under=place.code)
        .exclude(pk=place.pk)
        .values_list("pk", "code")
    }
    issues = _issues(place).exclude(place=place)
    # Grouped on place_id + 0, not place_id: grouping on the column leads SQLite to walk the
    # place index over every issue instead of using the state index.
    live = (
        issues.filter(state__in=OPEN_STATES)
        .annotate(at_place=ExpressionWrapper(F("place_id") + 0, output_field=IntegerField()))
        .values("at_place")
        .annotate(open=Count("pk"), overdue=Sum(_flag(Q(due_at__lt=now))))
        .values_list("at_place", "open", "overdue")
    )
    for place_id, open_count, overdue in live:
        row = counts.get(child_of.get(place_id, ""))
        if row is not None:
            row["open"] += open_count
            row["overdue"] += overdue
    for code, new, solved in _recent(kids, issues, child_of, now):
        if code in counts:
            counts[code]["new"] += new
            counts[code]["solved"] += solved
    return [
        {"place": kid, **{k: counts[kid.code][k] for k in ("open", "overdue", "new", "solved")}}
        for kid in kids
    ]


def _recent(
    kids: list[Place], issues: Any, child_of: dict[int, str], now: datetime.datetime
) -> Iterator[tuple[str, int, int]]:
    """(child code, new, solved) over the last 30 days: from the children's daily summaries
    where they keep them (records that never change), else from the issues themselves."""
    if all(kid.kind in SUMMARY_KINDS for kid in kids):
        first = day_of(now) - datetime.timedelta(days=TREND_DAYS)
        recorded = DailySummary.objects.filter(place__in=kids, day__gte=first)
        for code, figures in recorded.values_list("place__code", "figures"):
            yield code, figures["new"], figures["solved"]
        return
    since = now - datetime.timedelta(days=TREND_DAYS)
    recent = (
        issues.filter(Q(created_at__gte=since) | Q(closed_at__gte=since))
        .annotate(
            new=_flag(Q(created_at__gte=since)),
            solved=_flag(Q(state=State.CLOSED, closed_at__gte=since)),
        )
        .values_list("place_id", "new", "solved")
    )
    for place_id, new, solved in recent:
        yield child_of.get(place_id, ""), new, solved


def build(place: Place, now: datetime.datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    board = Dashboard(place=place, now=now)
    board.today = today_so_far(place, now)
    board.headline = headline(place)
    board.trend = trend(place, now)
    board.open_by_tier, board.open_by_category, board.new_by_channel = distributions(place, now)
    board.children = children(place, now)
    return board


def grid_map(place: Place, now: datetime.datetime | None = None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the grids under `place` that have a boundary, each with
    its open and overdue issues now (no map tiles: the boundaries are the map)."""
    now = now or timezone.now()
    grids = list(
        Place.objects.active()
        .filter(code__under=place.code, kind=PlaceKind.GRID, boundary__isnull=False)
        .order_by("code")
        .values_list("code", "name", "boundary")[:MAP_LIMIT]
    )
    features = [
        {
            "type": "Feature",
            "properties": {"name": f"{name} {code}", "code": code},
            "geometry": boundary,
        }
        for code, name, boundary in grids
    ]
    counts: dict[str, Counter[str]] = {}
    open_issues = _issues(place).filter(
        state__in=OPEN_STATES, place__kind__in=[PlaceKind.GRID, PlaceKind.BUILDING, PlaceKind.UNIT]
    )
    grid_codes = {code for code, _name, _boundary in grids}
    for code, due in open_issues.values_list("place__code", "due_at"):
        grid = nearest_in(code, grid_codes)
        if grid is not None:
            row = counts.setdefault(grid, Counter())
            row["open"] += 1
            row["overdue"] += due is not None and due < now
    values = []
    for code, name, _boundary in grids:
        row = counts.get(code, Counter())
        values.append({"name": f"{name} {code}", "value": row["open"], "overdue": row["overdue"]})
    return {"geojson": {"type": "FeatureCollection", "features": features}, "values": values}
