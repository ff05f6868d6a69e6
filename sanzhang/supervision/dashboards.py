"""Dashboard figures for any place (county, township, community or village, grid), computed
live from the issues: today so far, the seed's headline figures, trends, distributions, each
child's figures and the grid map's colours. The recorded daily summaries supply the trend of
what was open and overdue each evening."""

from __future__ import annotations

import datetime
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from sanzhang.issues.models import OPEN_STATES, Category, Channel, Issue, Meeting, State, Tier
from sanzhang.people.models import Organisation
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import SEPARATOR

from .models import DailySummary
from .notices import published_count
from .summaries import day_of, tally_window, window

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
    return Issue.objects.filter(place__code__under=place.code)


def today_so_far(place: Place, now: datetime.datetime) -> dict[str, Any]:
    """The current summary day up to now, with what is open and overdue right now."""
    start, _end = window(day_of(now))
    tally = tally_window(start, now, [place.code], under=place.code, with_open=False)
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
    return counts


def trend(place: Place, now: datetime.datetime) -> dict[str, list]:
    """New and solved per day over the last 30 days (live), and what was open and overdue each
    evening (from the daily summaries, where the place has them)."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate(now)
    days = [today - datetime.timedelta(days=n) for n in range(TREND_DAYS - 1, -1, -1)]
    since = timezone.make_aware(datetime.datetime.combine(days[0], datetime.time(0)))
    issues = _issues(place)
    new = dict(
        issues.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    solved = dict(
        issues.filter(state=State.CLOSED, closed_at__gte=since)
        .annotate(day=TruncDate("closed_at", tzinfo=zone))
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    evenings = {
        s.day: s.figures
        for s in DailySummary.objects.filter(place=place, day__gte=days[0]).only("day", "figures")
    }
    return {
        "days": [d.isoformat() for d in days],
        "new": [new.get(d, 0) for d in days],
        "solved": [solved.get(d, 0) for d in days],
        "open": [evenings[d]["open"] if d in evenings else None for d in days],
        "overdue": [evenings[d]["overdue"] if d in evenings else None for d in days],
    }


def distributions(place: Place, now: datetime.datetime) -> tuple[dict, dict, dict]:
    live = _issues(place).filter(state__in=OPEN_STATES)
    tiers = dict(Tier.choices)
    by_tier = {
        str(tiers[t]): n
        for t, n in live.values_list("tier").annotate(n=Count("pk")).values_list("tier", "n")
    }
    names = dict(Category.objects.values_list("pk", "name"))
    by_category = {
        names[c]: n
        for c, n in live.values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
        .order_by("-n")
    }
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


def _child_code(code: str, depth: int) -> str:
    return SEPARATOR.join(code.split(SEPARATOR)[: depth + 1])


def children(place: Place, now: datetime.datetime) -> list[dict[str, Any]]:
    """Each child place's open, overdue, and last 30 days' new and solved."""
    kids = list(Place.objects.active().filter(parent=place).order_by("code"))
    if not kids:
        return []
    depth = place.depth + 1
    counts: dict[str, Counter[str]] = {kid.code: Counter() for kid in kids}
    issues = _issues(place).exclude(place=place)
    for code, due in issues.filter(state__in=OPEN_STATES).values_list("place__code", "due_at"):
        row = counts.get(_child_code(code, depth))
        if row is not None:
            row["open"] += 1
            row["overdue"] += due is not None and due < now
    since = now - datetime.timedelta(days=TREND_DAYS)
    recent = issues.filter(Q(created_at__gte=since) | Q(closed_at__gte=since, state=State.CLOSED))
    for code, created, closed, state in recent.values_list(
        "place__code", "created_at", "closed_at", "state"
    ):
        row = counts.get(_child_code(code, depth))
        if row is not None:
            row["new"] += created >= since
            row["solved"] += state == State.CLOSED and closed is not None and closed >= since
    return [{"place": kid, **{k: counts[kid.code][k] for k in ("open", "overdue", "new",
                                                                 "solved")}}
            for kid in kids]  # fmt: skip


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
        {"type": "Feature", "properties": {"name": f"{name} {code}", "code": code},
         "geometry": boundary}
        for code, name, boundary in grids
    ]  # fmt: skip
    counts: dict[str, Counter[str]] = {}
    open_issues = _issues(place).filter(state__in=OPEN_STATES, place__kind__in=[
        PlaceKind.GRID, PlaceKind.BUILDING, PlaceKind.UNIT])  # fmt: skip
    grid_codes = {code for code, _name, _boundary in grids}
    for code, due in open_issues.values_list("place__code", "due_at"):
        parts = code.split(SEPARATOR)
        for n in range(len(parts), place.depth, -1):
            grid = SEPARATOR.join(parts[:n])
            if grid in grid_codes:
                row = counts.setdefault(grid, Counter())
                row["open"] += 1
                row["overdue"] += due is not None and due < now
                break
    values = []
    for code, name, _boundary in grids:
        row = counts.get(code, Counter())
        values.append({"name": f"{name} {code}", "value": row["open"], "overdue": row["overdue"]})
    return {"geojson": {"type": "FeatureCollection", "features": features}, "values": values}
