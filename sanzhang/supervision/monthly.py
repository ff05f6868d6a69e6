"""Monthly dispatch (每月一调度): the report for the county and for each township, produced once
after the month ends, from the issues' timelines as they stood when the month closed.

Rates, each over the month (empty where nothing was counted):
- solve rate: of the issues reported in the month, the share closed (rated satisfied) by its end
  (for a department: of the issues it had in hand during the month, however old);
- on-time rate: of the issues finished (closed or declined) in the month, the share that left
  every step before that step's deadline;
- satisfaction: of the ratings residents gave in the month, the share satisfied (answers taken
  by a call-back, 回访, are counted apart as `callbacks`);
- reopen rate: of the issues closed in the month, the share a resident had reopened first.
Departments are ranked on the hard issues they owned when each was rated or finished.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from django.db.models import Q
from django.utils import timezone

from sanzhang.evaluations.services import summary_over
from sanzhang.issues.models import NOTE_KINDS, Issue, IssueEvent, State, Tier
from sanzhang.people.models import Organisation
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import lineage, nearest_in

from .models import MonthlyReport, RectificationItem
from .summaries import state_at, tally_window

REPORT_KINDS = [PlaceKind.COUNTY, PlaceKind.DISTRICT]
TREND_MONTHS = 6
RATES = ["solve_rate", "on_time_rate", "satisfaction", "reopen_rate"]


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def previous_month(month: datetime.date) -> datetime.date:
    return (month - datetime.timedelta(days=1)).replace(day=1)


def month_window(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    def midnight(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0)))

    return midnight(month), midnight(next_month(month))


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


class Rates:
    """Per-unit counters behind the four rates."""

    def __init__(self) -> None:
        self.c: dict[str, Counter[str]] = defaultdict(Counter)

    def rates(self, key: str) -> dict[str, float | None]:
        c = self.c[key]
        return {
            "solve_rate": _rate(c["reported_closed"], c["reported"]),
            "on_time_rate": _rate(c["finished_on_time"], c["finished"]),
            "satisfaction": _rate(c["satisfied"], c["ratings"]),
            "reopen_rate": _rate(c["closed_reopened"], c["closed"]),
        }


def _on_time(events: list[tuple[str, datetime.datetime, datetime.datetime | None]]) -> bool:
    """Every step was left before its deadline (events: kind, at, due after), in order."""
    for (_kind, _at, due), (_next_kind, next_at, _due) in pairwise(events):
        if due is not None and next_at > due:
            return False
    return True


def count_rates(
    start: datetime.datetime, end: datetime.datetime, under: str, unit_of: Any
) -> Rates:
    """Count the month for the units `unit_of(issue row)` returns (None: not counted)."""
    rates = Rates()
    issues = Issue.objects.filter(place__code__under=under)
    reported = issues.filter(created_at__gte=start, created_at__lt=end).exclude(state=State.MERGED)
    reported_rows: Iterable[Any] = reported.values(
        "place__code", "state", "closed_at", "owner_organisation_id"
    )
    for row in reported_rows:
        for key in unit_of(row):
            rates.c[key]["reported"] += 1
            closed = row["state"] == State.CLOSED and row["closed_at"] is not None
            closed = closed and row["closed_at"] < end
            rates.c[key]["reported_closed"] += closed
    finished = issues.filter(
        closed_at__gte=start, closed_at__lt=end, state__in=[State.CLOSED, State.DECLINED]
    )
    timelines: dict[int, list] = defaultdict(list)
    reopened_ids: set[int] = set()
    moving = (
        IssueEvent.objects.filter(issue__in=finished)
        .exclude(kind__in=NOTE_KINDS)
        .order_by("issue_id", "at", "id")
        .values_list("issue_id", "kind", "at", "due_at")
    )
    for issue_id, kind, at, due in moving:
        timelines[issue_id].append((kind, at, due))
        if kind == IssueEvent.Kind.RATED_DISSATISFIED:
            reopened_ids.add(issue_id)
    finished_rows: Iterable[Any] = finished.values(
        "pk", "place__code", "state", "owner_organisation_id"
    )
    for row in finished_rows:
        for key in unit_of(row):
            rates.c[key]["finished"] += 1
            rates.c[key]["finished_on_time"] += _on_time(timelines[row["pk"]])
            if row["state"] == State.CLOSED:
                rates.c[key]["closed"] += 1
                rates.c[key]["closed_reopened"] += row["pk"] in reopened_ids
    ratings = IssueEvent.objects.filter(
        issue__in=issues,
        kind__in=[IssueEvent.Kind.RATED_SATISFIED, IssueEvent.Kind.RATED_DISSATISFIED],
        at__gte=start,
        at__lt=end,
    ).values_list("issue__place__code", "kind", "data")
    for code, kind, data in ratings:
        rated = {"place__code": code, "owner_organisation_id": data.get("owner_organisation")}
        for key in unit_of(rated):
            if data.get("on_behalf"):  # a call-back (回访): counted apart, not as satisfaction
                rates.c[key]["callbacks"] += 1
                continue
            rates.c[key]["ratings"] += 1
            rates.c[key]["satisfied"] += kind == IssueEvent.Kind.RATED_SATISFIED
    return rates


def _ranking(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Best first: solve rate, then on-time rate, then satisfaction (missing rates last)."""

    def key(row: dict[str, Any]) -> tuple:
        return tuple(-(row[r] if row[r] is not None else -1) for r in RATES[:3])

    ranked = sorted(rows, key=key)
    for n, row in enumerate(ranked, start=1):
        row["rank"] = n
    return ranked


