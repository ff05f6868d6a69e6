"""A simulated month of the demo county (time frozen at every step): every daily summary
equals the figures read independently at that evening's summary hour, including the days the
scheduler was down and caught up later, and none changes afterwards."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
import time_machine

from sanzhang.demo.loader import load_demo
from sanzhang.issues.models import IssueEvent
from sanzhang.issues.tests.conftest import reseed
from sanzhang.places.models import Place
from sanzhang.schedules.models import ScheduledRun
from sanzhang.supervision.models import (
    DailySummary,
    MonthlyReport,
    RectificationItem,
    RectificationList,
)
from sanzhang.supervision.summaries import COUNTS, produce, window

from .simulation import SHANGHAI, Month, local

pytestmark = pytest.mark.django_db(transaction=True)
FIRST = datetime.date(2026, 12, 1)
# Down from Sunday to Tuesday: three daily summaries and one Monday's drafts made late.
DOWN = {datetime.date(2026, 12, 13), datetime.date(2026, 12, 14), datetime.date(2026, 12, 15)}


def test_a_simulated_month() -> None:
    """One month is simulated once (it takes a while); each check below names what it holds."""
    reseed()
    # The demo's history ends at "now": load it as of the evening before the simulated month,
    # so the month never meets the demo's own records whatever today's date is.
    with time_machine.travel(local(FIRST - datetime.timedelta(days=1), 21), tick=False):
        load_demo(scale=0.05)
    month = Month(FIRST, days=31, down=DOWN)
    month.run()
    every_daily_summary_matches_the_live_figures_of_its_evening(month)
    down_days_were_caught_up_each_as_its_own_run()
    breakdowns_match_the_report_events()
    solved_by_tier_matches_the_closing_events()
    a_summary_once_produced_never_changes()
    every_weekly_draft_holds_what_the_week_left(month)
    the_monthly_reports_match_the_months_events(month)


def every_daily_summary_matches_the_live_figures_of_its_evening(month: Month) -> None:
    places = dict(Place.objects.values_list("code", "pk"))
    simulated = DailySummary.objects.filter(day__gte=FIRST)  # (the demo has its own before)
    summaries = {(s.place_id, s.day): s for s in simulated}
    checked = 0
    for day, by_code in month.snapshots.items():
        for code, live in by_code.items():
            summary = summaries[(places[code], day)]
            assert {k: summary.figures[k] for k in COUNTS} == live, (code, day)
            checked += 1
    assert checked == len(month.snapshots) * len(month.codes) == len(summaries)
    # The month had work in it: the test is not passing on zeros.
    county = Place.objects.get(kind="county").code
    totals = Counter()
    for by_code in month.snapshots.values():
        totals.update(by_code[county])
    assert totals["new"] > 100 and totals["solved"] > 30 and totals["reopened"] > 0
    assert totals["overdue"] > 0 and totals["declined"] > 0 and totals["visits"] > 20
    assert totals["wishes_claimed"] > 5


def down_days_were_caught_up_each_as_its_own_run() -> None:
    runs = ScheduledRun.objects.filter(schedule="daily_summaries").order_by("period")
    days = [r.period.astimezone(datetime.UTC).date() for r in runs]
    assert len(days) == 31 and len(set(days)) == 31
    assert all(r.status == "done" for r in runs)


def breakdowns_match_the_report_events() -> None:
    county = Place.objects.get(kind="county")
    for summary in DailySummary.objects.filter(place=county, day__gte=FIRST):
        start, end = window(summary.day)
        reported = IssueEvent.objects.filter(kind="reported", at__gte=start, at__lt=end)
        assert summary.figures["new_by_channel"] == dict(
            sorted(Counter(e.data["channel"] for e in reported).items())
        )
        # As the worker read each report (issues.settling) before the evening, if it had.
        tiers = Counter()
        for event in reported:
            read = (
                IssueEvent.objects.filter(issue=event.issue_id, kind="routed", at__lt=end)
                .order_by("-at", "-id")
                .first()
            )
            tiers[(read or event).data["tier"]] += 1
        assert summary.figures["new_by_tier"] == dict(sorted(tiers.items()))


def a_summary_once_produced_never_changes() -> None:
    before = {s.pk: s.figures for s in DailySummary.objects.all()}
    assert DailySummary.objects.filter(day__lt=FIRST).exists()  # the demo's own history
    for n in range(31):
        assert produce(FIRST + datetime.timedelta(days=n)) == 0
    assert {s.pk: s.figures for s in DailySummary.objects.all()} == before


def solved_by_tier_matches_the_closing_events() -> None:
    county = Place.objects.get(kind="county")
    for summary in DailySummary.objects.filter(place=county, day__gte=FIRST):
        start, end = window(summary.day)
        closed = IssueEvent.objects.filter(kind="rated_satisfied", at__gte=start, at__lt=end)
        assert summary.figures["solved_by_tier"] == dict(
            sorted(Counter(e.issue.tier for e in closed).items())
        )


def every_weekly_draft_holds_what_the_week_left(month: Month) -> None:
    assert len(month.weeks) == 4
    for week_start, expected in month.weeks.items():
        drafted = {
            rl.place.code: {(i.issue_id, i.reason) for i in rl.items.all()}
            for rl in RectificationList.objects.filter(week_start=week_start)
        }
        assert drafted == expected, week_start
    assert sum(len(items) for week in month.weeks.values() for items in week.values()) > 10
    reasons = {r for week in month.weeks.values() for items in week.values() for _i, r in items}
    assert reasons == {"overdue", "reopened", "uninspected"}


def the_monthly_reports_match_the_months_events(month: Month) -> None:
    start = datetime.datetime(2026, 12, 1, tzinfo=SHANGHAI)
    end = datetime.datetime(2027, 1, 1, tzinfo=SHANGHAI)
    reports = {r.place.code: r.figures for r in MonthlyReport.objects.filter(month=FIRST)}
    assert set(reports) == set(
        Place.objects.filter(kind__in=["county", "district"]).values_list("code", flat=True)
    )
    for code, figures in reports.items():
        events = IssueEvent.objects.filter(
            issue__place__code__under=code, at__gte=start, at__lt=end
        )
        kinds = Counter(events.values_list("kind", flat=True))
        totals = figures["totals"]
        assert totals["new"] == kinds["reported"]
        assert totals["solved"] == kinds["rated_satisfied"]
        assert totals["declined"] == kinds["declined"]
        assert totals["reopened"] == kinds["rated_dissatisfied"]
        assert (totals["open"], totals["overdue"]) == (
            month.month_end[code]["open"],
            month.month_end[code]["overdue"],
        )
        ratings = kinds["rated_satisfied"] + kinds["rated_dissatisfied"]
        assert figures["rates"]["satisfaction"] == (
            round(kinds["rated_satisfied"] / ratings, 4) if ratings else None
        )
        reported = set(events.filter(kind="reported").values_list("issue_id", flat=True))
        closed_by_end = set(
            IssueEvent.objects.filter(kind="rated_satisfied", at__lt=end).values_list(
                "issue_id", flat=True
            )
        )
        assert figures["rates"]["solve_rate"] == (
            round(len(reported & closed_by_end) / len(reported), 4) if reported else None
        )
        closed = set(events.filter(kind="rated_satisfied").values_list("issue_id", flat=True))
        reopened_before = set(
            IssueEvent.objects.filter(kind="rated_dissatisfied", issue__in=closed).values_list(
                "issue_id", flat=True
            )
        )
        assert figures["rates"]["reopen_rate"] == (
            round(len(reopened_before) / len(closed), 4) if closed else None
        )
    county = reports[Place.objects.get(kind="county").code]
    assert county["totals"]["new"] > 100 and county["trend"][-1]["month"] == "2026-12"
    assert [row["rank"] for row in county["places"]] == list(range(1, len(county["places"]) + 1))
    issued = RectificationItem.objects.filter(rectification_list__week_start__gte=FIRST)
    assert (
        county["rectification"]["items"]
        == issued.filter(rectification_list__status="issued").count()
    )
