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

from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from sanzhang.core import counting
from sanzhang.core.counting import Counted
from sanzhang.issues.models import (
    OPEN_STATES,
    Category,
    Channel,
    Issue,
    IssueEvent,
    Meeting,
    State,
    Tier,
)
from sanzhang.people.models import Organisation
from sanzhang.people.uptake import Uptake, uptake, uptake_counted
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import code_at_depth, lineage, nearest_in

from .models import DailySummary
from .notices import published_about
from .summaries import STOCKS, SUMMARY_KINDS, TOTALS, Tally, day_of, window

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


def count_all(place: Place, counts: dict[str, Counted]) -> dict[str, int]:
    """Name → each count, all in one query."""
    return counting.count_all(Place.objects.filter(pk=place.pk), counts)


def _under(place: Place, queryset: QuerySet, path: str) -> QuerySet:
    """`queryset` limited to the place's subtree through `path` (the place's code), or whole
    at the top of the tree."""
    if place.parent_id is None:
        return queryset
    return queryset.filter(**{f"{path}__under": place.code})


def _today_counts(
    place: Place, start: datetime.datetime, now: datetime.datetime
) -> dict[str, Counted]:
    """Today's counts but the new issues', as summaries.tally_window counts a window for one
    place (the solved broken down by tier)."""
    from sanzhang.visits.models import Visit
    from sanzhang.wishes.models import WishEvent

    finished = _issues(place).filter(closed_at__gte=start, closed_at__lt=now)
    solved = Q(state=State.CLOSED)
    events = _under(place, IssueEvent.objects.all(), "issue__place__code")
    visits = _under(place, Visit.objects.all(), "place__code")
    claims = _under(
        place, WishEvent.objects.filter(kind=WishEvent.Kind.CLAIMED), "wish__place__code"
    )
    return {
        "today_solved": (finished, solved),
        "today_declined": (finished, Q(state=State.DECLINED)),
        "today_reopened": events.filter(
            kind=IssueEvent.Kind.RATED_DISSATISFIED, at__gte=start, at__lt=now
        ),
        "today_visits": visits.filter(visited_at__gte=start, visited_at__lt=now),
        "today_wishes_claimed": claims.filter(at__gte=start, at__lt=now),
        **{f"today_solved_{tier}": (finished, solved & Q(tier=tier)) for tier in Tier.values},
    }


def today_so_far(
    place: Place,
    now: datetime.datetime,
    live: OpenNow | None = None,
    counts: dict[str, int] | None = None,
) -> dict[str, Any]:
    """The current summary day up to now, with what is open and overdue right now: the new
    issues tallied from their report events, the rest counted in `counts` (count_all over
    _today_counts)."""
    start, _end = window(day_of(now))
    if counts is None:
        counts = count_all(place, _today_counts(place, start, now))
    tally = Tally([place.code])
    new = _under(place, IssueEvent.objects.all(), "issue__place__code").filter(
        kind=IssueEvent.Kind.REPORTED, at__gte=start, at__lt=now
    )
    # As reported (the report event's record), as the evening's summary will count them.
    rows = new.values_list(
        "issue__place__code", "data", "issue__tier", "issue__category__code", "issue__channel"
    )
    for code, data, tier, category, channel in rows:
        tally.add(
            code,
            "new",
            tier=data.get("tier", tier),
            category=data.get("category", category),
            channel=data.get("channel", channel),
        )
    figures = tally.figures(place.code)
    for key in ("solved", "declined", "reopened", "visits", "wishes_claimed"):
        figures[key] = counts[f"today_{key}"]
    by_tier = {tier: counts[f"today_solved_{tier}"] for tier in Tier.values}
    figures["solved_by_tier"] = {t: n for t, n in sorted(by_tier.items()) if n}
    live = live or open_now(place, now)
    figures["open"] = live.open
    figures["overdue"] = live.overdue
    return figures


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


def _last_with(recorded: list[DailySummary], keys: list[str]) -> dict[str, Any] | None:
    return next((s.figures for s in reversed(recorded) if all(k in s.figures for k in keys)), None)


