"""Dashboard figures for any place (county, township, community or village, grid): today so
far, the seed's headline figures, trends, distributions, each child's figures and the grid
map's colours. What is open now is counted live in one grouped pass; what the recorded daily
summaries hold (the trend, the running totals and stocks of the last evening, the children's
and the channels' 30 days) is read from them, with only the issues since counted live; places
without summaries (a grid's small subtree) are counted live throughout."""

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
from sanzhang.people.uptake import Uptake, uptake
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import code_at_depth, nearest_in

from .models import DailySummary
from .notices import published_count
from .summaries import STOCKS, SUMMARY_KINDS, TOTALS, day_of, tally_window, window

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


@dataclass
class OpenNow:
    """The issues open now under a place, counted once: by place, tier and category."""

    groups: list[tuple[int, str, int, int, int]]  # place id, tier, category id, open, overdue

    @property
    def open(self) -> int:
        return sum(g[3] for g in self.groups)

    @property
    def overdue(self) -> int:
        return sum(g[4] for g in self.groups)


def open_now(place: Place, now: datetime.datetime) -> OpenNow:
    """One grouped pass over the open issues (read from their own index, without a join):
    the groups are as many as the places, tiers and categories that have open issues, not
    the issues, so what follows costs the same at any size."""
    # Read from one index alone (issue_state_place), without a join to the places; grouped
    # on place_id + 0, not place_id: grouping on the column leads SQLite to walk the place
    # index over every issue instead.
    grouped = (
        _issues(place)
        .filter(state__in=OPEN_STATES)
        .annotate(at_place=ExpressionWrapper(F("place_id") + 0, output_field=IntegerField()))
        .values("at_place", "tier", "category_id")
        .annotate(open=Count("pk"), overdue=Sum(_flag(Q(due_at__lt=now))))
        .values_list("at_place", "tier", "category_id", "open", "overdue")
        .order_by()
    )
    return OpenNow(list(grouped))


def today_so_far(
    place: Place, now: datetime.datetime, live: OpenNow | None = None
) -> dict[str, Any]:
    """The current summary day up to now, with what is open and overdue right now."""
    start, _end = window(day_of(now))
    under = place.code if place.parent_id is not None else None
    tally = tally_window(start, now, [place.code], under=under, with_open=False)
    figures = tally.figures(place.code)
    live = live or open_now(place, now)
    figures["open"] = live.open
    figures["overdue"] = live.overdue
    return figures


def evenings(place: Place, now: datetime.datetime) -> list[DailySummary]:
    """The place's recorded daily summaries of the last 30 days, oldest first (none for the
    places that get none: a grid's subtree is counted live)."""
    if place.kind not in SUMMARY_KINDS:
        return []
    first = day_of(now) - datetime.timedelta(days=TREND_DAYS)
    recorded = DailySummary.objects.filter(place=place, day__gte=first).order_by("day")
    return list(recorded.only("day", "window_end", "figures"))


def _issue_totals(place: Place, recorded: list[DailySummary]) -> dict[str, int]:
    """Issues collected, solved, and hard ones solved with departments: the last evening's
    running totals and the issues since (a day's worth), else every issue counted. An issue
    solved before that evening and solved again since counts twice until the next evening."""
    closed = Q(state=State.CLOSED)
    hard = Q(tier=Tier.HARD, owner_organisation__kind=Organisation.Kind.DEPARTMENT)
    last = next((s for s in reversed(recorded) if all(k in s.figures for k in TOTALS)), None)
    if last is None:
        return _issues(place).aggregate(
            collected=Count("pk"),
            solved=Count("pk", filter=closed),
            hard_solved=Count("pk", filter=closed & hard),
        )
    since = last.window_end
    closed &= Q(closed_at__gte=since)
    live = (
        _issues(place)
        .filter(Q(created_at__gte=since) | Q(closed_at__gte=since))
        .aggregate(
            collected=Count("pk", filter=Q(created_at__gte=since)),
            solved=Count("pk", filter=closed),
            hard_solved=Count("pk", filter=closed & hard),
        )
    )
    figures = last.figures
    return {
        "collected": figures["collected_total"] + live["collected"],
        "solved": figures["solved_total"] + live["solved"],
        "hard_solved": figures["hard_solved_total"] + live["hard_solved"],
    }


