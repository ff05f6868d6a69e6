"""A new report is stored routed by the keywords and the category's default tier; the worker
reads it in full (the county's model, the grid's history) before anyone is told, routes it
again when that reading differs, and leaves it alone once someone has acted on it."""

from __future__ import annotations

import datetime

from django.utils import timezone

from sanzhang.conftest import run_queued_tasks
from sanzhang.issues import workflow
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Category, Issue, IssueEvent, Tier
from sanzhang.issues.suggest import RECURRING_COUNT
from sanzhang.notifications.models import Notification
from sanzhang.supervision.summaries import Tally, tally_new
from sanzhang.triage import services as triage
from sanzhang.triage.services import Row

TEXT = "楼道里堆放杂物"


def sanitation() -> Category:
    return Category.objects.get(code="sanitation", place=None)


def recurring_in_grid_a(loop, officer) -> None:  # type: ignore[no-untyped-def]
    """The grid has had the problem RECURRING_COUNT times, each told: the next is one tier up."""
    for _ in range(RECURRING_COUNT):
        submit(officer, place=loop.unit_a2_1, text=TEXT, channel="patrol", category=sanitation())
    run_queued_tasks()


def test_a_recurring_problem_is_stored_simple_and_settled_one_tier_up_before_anyone_is_told(
    loop, county_officer, unit_leader, grid_leader
) -> None:
    recurring_in_grid_a(loop, county_officer)
    issue = submit(county_officer, place=loop.unit_a1_1, text=TEXT, channel="patrol",
                   category=sanitation()).issue  # fmt: skip
    assert (issue.tier, issue.owner_place) == (Tier.SIMPLE, loop.unit_a1_1)  # as stored
    run_queued_tasks()
    issue.refresh_from_db()
    assert issue.tier == Tier.COMPLEX
    assert issue.owner_place == loop.grid_a
    assert issue.category == sanitation()  # the reporter's choice stands
    # The report's own record stays as it was stored; the new reading is an event of its own.
    reported = IssueEvent.objects.get(issue=issue, kind=IssueEvent.Kind.REPORTED)
    assert reported.data["tier"] == Tier.SIMPLE
    routed = IssueEvent.objects.get(issue=issue, kind=IssueEvent.Kind.ROUTED)
    assert routed.data["tier"] == Tier.COMPLEX and routed.data["reported"]["tier"] == Tier.SIMPLE
    assert routed.due_at == issue.due_at and routed.actor is None
    assert issue.version == 2  # a form opened on the stored issue meets a conflict
    # The day's new issues are counted by tier as the worker read them, once it had.
    end = timezone.now() + datetime.timedelta(minutes=1)
    tally = Tally([loop.county.code])
    tally_new(tally, IssueEvent.objects.filter(issue=issue), reported.at, end)
    assert tally.figures(loop.county.code)["new_by_tier"] == {Tier.COMPLEX: 1}
    earlier = Tally([loop.county.code])
    tally_new(earlier, IssueEvent.objects.filter(issue=issue), reported.at, routed.at)
    assert earlier.figures(loop.county.code)["new_by_tier"] == {Tier.SIMPLE: 1}
    told = set(Notification.objects.filter(event=reported).values_list("recipient", flat=True))
    assert grid_leader.pk in told
    assert unit_leader.pk not in told  # never the first, provisional owner


def test_a_report_someone_acted_on_before_the_worker_stays_as_they_left_it(
    loop, county_officer, unit_leader
) -> None:
    recurring_in_grid_a(loop, county_officer)
    issue = submit(county_officer, place=loop.unit_a1_1, text=TEXT, channel="patrol",
                   category=sanitation()).issue  # fmt: skip
    workflow.confirm(issue, unit_leader, tier=Tier.SIMPLE)  # the unit leader was quicker
    run_queued_tasks()
    issue.refresh_from_db()
    assert (issue.tier, issue.owner_place) == (Tier.SIMPLE, loop.unit_a1_1)
    assert not IssueEvent.objects.filter(issue=issue, kind=IssueEvent.Kind.ROUTED).exists()


def test_an_escalation_or_a_confirmation_to_hard_before_the_worker_stands(
    loop, county_officer, unit_leader
) -> None:
    """Both leave the issue reported (a new owner to confirm it): the worker's reading must
    not pull it back to where it was stored."""
    recurring_in_grid_a(loop, county_officer)
    escalated = submit(county_officer, place=loop.unit_a1_1, text=TEXT, channel="patrol",
                       category=sanitation()).issue  # fmt: skip
    hard = submit(county_officer, place=loop.unit_a1_1, text=TEXT, channel="patrol",
                  category=sanitation()).issue  # fmt: skip
    workflow.escalate(escalated, None, reason="超期未处理")
    workflow.confirm(hard, unit_leader, tier=Tier.HARD)
    escalated.refresh_from_db()
    hard.refresh_from_db()
    before = {i.pk: (i.tier, i.owner_place_id, i.version) for i in (escalated, hard)}
    assert before[hard.pk][0] == Tier.HARD
    run_queued_tasks()
    for issue in (escalated, hard):
        issue.refresh_from_db()
        assert (issue.tier, issue.owner_place_id, issue.version) == before[issue.pk]
        assert not IssueEvent.objects.filter(issue=issue, kind=IssueEvent.Kind.ROUTED).exists()
        assert not issue.notices_pending


def test_the_county_model_reads_the_category_unless_the_reporter_chose_one(loop, resident) -> None:
    rows = [
        Row(f"{i}号{text}", category, tier, "")
        for i in range(30)
        for text, category, tier in (
            ("小区里有人私搭乱建违章建筑", "planning", "hard"),
            ("路灯坏了晚上很黑", "roads", "simple"),
        )
    ]
    assert triage.train(loop.county.code, rows) is not None
    try:
        guessed = submit(resident, place=loop.unit_a1_1, text="楼下有违章建筑").issue
        chosen = submit(resident, place=loop.unit_a1_1, text="楼下有违章建筑",
                        category=sanitation()).issue  # fmt: skip
        run_queued_tasks()
        guessed.refresh_from_db()
        chosen.refresh_from_db()
        assert (guessed.category.code, guessed.tier) == ("planning", Tier.HARD)
        assert guessed.owner_organisation is not None  # a hard issue: at the county office
        assert (chosen.category, chosen.tier) == (sanitation(), Tier.HARD)
        assert Issue.objects.filter(notices_pending=True).count() == 0
    finally:
        triage.forget()
