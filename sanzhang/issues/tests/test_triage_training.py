"""Triage that learns from the county's own history: trained on what people confirmed (never
a reporter's or the keywords' first guess), falling back to the keywords when the history is
too small, retrained per county by the worker, and preselecting a hard issue's lead
department at a meeting."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from sanzhang.conftest import build_county, make_staff, run_queued_tasks
from sanzhang.issues import meetings, workflow
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Category, Issue, IssueEvent, State, Tier
from sanzhang.issues.suggest import suggest_category, suggest_tier
from sanzhang.issues.tests.conftest import reseed
from sanzhang.issues.triage_training import confirmed_rows, train_county
from sanzhang.people.models import Organisation, Role
from sanzhang.places.models import Place
from sanzhang.schedules import services as schedules
from sanzhang.schedules.registry import by_name
from sanzhang.triage import services as triage
from sanzhang.triage.models import TriageModel
from sanzhang.triage.services import Row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    triage.forget()
    yield
    triage.forget()


def history(place: Place, user, n: int, *, covers: str = "planning") -> None:
    """`n` issues at `place` confirmed by a person: manhole covers filed under `covers`
    (the keywords say roads), stairwell clutter as sanitation."""
    now = timezone.now()
    for i in range(n):
        text, code, tier = (
            (f"{i}号楼前井盖松动", covers, Tier.COMPLEX)
            if i % 2
            else (f"{i}号楼楼道堆放杂物", "sanitation", Tier.SIMPLE)
        )
        issue = Issue.objects.create(
            number=f"{place.code}-{i}", place=place, category=Category.objects.get(code=code),
            tier=tier, state=State.ASSIGNED, channel="online", text=text, recorded_by=user,
            owner_place=place, created_at=now, updated_at=now,
        )  # fmt: skip
        for kind in (IssueEvent.Kind.REPORTED, IssueEvent.Kind.CONFIRMED):
            IssueEvent.objects.create(issue=issue, kind=kind, actor=user, at=now)


def test_training_rows_are_what_people_confirmed(
    loop, resident, unit_leader, grid_leader, county_officer, department
) -> None:
    unit = loop.unit_a1_1
    # Confirmed with another category and tier than the suggestion: the confirmation counts.
    lamp = submit(resident, place=unit, text="路灯坏了，晚上很黑").issue
    property_ = Category.objects.get(code="property")
    workflow.confirm(lamp, grid_leader, tier=Tier.SIMPLE, category=property_)
    submit(resident, place=unit, text="楼道里堆放杂物")  # waiting: nobody confirmed it
    # Confirmed, then escalated: the escalation's tier is nobody's judgement yet.
    leak = submit(resident, place=unit, text="水管漏水").issue
    workflow.confirm(leak, unit_leader)
    workflow.escalate(Issue.objects.get(pk=leak.pk), unit_leader, reason="修不了")
    # Hard: confirmed up to the county office, then given to a department at a meeting.
    shed = submit(resident, place=unit, text="有人私搭乱建").issue
    workflow.confirm(shed, unit_leader, tier=Tier.HARD)
    meeting = meetings.schedule(county_officer, title="交办会", held_on=timezone.localdate())
    item = meetings.put_on_agenda(county_officer, meeting, Issue.objects.get(pk=shed.pk))
    lead = department.organisation
    meetings.assign(county_officer, item, lead=lead, due_on=timezone.localdate())
    rows = confirmed_rows(loop.county.code)
    assert sorted(rows) == sorted([
        Row("路灯坏了，晚上很黑", "property", "simple", ""),
        Row("有人私搭乱建", "other", "hard", lead.name),  # the category as it was confirmed
    ])  # fmt: skip


def test_too_little_history_leaves_the_keywords(county, county_officer) -> None:
    history(county.unit_a1_1, county_officer, triage.MIN_SAMPLES - 1)
    assert train_county(county.county.code) is None
    assert not TriageModel.objects.exists()
    found = suggest_category("楼前井盖松动", code=county.unit_a1_1.code)
    assert found is not None and found.code == "roads"  # the keywords' answer


def test_suggestions_use_the_county_model_once_trained(county, county_officer) -> None:
    place = county.unit_a1_1
    assert suggest_category("楼前井盖松动", code=place.code).code == "roads"
    roads = Category.objects.get(code="roads")
    assert suggest_tier(roads, place, text="楼前井盖松动") == roads.default_tier
    history(place, county_officer, 60)
    assert train_county(county.county.code) == 1
    triage.forget()  # this process asked a moment ago: it would see the model within a minute
    assert suggest_category("楼前井盖松动", code=place.code).code == "planning"
    sanitation = Category.objects.get(code="sanitation")
    # The text decides the tier, whatever category was chosen; without text, the default.
    # (In grid B: the history in grid A would make these recurring there.)
    elsewhere = county.unit_b1_1
    assert suggest_tier(sanitation, elsewhere, text="楼前井盖松动") == Tier.COMPLEX
    assert suggest_tier(roads, elsewhere) == Tier.COMPLEX
    assert suggest_tier(roads, elsewhere, text="楼道堆放杂物") == Tier.SIMPLE


def test_train_triage_command_trains_the_named_county(county, county_officer) -> None:
    other = build_county("XY", "邻县")
    history(county.unit_a1_1, county_officer, 60)
    history(other.unit_a1_1, county_officer, 60)
    call_command("train_triage", "--county", county.county.code, verbosity=0)
    assert list(TriageModel.objects.values_list("county__code", "version")) == [("GC", 1)]


def test_the_meeting_preselects_the_suggested_lead_department(
    county, county_officer, resident
) -> None:
    urban = Organisation.objects.create(
        name="县城管局", kind=Organisation.Kind.DEPARTMENT, place=county.county
    )
    make_staff("housing", Role.DEPARTMENT, county.county, Organisation.Kind.DEPARTMENT)
    texts = [
        ("有人私搭乱建违章建筑", "planning", "县城管局"),
        ("楼房墙体开裂成了危房", "property", "广昌县department"),
    ]
    rows = [Row(f"{i}号{t}", c, "hard", d) for i in range(30) for t, c, d in texts]
    assert triage.train(county.county.code, rows) is not None
    issue = submit(resident, place=county.unit_a1_1, text="楼下违章建筑").issue
    run_queued_tasks()  # the worker reads it with the county's model, and routes it again
    issue.refresh_from_db()
    assert issue.tier == Tier.HARD  # filed as planning, hard by default: at the county office
    meeting = meetings.schedule(county_officer, title="交办会", held_on=timezone.localdate())
    meetings.put_on_agenda(county_officer, meeting, Issue.objects.get(pk=issue.pk))
    client = Client()
    client.force_login(county_officer)
    page = client.get(f"/issues/meetings/{meeting.pk}/").content.decode()
    assert f'<option value="{urban.pk}" selected>' in page


@pytest.mark.django_db(transaction=True)
def test_the_worker_trains_each_county_on_its_own_history(monkeypatch) -> None:
    reseed()
    first, second = build_county(), build_county("XY", "邻县")
    office = make_staff("office", Role.COUNTY_OFFICE, first.county, "county_office")
    history(first.unit_a1_1, office, 60, covers="planning")
    history(second.unit_a1_1, office, 60, covers="property")
    schedule = by_name("train_triage")
    monkeypatch.setattr(schedules, "SCHEDULES", [schedule])
    monkeypatch.setattr("sanzhang.schedules.registry.SCHEDULES", [schedule])
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    assert len(schedules.tick(datetime.datetime(2026, 11, 25, 10, tzinfo=shanghai))) == 1
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    trained = TriageModel.objects.values_list("county__code", "version")
    assert sorted(trained) == [("GC", 1), ("XY", 1)]
    # Each county's suggestion comes from its own history only.
    assert triage.predict(first.unit_a1_1.code, "井盖松动").category_code == "planning"
    assert triage.predict(second.unit_a1_1.code, "井盖松动").category_code == "property"
