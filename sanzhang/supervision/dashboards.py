"""Dashboard figures for any place (county, township, community or village, grid): today so
far, the seed's headline figures, trends, distributions, each child's figures and the grid
map's colours. What is open now is counted live in one grouped pass; what the recorded daily
summaries hold (the trend, the running totals and stocks of the last evening, the children's
and the channels' 30 days) is read from them, with only the issues since counted live; places
without summaries (a grid's small subtree) are counted live throughout."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from sanzhang.issues.models import Category, Channel, State, Tier
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import code_at_depth, lineage, nearest_in

from .figures import OpenNow, headline, issues_under, open_now, plain_counts, today_so_far
from .models import DailySummary
from .summaries import SUMMARY_KINDS, day_of, window

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
    ancestors: list[Place] = field(default_factory=list)


@dataclass
class Surroundings:
    """A place's ancestors, its active children, and the child each place below lies under."""

    ancestors: list[Place]
    kids: list[Place]
    child_of: dict[int, str]  # place id → the code of the child it lies under


# The columns the page reads of the places around (the boundaries stay in the database).
_AROUND = [
    f.attname
    for f in Place._meta.concrete_fields
    if f.attname in {"id", "kind", "name", "code", "parent_id", "depth", "retired_at"}
]


def surroundings(place: Place) -> Surroundings:
    """The ancestors, the children and the subtree's places, in one query."""
    above = set(lineage(place.code)[:-1])
    rows = (
        Place.objects.filter(Q(code__under=place.code) | Q(code__in=above))
        .exclude(pk=place.pk)
        .values_list(*_AROUND)
    )
    found = Surroundings([], [], {})
    for row in rows:
        fields = dict(zip(_AROUND, row, strict=True))
        if fields["code"] in above:
            found.ancestors.append(Place.from_db(Place.objects.db, _AROUND, row))
            continue
        found.child_of[fields["id"]] = code_at_depth(fields["code"], place.depth + 1)
        if fields["parent_id"] == place.pk and fields["retired_at"] is None:
            found.kids.append(Place.from_db(Place.objects.db, _AROUND, row))
    found.ancestors.sort(key=lambda p: p.depth)
    found.kids.sort(key=lambda p: p.code)
    return found


def _kids_keep_summaries(kids: list[Place]) -> bool:
    return bool(kids) and all(kid.kind in SUMMARY_KINDS for kid in kids)


def evenings(
    place: Place, now: datetime.datetime, kids: list[Place] | None = None
) -> tuple[list[DailySummary], list[DailySummary]]:
    """The recorded daily summaries of the last 30 days, oldest first, of the place and (when
    each keeps them) of its children, in one query (none for the places that get none: a
    grid's subtree is counted live)."""
    wanted = [place.pk] if place.kind in SUMMARY_KINDS else []
    if kids and _kids_keep_summaries(kids):
        wanted += [kid.pk for kid in kids]
    if not wanted:
        return [], []
    first = day_of(now) - datetime.timedelta(days=TREND_DAYS)
    recorded = DailySummary.objects.filter(place_id__in=wanted, day__gte=first).order_by("day")
    rows = list(recorded.only("place_id", "day", "window_end", "figures"))
    own = [s for s in rows if s.place_id == place.pk]
    return own, [s for s in rows if s.place_id != place.pk]


@dataclass
class Recent:
    """The issues of a small subtree (a community or below) created or closed in the last 30
    days and a day, read once for the live trend, the children's figures and the channels."""

    rows: list[tuple[int, datetime.datetime, datetime.datetime | None, str, str]]

    @classmethod
    def read(cls, place: Place, now: datetime.datetime) -> Recent:
        since = min(_trend_start(now), now - datetime.timedelta(days=TREND_DAYS))
        issues = issues_under(place).filter(Q(created_at__gte=since) | Q(closed_at__gte=since))
        fields = ("place_id", "created_at", "closed_at", "state", "channel")
        return cls(list(issues.values_list(*fields)))


def _trend_days(now: datetime.datetime) -> list[datetime.date]:
    today = day_of(now)
    return [today - datetime.timedelta(days=n) for n in range(TREND_DAYS, 0, -1)]


def _trend_start(now: datetime.datetime) -> datetime.datetime:
    return window(_trend_days(now)[0])[0]