def compute(place: Place, month: datetime.date) -> dict[str, Any]:
    start, end = month_window(month)
    tally = tally_window(start, end, [place.code], under=place.code)
    figures: dict[str, Any] = {"month": month.isoformat(), "totals": tally.figures(place.code)}
    own = count_rates(start, end, place.code, lambda row: [place.code])
    figures["rates"] = own.rates(place.code)
    figures["callbacks"] = own.c[place.code]["callbacks"]
    trend = []
    moment = month
    for _ in range(TREND_MONTHS):
        s, e = month_window(moment)
        totals = tally_window(s, e, [place.code], under=place.code, with_open=False)
        trend.append(
            {
                "month": moment.isoformat()[:7],
                **{k: totals.figures(place.code)[k] for k in ("new", "solved", "reopened")},
            }
        )
        moment = previous_month(moment)
    figures["trend"] = list(reversed(trend))
    # Places ranked: the units one level below (townships and communities under the county;
    # villages under a township).
    units = {
        p.code: p.name
        for p in Place.objects.active()
        .filter(parent=place, kind__in=[PlaceKind.DISTRICT, PlaceKind.COMMUNITY, PlaceKind.AREA])
        .order_by("code")
    }
    by_unit = count_rates(
        start,
        end,
        place.code,
        lambda row: [u for u in [nearest_in(row["place__code"], units)] if u],
    )
    unit_tally = tally_window(start, end, units, under=place.code)
    figures["places"] = _ranking(
        [
            {
                "code": code,
                "name": name,
                **by_unit.rates(code),
                "new": unit_tally.figures(code)["new"],
                "solved": unit_tally.figures(code)["solved"],
                "open": unit_tally.figures(code)["open"],
            }
            for code, name in units.items()
        ]
    )
    departments = dict(
        Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).values_list("pk", "name")
    )
    by_department = count_rates(
        start,
        end,
        place.code,
        lambda row: [str(d) for d in [row.get("owner_organisation_id")] if d in departments],
    )
    worked = department_solve_rates(start, end, place.code, departments)
    figures["departments"] = _ranking(
        [
            {
                "id": pk,
                "name": name,
                **by_department.rates(str(pk)),
                # Hard issues outlive the month they were reported in: a department's solve
                # rate is of the issues it had in hand during the month.
                "solve_rate": worked.get(pk),
                "finished": by_department.c[str(pk)]["finished"],
            }
            for pk, name in departments.items()
            if by_department.c[str(pk)] or pk in worked
        ]
    )
    hard = (
        state_at(end, Issue.objects.filter(place__code__under=place.code, tier=Tier.HARD))
        .select_related("category", "owner_organisation", "place")
        .order_by("due_then", "pk")
    )
    hard = list(hard[:200])
    paths = place_paths([i.place.code for i in hard])
    figures["open_hard"] = [
        {
            "number": i.number,
            "place": paths.get(i.place.code, i.place.name),
            "category": i.category.name,
            "owner": i.owner_organisation.name if i.owner_organisation else "",
            "due": i.due_then.isoformat() if i.due_then else None,
        }
        for i in hard
    ]
    items = RectificationItem.objects.filter(
        rectification_list__place__code__under=place.code,
        rectification_list__week_start__gte=month,
        rectification_list__week_start__lt=next_month(month),
        rectification_list__status="issued",
    )
    statuses = Counter(items.values_list("status", flat=True))
    figures["rectification"] = {
        "items": sum(statuses.values()),
        "verified": statuses.get(RectificationItem.Status.VERIFIED, 0),
        "answered": statuses.get(RectificationItem.Status.ANSWERED, 0),
        "open": statuses.get(RectificationItem.Status.OPEN, 0),
        "flagged": items.filter(Q(flagged_at__isnull=False)).count(),
    }
    # The people's own word on the post holders (党群评议): the latest closed by the month's end.
    figures["evaluation"] = summary_over(place.code, next_month(month))
    return figures


