"""The six steps as services: routing at intake, each transition by the role allowed to take
it, the refusals, and the side paths (return, escalate, merge, decline, reopen)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from sanzhang.conftest import make_household, run_queued_tasks
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.issues import meetings, workflow
from sanzhang.issues.access import issues_visible_to
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Category, Channel, Issue, IssueEvent, State, Tier
from sanzhang.notifications.models import Notification
from sanzhang.people.models import Organisation

pytestmark = pytest.mark.django_db


def report(resident, county, text="楼道里堆放杂物，垃圾没人清扫", **extra) -> Issue:
    return submit(resident, place=county.unit_a1_1, text=text, **extra).issue


def test_a_simple_report_goes_to_the_unit_leader(loop, resident, unit_leader) -> None:
    issue = report(resident, loop)
    assert issue.number.endswith(f"-{issue.pk:06d}")
    assert issue.category.code == "sanitation"  # suggested from 垃圾, 清扫, 堆放
    assert issue.tier == Tier.SIMPLE
    assert issue.owner_place == loop.unit_a1_1
    assert issue.state == State.REPORTED
    assert issue.due_at is not None
    told = Notification.objects.filter(recipient=unit_leader, event__issue=issue)
    assert not told.exists()  # the worker tells, a moment after the report commits
    run_queued_tasks()
    assert told.exists()


def test_the_issue_number_carries_the_countys_date_not_utcs(loop, resident) -> None:
    # 01:54 on 3 December in Shanghai is still 2 December in UTC.
    early = datetime.datetime(2026, 12, 3, 1, 54, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(early, tick=False):
        issue = report(resident, loop)
    assert issue.number.startswith("20261203-")


def test_with_no_unit_leader_the_building_leader_takes_it(
    county, resident, building_leader
) -> None:
    issue = report(resident, county)
    assert issue.owner_place == county.building_a1


def test_the_whole_loop_with_a_dissatisfied_rating(
    loop, resident, unit_leader, grid_leader
) -> None:
    issue = report(resident, loop)
    workflow.confirm(issue, unit_leader)
    assert issue.state == State.ASSIGNED
    workflow.start(issue, unit_leader)
    workflow.handle(issue, unit_leader, note="已清理楼道杂物")
    workflow.pass_inspection(issue, grid_leader)
    workflow.feed_back(issue, unit_leader, message="楼道已清理干净")
    workflow.rate(issue, resident, satisfied=False, reason="三楼还有杂物")
    assert issue.state == State.IN_PROGRESS
    assert issue.reopen_count == 1
    assert issue.owner_place == loop.unit_a1_1  # the same owner
    workflow.handle(issue, unit_leader, note="三楼也清理了")
    workflow.pass_inspection(issue, grid_leader)
    workflow.feed_back(issue, grid_leader, message="全部清理")
    workflow.rate(issue, resident, satisfied=True)
    assert issue.state == State.CLOSED
    assert issue.closed_at is not None
    kinds = list(issue.events.values_list("kind", flat=True))
    assert kinds == [
        "reported",
        "confirmed",
        "started",
        "handled",
        "inspected",
        "fed_back",
        "rated_dissatisfied",
        "handled",
        "inspected",
        "fed_back",
        "rated_satisfied",
    ]
    dissatisfied = issue.events.get(kind="rated_dissatisfied")
    assert dissatisfied.data["owner_place"] == loop.unit_a1_1.pk  # counts against the owner


def test_illegal_transitions_are_refused_with_a_reason(loop, resident, unit_leader) -> None:
    issue = report(resident, loop)
    with pytest.raises(NotAllowed, match="环节时不能"):
        workflow.handle(issue, unit_leader, note="done")
    workflow.confirm(issue, unit_leader)
    with pytest.raises(NotAllowed):
        workflow.pass_inspection(issue, unit_leader)  # nobody inspects their own work
    with pytest.raises(NotAllowed):
        workflow.start(issue, resident)


def test_an_outsider_may_neither_see_nor_act(loop, resident, outsider, colleague) -> None:
    issue = report(resident, loop)
    assert not issues_visible_to(outsider).filter(pk=issue.pk).exists()
    assert issues_visible_to(colleague).filter(pk=issue.pk).count() == 0
    with pytest.raises(NotAllowed):
        workflow.confirm(issue, colleague)


def test_two_people_acting_at_once_cannot_both_win(loop, resident, unit_leader, grid_leader):
    issue = report(resident, loop)
    stale = Issue.objects.get(pk=issue.pk)
    workflow.confirm(issue, unit_leader)
    with pytest.raises(Conflict):
        workflow.decline(stale, grid_leader, reason="不属于本网格")
    assert Issue.objects.get(pk=issue.pk).state == State.ASSIGNED
    assert IssueEvent.objects.filter(issue=issue, kind="declined").count() == 0


def test_reasons_are_required(loop, resident, unit_leader, grid_leader) -> None:
    issue = report(resident, loop)
    with pytest.raises(Invalid):
        workflow.decline(issue, grid_leader, reason="  ")
    with pytest.raises(Invalid):
        workflow.escalate(issue, unit_leader, reason="")


def test_escalation_climbs_the_tiers_to_a_meeting_and_a_department(
    loop, resident, unit_leader, grid_leader, county_officer, department
) -> None:
    issue = report(resident, loop)
    workflow.escalate(issue, unit_leader, reason="需要网格协调")
    assert (issue.tier, issue.owner_place) == (Tier.COMPLEX, loop.grid_a)
    workflow.escalate(issue, grid_leader, reason="涉及多个部门")
    assert issue.tier == Tier.HARD
    assert issue.owner_organisation.kind == Organisation.Kind.COUNTY_OFFICE
    with pytest.raises(NotAllowed, match="交办会"):
        workflow.confirm(issue, county_officer)
    meeting = meetings.schedule(county_officer, title="第一次交办会", held_on=timezone.localdate())
    item = meetings.put_on_agenda(county_officer, meeting, issue)
    due = timezone.localdate() + datetime.timedelta(days=20)
    meetings.assign(county_officer, item, lead=department.organisation, due_on=due)
    issue.refresh_from_db()
    assert (issue.state, issue.owner_organisation) == (State.ASSIGNED, department.organisation)
    assert issues_visible_to(department).filter(pk=issue.pk).exists()
    workflow.start(issue, department)
    assert timezone.localdate(issue.due_at) == due  # the meeting's deadline binds
    workflow.handle(issue, department, note="已协调维修")
    with pytest.raises(NotAllowed):
        workflow.pass_inspection(issue, grid_leader)  # the county office inspects departments
    workflow.pass_inspection(issue, county_officer)
    assert issue.state == State.INSPECTED


def test_a_misrouted_issue_goes_back_up_to_be_triaged(loop, resident, unit_leader, grid_leader):
    issue = report(resident, loop)
    workflow.return_misrouted(issue, unit_leader, reason="不是本单元的问题")
    assert issue.state == State.REPORTED
    assert issue.owner_place == loop.building_a1  # the next post up
    workflow.confirm(issue, grid_leader, place=loop.unit_a1_2)
    assert issue.state == State.ASSIGNED


def test_merging_a_duplicate_makes_its_reporter_follow_the_survivor(
    loop, resident, unit_leader, grid_leader
) -> None:
    first = report(resident, loop)
    neighbour_report = submit(
        unit_leader, place=loop.unit_a1_1, text="楼道杂物", channel=Channel.DOOR_KNOCKING
    ).issue
    workflow.merge(neighbour_report, grid_leader, into=first)
    assert neighbour_report.state == State.MERGED
    assert neighbour_report.merged_into == first
    assert first.events.filter(kind="duplicate_joined").exists()
    with pytest.raises(Invalid):
        workflow.merge(first, grid_leader, into=first)


def test_a_declined_issue_tells_the_reporter_why(loop, resident, grid_leader) -> None:
    issue = report(resident, loop)
    workflow.decline(issue, grid_leader, reason="属于民事纠纷，请走司法途径")
    assert issue.state == State.DECLINED
    notice = Notification.objects.get(recipient=resident, event__kind="declined")
    assert notice.event.note == "属于民事纠纷，请走司法途径"


def test_a_leader_records_a_report_for_a_household(loop, resident, unit_leader) -> None:
    household = resident.person.household
    issue = submit(
        unit_leader,
        place=loop.unit_a1_1,
        text="独居老人家里水管漏水",
        channel=Channel.DOOR_KNOCKING,
        household=household,
    ).issue
    assert issue.channel == Channel.DOOR_KNOCKING
    assert issue.household == household
    assert issue.reporter is None and issue.recorded_by == unit_leader
    with pytest.raises(NotAllowed):
        submit(resident, place=loop.unit_a1_1, text="x", channel=Channel.DOOR_KNOCKING)
    neighbour = make_household(loop.unit_a1_1, "302", name="张大爷")
    with pytest.raises(NotAllowed):
        submit(resident, place=loop.unit_a1_1, text="水管漏水", household=neighbour)


def test_leaders_report_only_in_their_area(loop, unit_leader) -> None:
    with pytest.raises(NotAllowed):
        submit(unit_leader, place=loop.unit_b1_1, text="路灯坏了", channel=Channel.PATROL)


def test_a_retry_with_the_same_key_returns_the_same_issue(loop, resident) -> None:
    first = submit(resident, place=loop.unit_a1_1, text="路灯坏了", intake_key="k-1")
    again = submit(resident, place=loop.unit_a1_1, text="路灯坏了", intake_key="k-1")
    assert first.created and not again.created
    assert first.issue.pk == again.issue.pk
    assert Issue.objects.count() == 1
    with pytest.raises(Invalid, match="另一条反映"):
        submit(resident, place=loop.unit_a1_1, text="水管漏水", intake_key="k-1")


def test_a_given_category_is_kept_and_oversize_text_refused(loop, resident) -> None:
    roads = Category.objects.get(code="roads")
    issue = submit(resident, place=loop.unit_a1_1, text="楼道杂物", category=roads).issue
    assert issue.category == roads and issue.tier == Tier.COMPLEX
    assert issue.owner_place == loop.grid_a or issue.owner_organisation is not None
    with pytest.raises(Invalid):
        submit(resident, place=loop.unit_a1_1, text="很" * 2001)
