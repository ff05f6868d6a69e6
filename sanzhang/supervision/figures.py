"""The figures of a place's dashboard counted live: what is open now (one grouped pass), today
so far and the headline figures (every plain count of both in one SELECT, the new issues from
their report events)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
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

from sanzhang.core import counting
from sanzhang.core.counting import Counted
from sanzhang.core.kept import Kept
from sanzhang.issues.models import OPEN_STATES, Issue, IssueEvent, Meeting, State, Tier
from sanzhang.people.models import Organisation
from sanzhang.people.uptake import Uptake, uptake, uptake_counted
from sanzhang.places.models import Place

from .models import DailySummary
from .notices import published_about
from .summaries import STOCKS, TOTALS, Tally, day_of, tally_new, window

# How many trees the install holds: a province is one, counties side by side without one
# are several (kept in memory: the dashboard asks on every view).
_roots = Kept(lambda: Place.objects.filter(parent__isnull=True).count(), [Place])


def is_whole_tree(place: Place) -> bool:
    """`place` is the top of the only tree: its subtree is every row, read without a join to
    the places. With several trees side by side, a top is one county among others."""
    if place.parent_id is not None:
        return False
    found = getattr(place, "_is_whole_tree", None)
    if found is None:  # asked by every figure of one dashboard: once per place object
        found = place._is_whole_tree = _roots.get() == 1  # type: ignore[attr-defined]
    return bool(found)


def issues_under(place: Place) -> Any:
    """The issues under a place; at the top of the only tree, all of them (no join to the
    places, so the database can use the issues' own indexes)."""
    if is_whole_tree(place):
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
        issues_under(place)
        .filter(state__in=OPEN_STATES)
        .annotate(at_place=ExpressionWrapper(F("place_id") + 0, output_field=IntegerField()))
        .values("at_place", "tier", "category_id")
        .annotate(open=Count("pk"), overdue=Sum(flag(Q(due_at__lt=now))))
        .values_list("at_place", "tier", "category_id", "open", "overdue")
        .order_by()
    )
    return OpenNow(list(grouped))


def count_all(place: Place, counts: dict[str, Counted]) -> dict[str, int]:
    """Name → each count, all in one query."""
    return counting.count_all(Place.objects.filter(pk=place.pk), counts)


def _under(place: Place, queryset: QuerySet, path: str) -> QuerySet:
    """`queryset` limited to the place's subtree through `path` (the place's code), or whole
    at the top of the only tree."""
    if is_whole_tree(place):
        return queryset
    return queryset.filter(**{f"{path}__under": place.code})


def today_counts(
    place: Place, start: datetime.datetime, now: datetime.datetime
) -> dict[str, Counted]:
    """Today's counts but the new issues', as summaries.tally_window counts a window for one
    place (the solved broken down by tier)."""
    from sanzhang.visits.models import Visit
    from sanzhang.wishes.models import WishEvent

    finished = issues_under(place).filter(closed_at__gte=start, closed_at__lt=now)
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
    today_counts)."""
    start, _end = window(day_of(now))
    if counts is None:
        counts = count_all(place, today_counts(place, start, now))
    tally = Tally([place.code])
    # As the evening's summary will count them.
    tally_new(tally, _under(place, IssueEvent.objects.all(), "issue__place__code"), start, now)
    figures = tally.figures(place.code)
    for key in ("solved", "declined", "reopened", "visits", "wishes_claimed"):
        figures[key] = counts[f"today_{key}"]
    by_tier = {tier: counts[f"today_solved_{tier}"] for tier in Tier.values}
    figures["solved_by_tier"] = {t: n for t, n in sorted(by_tier.items()) if n}
    live = live or open_now(place, now)
    figures["open"] = live.open
    figures["overdue"] = live.overdue
    return figures


def last_with(recorded: list[DailySummary], keys: list[str]) -> dict[str, Any] | None:
    return next((s.figures for s in reversed(recorded) if all(k in s.figures for k in keys)), None)


def headline_counts(place: Place, recorded: list[DailySummary]) -> dict[str, Counted]:
    """Issues collected, solved, and hard ones solved with departments (since the last
    evening's running totals, else every issue), meetings held, notices published and wishes
    claimed: querysets for count_all."""
    from sanzhang.wishes.models import Status as WishStatus
    from sanzhang.wishes.models import Wish

    issues = closed = collected = issues_under(place)
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
        counts = count_all(place, headline_counts(place, recorded))
    under = None if is_whole_tree(place) else place.code
    figures = {key: counts[key] for key in ("collected", "solved", "hard_solved")}
    totals = last_with(recorded, TOTALS)
    if totals is not None:
        figures["collected"] += totals["collected_total"]
        figures["solved"] += totals["solved_total"]
        figures["hard_solved"] += totals["hard_solved_total"]
    figures |= {key: counts[key] for key in ("meetings", "notices", "wishes_claimed")}
    # How far the county has come in, as the last evening recorded it (a count over every
    # household, too slow for each view of the page), else counted now (in `counts` when
    # build() counted it there).
    stocks = last_with(recorded, STOCKS)
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


def flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def plain_counts(
    place: Place, now: datetime.datetime, recorded: list[DailySummary]
) -> dict[str, int]:
    """Today's and the headline's plain counts (and the households' when no evening recorded
    them), all in one query, for today_so_far and headline."""
    start, _end = window(day_of(now))
    counted = headline_counts(place, recorded) | today_counts(place, start, now)
    if last_with(recorded, STOCKS) is None:
        counted |= uptake_counted(None if is_whole_tree(place) else place.code)
    return count_all(place, counted)
