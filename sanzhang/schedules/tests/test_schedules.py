"""Scheduled work: due periods queued once, run by the real database worker with their result
recorded, caught up after downtime where the schedule asks for it, and overdue issues
escalating with nobody running a command."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command

from sanzhang.conftest import run_queued_tasks
from sanzhang.issues.intake import submit
from sanzhang.issues.models import IssueEvent
from sanzhang.issues.tests.conftest import reseed
from sanzhang.schedules import services
from sanzhang.schedules.models import ScheduledRun
from sanzhang.schedules.registry import Schedule

pytestmark = pytest.mark.django_db(transaction=True)
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DAILY = Schedule(
    "daily",
    "sanzhang.schedules.tests.test_schedules.count_call",
    datetime.timedelta(days=1),
    catch_up=True,
)
CALLS: list[int] = []


def count_call() -> int:
    CALLS.append(1)
    return len(CALLS)


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def test_a_period_is_queued_and_run_once(monkeypatch) -> None:
    monkeypatch.setattr(services, "SCHEDULES", [DAILY])
    monkeypatch.setattr("sanzhang.schedules.registry.SCHEDULES", [DAILY])
    CALLS.clear()
    assert len(services.tick(at("2026-11-25 10:00"))) == 1
    assert services.tick(at("2026-11-25 18:00")) == []  # same period: nothing new
    run_queued_tasks()
    run = ScheduledRun.objects.get()
    assert (run.status, run.result, CALLS) == ("done", "1", [1])
    # Three days down: each missed day gets its own run, in order.
    queued = services.tick(at("2026-11-28 09:00"))
    assert [r.period.date().isoformat() for r in queued] == [
        "2026-11-26",
        "2026-11-27",
        "2026-11-28",
    ]
    run_queued_tasks()
    assert ScheduledRun.objects.filter(status="done").count() == 4 and len(CALLS) == 4


def test_a_failing_run_records_its_error(monkeypatch) -> None:
    broken = Schedule("broken", "sanzhang.schedules.tests.test_schedules.no_such", DAILY.every)
    monkeypatch.setattr(services, "SCHEDULES", [broken])
    monkeypatch.setattr("sanzhang.schedules.registry.SCHEDULES", [broken])
    services.tick(at("2026-11-25 10:00"))
    run_queued_tasks()
    run = ScheduledRun.objects.get()
    assert run.status == "failed" and "no_such" in run.error


def test_overdue_issues_escalate_on_schedule(county, unit_leader) -> None:
    reseed()
    from sanzhang.conftest import make_leader
    from sanzhang.posts.models import PostKind

    make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-leader")
    with time_machine.travel(at("2026-11-23 10:00"), tick=False):
        submit(unit_leader, place=county.unit_a1_1, text="垃圾没人清扫", channel="patrol")
    with time_machine.travel(at("2026-11-24 11:00"), tick=False):
        call_command("scheduler", "--once", verbosity=0)
        run_queued_tasks()
    assert IssueEvent.objects.filter(kind="overdue").count() == 1
    run = ScheduledRun.objects.get(schedule="escalate_overdue")
    assert (run.status, run.result) == ("done", "1")