def _headline_counts(place: Place, recorded: list[DailySummary]) -> dict[str, Counted]:
    """Issues collected, solved, and hard ones solved with departments (since the last
    evening's running totals, else every issue), meetings held, notices published and wishes
    claimed: querysets for count_all."""
    from sanzhang.wishes.models import Status as WishStatus
    from sanzhang.wishes.models import Wish

    issues = closed = collected = _issues(place)
    solved = Q(state=State.CLOSED)
    hard = solved & Q(tier=Tier.HARD, owner_organisation__kind=Organisation.Kind.DEPARTMENT)
    last = next((s for s in reversed(recorded) if all(k in s.figures for k in TOTALS)), None)
    if last is not None:
        collected = issues.filter(created_at__gte=last.window_end)
        closed = issues.filter(closed_at__gte=last.window_end)
    meetings = _under(place, Meeting.objects.filter(is_held=True), "items__issue__place__code")
    wishes = Wish.objects.filter(
        status__in=[WishStatus.CLAIMED, WishStatus.FULFILLED, WishStatus.CONFIRMED]
    )
    return {
        "collected": collected,
        "solved": (closed, solved),
        "hard_solved": (closed, hard),
        "meetings": meetings.distinct(),
        "notices": published_about(place),
        "wishes_claimed": _under(place, wishes, "place__code"),
    }


def headline(
    place: Place,
    recorded: list[DailySummary] | None = None,
    counts: dict[str, int] | None = None,
) -> dict[str, int]:
    """The seed's figures (DOMAIN.md), for this place's part of the county. Issues collected,
    solved and hard ones solved with departments are the last evening's running totals and
    the issues since (a day's worth), else every issue counted: an issue solved before that
    evening and solved again since counts twice until the next evening."""
    recorded = recorded or []
    if counts is None:
        counts = count_all(place, _headline_counts(place, recorded))
    under = place.code if place.parent_id is not None else None
    figures = {key: counts[key] for key in ("collected", "solved", "hard_solved")}
    totals = _last_with(recorded, TOTALS)
    if totals is not None:
        figures["collected"] += totals["collected_total"]
        figures["solved"] += totals["solved_total"]
        figures["hard_solved"] += totals["hard_solved_total"]
    figures |= {key: counts[key] for key in ("meetings", "notices", "wishes_claimed")}
    # How far the county has come in, as the last evening recorded it (a count over every
    # household, too slow for each view of the page), else counted now (in `counts` when
    # build() counted it there).
    stocks = _last_with(recorded, STOCKS)
    if stocks is not None:
        came_in = Uptake(**{key: stocks[key] for key in STOCKS})
    elif all(key in counts for key in STOCKS):
        came_in = Uptake(**{key: counts[key] for key in STOCKS})
    else:
        came_in = uptake([place.code], under=under)[place.code]
    figures["households_registered"] = came_in.households_registered
    figures["registered_percent"] = came_in.registered_percent
    figures["party_members"] = came_in.party_members
    return figures


@dataclass
class Recent:
    """The issues of a small subtree (a community or below) created or closed in the last 30
    days and a day, read once for the live trend, the children's figures and the channels."""

    rows: list[tuple[int, datetime.datetime, datetime.datetime | None, str, str]]

    @classmethod
    def read(cls, place: Place, now: datetime.datetime) -> Recent:
        since = min(_trend_start(now), now - datetime.timedelta(days=TREND_DAYS))
        issues = _issues(place).filter(Q(created_at__gte=since) | Q(closed_at__gte=since))
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
            _issues(place)
            .filter(created_at__gte=since)
            .values_list("channel")
            .annotate(n=Count("pk"))
            .values_list("channel", "n")
        )
        new.update(dict(grouped))
    by_channel = {str(channels.get(c, c)): n for c, n in sorted(new.items()) if n}
    return by_tier, by_category, by_channel


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


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
    start, _end = window(day_of(now))
    counted = _headline_counts(place, recorded) | _today_counts(place, start, now)
    if _last_with(recorded, STOCKS) is None:
        counted |= uptake_counted(place.code if place.parent_id is not None else None)
    counts = count_all(place, counted)
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
