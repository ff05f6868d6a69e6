"""Points from the issue loop: a satisfied rating rewards the owner post's holder."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from sanzhang.issues import workflow
from sanzhang.issues.intake import submit
from sanzhang.people.models import PartyMember
from sanzhang.points.models import Cause, PointEntry

pytestmark = pytest.mark.django_db


def _walk(loop, resident, unit_leader, grid_leader, *, satisfied: bool = True):  # type: ignore[no-untyped-def]
    issue = submit(resident, place=loop.unit_a1_1, text="楼道里堆放杂物，垃圾没人清扫").issue
    workflow.confirm(issue, unit_leader)
    workflow.start(issue, unit_leader)
    workflow.handle(issue, unit_leader, note="已清理楼道杂物")
    workflow.pass_inspection(issue, grid_leader)
    workflow.feed_back(issue, unit_leader, message="楼道已清理干净")
    workflow.rate(issue, resident, satisfied=satisfied, reason="" if satisfied else "还有杂物")
    return issue


def _register(user) -> None:  # type: ignore[no-untyped-def]
    PartyMember.objects.create(
        person=user.person,
        community=user.person.tenures.first().post.place.parent.parent.parent,
        registered_on=datetime.date(2024, 1, 1),
    )


def test_a_satisfied_rating_on_time_rewards_the_party_member_holder(
    loop, rules, resident, unit_leader, grid_leader
) -> None:
    _register(unit_leader)
    issue = _walk(loop, resident, unit_leader, grid_leader)
    entries = PointEntry.objects.filter(person=unit_leader.person)
    assert {(e.cause, e.points, e.source_label) for e in entries} == {
        (Cause.GOOD_RATING, 2, issue.number),
        (Cause.ISSUE_SOLVED_ON_TIME, 3, issue.number),
    }
    assert all(e.source == issue for e in entries)
    call_command("award_issue_points", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert entries.count() == 2  # running the sweep again gives nothing twice


def test_a_late_step_earns_the_rating_but_not_the_on_time_points(
    loop, rules, resident, unit_leader, grid_leader
) -> None:
    _register(unit_leader)
    issue = submit(resident, place=loop.unit_a1_1, text="楼道里堆放杂物，垃圾没人清扫").issue
    workflow.confirm(issue, unit_leader)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30)):
        workflow.start(issue, unit_leader)
        workflow.handle(issue, unit_leader, note="已清理楼道杂物")
        workflow.pass_inspection(issue, grid_leader)
        workflow.feed_back(issue, unit_leader, message="楼道已清理干净")
        workflow.rate(issue, resident, satisfied=True)
    causes = set(PointEntry.objects.values_list("cause", flat=True))
    assert causes == {Cause.GOOD_RATING}


def test_no_points_for_a_holder_who_is_not_a_party_member_or_a_poor_rating(
    loop, rules, resident, unit_leader, grid_leader
) -> None:
    _walk(loop, resident, unit_leader, grid_leader)
    assert not PointEntry.objects.exists()
    _register(unit_leader)
    _walk(loop, resident, unit_leader, grid_leader, satisfied=False)
    assert not PointEntry.objects.exists()
