"""Working-day deadlines with the county's holiday calendar, flags, and the overdue sweep."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from sanzhang.issues.calendar import add_working_days, working_days_between
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Holiday, Issue, IssueEvent, State, StepDeadline, Tier
from sanzhang.issues.overdue import escalate_overdue, with_deadline_flag
from sanzhang.notifications.models import Notification

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


def test_working_days_skip_weekends_and_holidays_and_count_worked_weekends() -> None:
    friday = at("2026-09-25")
    assert add_working_days(friday, 1) == at("2026-09-28")  # over the weekend to Monday
    # National Day week: 1-7 October off, Sunday 27 September and Saturday 10 October worked.
    # Saved one by one, as the county office's page does (a bulk insert sends no signal, and
    # the calendar kept in memory, issues.rulebook, would not hear of it).
    for holiday in (
        [Holiday(date=datetime.date(2026, 10, d), name="国庆节") for d in range(1, 8)]
        + [Holiday(date=datetime.date(2026, 9, 27), name="调休", is_working_day=True)]
        + [Holiday(date=datetime.date(2026, 10, 10), name="调休", is_working_day=True)]
    ):
        holiday.save()
    assert add_working_days(friday, 1) == at("2026-09-27")
    assert add_working_days(at("2026-09-30"), 1) == at("2026-10-08")
    assert add_working_days(at("2026-10-09"), 1) == at("2026-10-10")
    assert working_days_between(datetime.date(2026, 9, 30), datetime.date(2026, 10, 12)) == 4


def test_step_deadlines_are_data(county, unit_leader) -> None:
    step = StepDeadline.objects.get(place=None, tier=Tier.SIMPLE, state=State.REPORTED)
    step.working_days = 3
    step.save()  # as the rules page does: the rules kept in memory hear of it
    with time_machine.travel(at("2026-11-23"), tick=False):  # a Monday
        issue = submit(
            unit_leader, place=county.unit_a1_1, text="垃圾没人清扫", channel="patrol"
        ).issue
    assert timezone.localtime(issue.due_at) == at("2026-11-26")


def test_lists_flag_near_and_overdue(county, unit_leader) -> None:
    with time_machine.travel(at("2026-11-23"), tick=False):
        submit(unit_leader, place=county.unit_a1_1, text="垃圾没人清扫", channel="patrol")

    def flags(now: datetime.datetime) -> list[str]:
        issues = with_deadline_flag(Issue.objects.all(), now)
        return list(issues.values_list("deadline_flag", flat=True))

    assert flags(at("2026-11-23", 11)) == ["near"]
    assert flags(at("2026-11-24", 11)) == ["overdue"]
    assert flags(at("2026-11-21")) == [""]


def test_overdue_issues_escalate_once_with_a_notice_up_the_chain(
    county, unit_leader, outsider
) -> None:
    from sanzhang.conftest import make_leader
    from sanzhang.posts.models import PostKind

    grid_leader = make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-leader")
    with time_machine.travel(at("2026-11-23"), tick=False):
        issue = submit(
            unit_leader, place=county.unit_a1_1, text="垃圾没人清扫", channel="patrol"
        ).issue
    assert escalate_overdue(at("2026-11-23", 18)) == 0
    assert escalate_overdue(at("2026-11-24", 11)) == 1
    issue.refresh_from_db()
    assert (issue.tier, issue.owner_place, issue.state) == (
        Tier.COMPLEX,
        county.grid_a,
        State.REPORTED,
    )
    assert issue.events.filter(kind=IssueEvent.Kind.OVERDUE, actor=None).count() == 1
    assert Notification.objects.filter(recipient=grid_leader, event__kind="overdue").exists()
    assert escalate_overdue(at("2026-11-24", 11)) == 0  # a second run changes nothing