def trend(
    place: Place,
    now: datetime.datetime,
    recorded: list[DailySummary] | None = None,
    recent: Recent | None = None,
) -> dict[str, list]:
    """The last 30 days: from the recorded daily summaries where the place has them (each a
    record that never changes), else counted live (a grid's subtree is small)."""
    days = _trend_days(now)
    if place.kind in SUMMARY_KINDS:
        if recorded is None:
            recorded = evenings(place, now)[0]
        by_day = {s.day: s.figures for s in recorded}
        series = {
            key: [by_day[d][key] if d in by_day else None for d in days]
            for key in ("new", "solved", "open", "overdue")
        }
        return {"days": [d.isoformat() for d in days], **series}
    start = _trend_start(now)
    rows = (recent or Recent.read(place, now)).rows
    new = Counter(day_of(created) for _p, created, _c, _s, _ch in rows if created >= start)
    solved = Counter(
        day_of(closed)
        for _p, _cr, closed, state, _ch in rows
        if state == State.CLOSED and closed is not None and closed >= start
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
    recent: Recent | None = None,
) -> tuple[dict, dict, dict]:
    """Open issues by tier and by category (from the one pass over the open issues), and the
    last 30 days' new ones by channel: the recorded evenings' and today's so far when every
    one of the 30 evenings is recorded, else counted from the issues (from `recent` when
    read)."""
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
    new: Counter[str] = Counter()
    since = now - datetime.timedelta(days=TREND_DAYS)
    if recorded and today is not None and len(recorded) >= TREND_DAYS:
        new.update(today.get("new_by_channel", {}))
        for evening in recorded[-TREND_DAYS:]:
            new.update(evening.figures.get("new_by_channel", {}))
    elif recent is not None:
        new.update(channel for _p, created, _c, _s, channel in recent.rows if created >= since)
    else:
        grouped = (
            issues_under(place)
            .filter(created_at__gte=since)
            .values_list("channel")
            .annotate(n=Count("pk"))
            .values_list("channel", "n")
        )
        new.update(dict(grouped))
    by_channel = {str(channels.get(c, c)): n for c, n in sorted(new.items()) if n}
    return by_tier, by_category, by_channel


def children(
    place: Place,
    now: datetime.datetime,
    live: OpenNow | None = None,
    around: Surroundings | None = None,
    recorded: list[DailySummary] | None = None,
    recent: Recent | None = None,
) -> list[dict[str, Any]]:
    """Each child place's open and overdue issues now, and its last 30 days' new and solved:
    from the children's daily summaries where they keep them (`recorded`, records that never
    change), else from the issues themselves (`recent`)."""
    around = around or surroundings(place)
    kids = around.kids
    if not kids:
        return []
    counts: dict[str, Counter[str]] = {kid.code: Counter() for kid in kids}
    # Issues are counted by place id, without a join (which would make the database walk
    # every issue place by place), then put under the child their place lies under.
    for place_id, _tier, _category, open_count, overdue in (live or open_now(place, now)).groups:
        row = counts.get(around.child_of.get(place_id, ""))
        if row is not None:
            row["open"] += open_count
            row["overdue"] += overdue
    if _kids_keep_summaries(kids):
        if recorded is None:
            recorded = evenings(place, now, kids)[1]
        code_of = {kid.pk: kid.code for kid in kids}
        for summary in recorded:
            counts[code_of[summary.place_id]]["new"] += summary.figures["new"]
            counts[code_of[summary.place_id]]["solved"] += summary.figures["solved"]
    else:
        since = now - datetime.timedelta(days=TREND_DAYS)
        for place_id, created, closed, state, _channel in (recent or Recent.read(place, now)).rows:
            row = counts.get(around.child_of.get(place_id, ""))
            if row is not None:
                row["new"] += int(created >= since)
                row["solved"] += int(
                    state == State.CLOSED and closed is not None and closed >= since
                )
    return [
        {"place": kid, **{k: counts[kid.code][k] for k in ("open", "overdue", "new", "solved")}}
        for kid in kids
    ]


def build(place: Place, now: datetime.datetime | None = None) -> Dashboard:
    """Every figure of the page, in as few queries as the figures allow: the open issues in
    one grouped pass, the places around in one, the summaries of the place and its children
    in one, every plain count (today's, the headline's) in one SELECT."""
    now = now or timezone.now()
    board = Dashboard(place=place, now=now)
    live = open_now(place, now)
    around = surroundings(place)
    board.ancestors = around.ancestors
    recorded, kids_recorded = evenings(place, now, around.kids)
    counts = plain_counts(place, now, recorded)
    board.today = today_so_far(place, now, live, counts)
    board.headline = headline(place, recorded, counts)
    small = place.kind not in SUMMARY_KINDS or (
        around.kids and not _kids_keep_summaries(around.kids)
    )
    recent = Recent.read(place, now) if small else None
    board.trend = trend(place, now, recorded, recent)
    board.open_by_tier, board.open_by_category, board.new_by_channel = distributions(
        place, now, live, recorded, board.today, recent
    )
    board.children = children(place, now, live, around, kids_recorded, recent)
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