def department_solve_rates(
    start: datetime.datetime, end: datetime.datetime, under: str, departments: dict[int, str]
) -> dict[int, float | None]:
    """Per department: of the issues it owns that were open at some time in the month (made
    before its end, not closed before its start), the share closed by its end. Ownership is the
    issue's owner of record now (an issue passed on from one department to another counts for
    the last), unlike the other rates, which read the owner recorded on each event."""
    in_hand = Issue.objects.filter(
        place__code__under=under,
        owner_organisation_id__in=list(departments),
        created_at__lt=end,
    ).exclude(state=State.MERGED)
    in_hand = in_hand.exclude(closed_at__lt=start)
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for owner, state, closed_at in in_hand.values_list(
        "owner_organisation_id", "state", "closed_at"
    ):
        counts[owner]["in_hand"] += 1
        counts[owner]["closed"] += (
            state == State.CLOSED and closed_at is not None and closed_at < end
        )
    return {pk: _rate(c["closed"], c["in_hand"]) for pk, c in counts.items()}


def place_paths(codes: Iterable[str]) -> dict[str, str]:
    """Code → the place's names below its county ("莲花社区 第一网格 1栋 1单元"), in one query."""
    wanted = {code for c in codes for code in lineage(c)}
    names = dict(
        Place.objects.filter(code__in=wanted)
        .exclude(kind__in=[PlaceKind.PROVINCE, PlaceKind.CITY, PlaceKind.COUNTY])
        .values_list("code", "name")
    )
    return {c: " ".join(names[a] for a in lineage(c) if a in names) for c in set(codes)}


def report_places() -> Iterable[Place]:
    return Place.objects.active().filter(kind__in=REPORT_KINDS).order_by("code")


def produce(month: datetime.date) -> list[MonthlyReport]:
    """Produce the month's reports that do not exist yet (a second run adds nothing)."""
    month = month_start(month)
    made = []
    done = set(MonthlyReport.objects.filter(month=month).values_list("place_id", flat=True))
    for place in report_places():
        if place.pk in done:
            continue
        report, created = MonthlyReport.objects.get_or_create(
            place=place, month=month, defaults={"figures": compute(place, month)}
        )
        if created:
            made.append(report)
    return made


def produce_for_period(period: datetime.datetime) -> str:
    """Run daily; produces last month's reports once they are due (from the 1st)."""
    month = previous_month(month_start(timezone.localtime(period).date()))
    return f"{month:%Y-%m}: {len(produce(month))} reports"