def headline(place: Place, recorded: list[DailySummary] | None = None) -> dict[str, int]:
    """The seed's figures (DOMAIN.md), for this place's part of the county."""
    counts: dict[str, int] = _issue_totals(place, recorded or [])
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
    # How far the county has come in, as the last evening recorded it (a count over every
    # household, too slow for each view of the page), else counted now.
    stocks = next(
        (s.figures for s in reversed(recorded or []) if all(k in s.figures for k in STOCKS)),
        None,
    )
    if stocks is not None:
        came_in = Uptake(**{key: stocks[key] for key in STOCKS})
    else:
        under = place.code if place.parent_id is not None else None
        came_in = uptake([place.code], under=under)[place.code]
    counts["households_registered"] = came_in.households_registered
    counts["registered_percent"] = came_in.registered_percent
    counts["party_members"] = came_in.party_members
    return counts


def trend(
    place: Place, now: datetime.datetime, recorded: list[DailySummary] | None = None
) -> dict[str, list]:
    """The last 30 days: from the recorded daily summaries where the place has them (each a
    record that never changes), else counted live (a grid's subtree is small)."""
    today = day_of(now)
    days = [today - datetime.timedelta(days=n) for n in range(TREND_DAYS, 0, -1)]
    if place.kind in SUMMARY_KINDS:
        if recorded is None:
            recorded = evenings(place, now)
        by_day = {s.day: s.figures for s in recorded}
        series = {
            key: [by_day[d][key] if d in by_day else None for d in days]
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


def distributions(
    place: Place,
    now: datetime.datetime,
    live: OpenNow | None = None,
    recorded: list[DailySummary] | None = None,
    today: dict[str, Any] | None = None,
) -> tuple[dict, dict, dict]:
    """Open issues by tier and by category (from the one pass over the open issues), and the
    last 30 days' new ones by channel: the recorded evenings' and today's so far when every
    one of the 30 evenings is recorded, else counted from the issues."""
    tiers: Counter[str] = Counter()
    categories: Counter[int] = Counter()
    for _place, tier, category, n, _overdue in (live or open_now(place, now)).groups:
        tiers[tier] += n
        categories[category] += n
    tier_names = dict(Tier.choices)
    by_tier = {str(tier_names[t]): n for t, n in sorted(tiers.items())}
    names = dict(Category.objects.values_list("pk", "name"))
    by_category = {names[c]: n for c, n in categories.most_common()}
    channels = dict(Channel.choices)
    if recorded and today is not None and len(recorded) >= TREND_DAYS:
        new: Counter[str] = Counter(today.get("new_by_channel", {}))
        for evening in recorded[-TREND_DAYS:]:
            new.update(evening.figures.get("new_by_channel", {}))
        by_channel = {str(channels.get(c, c)): n for c, n in sorted(new.items()) if n}
        return by_tier, by_category, by_channel
    since = now - datetime.timedelta(days=TREND_DAYS)
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


def children(
    place: Place, now: datetime.datetime, live: OpenNow | None = None
) -> list[dict[str, Any]]:
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
    for place_id, _tier, _category, open_count, overdue in (live or open_now(place, now)).groups:
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
    live = open_now(place, now)
    recorded = evenings(place, now)
    board.today = today_so_far(place, now, live)
    board.headline = headline(place, recorded)
    board.trend = trend(place, now, recorded)
    board.open_by_tier, board.open_by_category, board.new_by_channel = distributions(
        place, now, live, recorded, board.today
    )
    board.children = children(place, now, live)
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
    grid_codes = {code for code, _name, _boundary in grids}
    # The open issues grouped by place (dashboards' one pass), then each group's place
    # named: as many rows as places with open issues, however many issues they hold.
    live = open_now(place, now).groups
    at_grids = Place.objects.filter(
        pk__in={group[0] for group in live},
        kind__in=[PlaceKind.GRID, PlaceKind.BUILDING, PlaceKind.UNIT],
    )
    codes = dict(at_grids.values_list("pk", "code"))
    for place_id, _tier, _category, open_count, overdue in live:
        grid = nearest_in(codes[place_id], grid_codes) if place_id in codes else None
        if grid is not None:
            row = counts.setdefault(grid, Counter())
            row["open"] += open_count
            row["overdue"] += overdue
    values = []
    for code, name, _boundary in grids:
        row = counts.get(code, Counter())
        values.append({"name": f"{name} {code}", "value": row["open"], "overdue": row["overdue"]})
    return {"geojson": {"type": "FeatureCollection", "features": features}, "values": values}
