"""Recording visits: a resend is the same visit, a problem found becomes one issue, the
household's contact status follows the last visit, and coverage counts households."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from sanzhang.conftest import make_household
from sanzhang.core.errors import Invalid, NotAllowed
from sanzhang.issues.models import Issue
from sanzhang.people.models import Role, User
from sanzhang.visits.coverage import coverage
from sanzhang.visits.models import HouseholdContact, Visit
from sanzhang.visits.services import record_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def homes(county):  # type: ignore[no-untyped-def]
    return [
        make_household(county.unit_a1_1, "101"),
        make_household(county.unit_a1_1, "102", name="李桂兰"),
        make_household(county.unit_a1_2, "201", name="张建国"),
    ]


def test_a_resend_is_the_same_visit_and_its_problem_one_issue(
    homes, unit_leader, county_officer
) -> None:
    def send():  # type: ignore[no-untyped-def]
        return record_visit(
            unit_leader,
            client_key="phone-1",
            kind="door_knocking",
            household=homes[0],
            met="王秀英",
            heard="楼道灯坏了",
            contact_in_group=True,
            problem="楼道灯坏了，晚上看不见",
        )

    first, again = send(), send()
    assert first.created and not again.created and first.visit.pk == again.visit.pk
    assert Visit.objects.count() == 1 and Issue.objects.count() == 1
    issue = first.visit.issues.get()
    assert issue.channel == "door_knocking" and issue.household == homes[0]
    assert HouseholdContact.objects.get(household=homes[0]).in_group is True


def test_refusals(homes, unit_leader) -> None:
    resident_user = User.objects.create_user(username="resident", role=Role.RESIDENT)
    with pytest.raises(NotAllowed):
        record_visit(unit_leader, client_key="k1", kind="door_knocking", household=homes[2])
    with pytest.raises(Invalid):
        record_visit(unit_leader, client_key="k2", kind="door_knocking", household=None)
    with pytest.raises(Invalid):
        record_visit(unit_leader, client_key="", kind="door_knocking", household=homes[0])
    with pytest.raises(Invalid):
        record_visit(
            unit_leader,
            client_key="k3",
            kind="door_knocking",
            household=homes[0],
            visited_at=timezone.now() + datetime.timedelta(days=1),
        )
    with pytest.raises(NotAllowed):
        record_visit(resident_user, client_key="k4", kind="door_knocking", household=homes[0])
    assert not Visit.objects.exists()


def test_coverage_counts_visited_never_visited_and_contact(
    county, homes, unit_leader, community_staff
) -> None:
    long_ago = timezone.now() - datetime.timedelta(days=25)
    record_visit(
        unit_leader, client_key="a", kind="door_knocking", household=homes[0], contact_in_group=True
    )
    record_visit(
        unit_leader,
        client_key="b",
        kind="door_knocking",
        household=homes[1],
        contact_in_group=False,
        visited_at=long_ago,
    )
    result = coverage(county.community, days=7)
    assert dict(result.totals) == {
        "households": 3,
        "visited": 1,
        "never": 1,
        "in_group": 1,
        "not_in_group": 1,
    }
    assert coverage(county.community, days=30).totals["visited"] == 2
    grids = {row["place"].code: row for row in result.children}
    assert grids[county.grid_a.code]["households"] == 3


def test_the_api_answers_201_then_200_for_a_resend(client, homes, unit_leader) -> None:
    client.force_login(unit_leader)
    body = {
        "key": "phone-9",
        "kind": "door_knocking",
        "household": homes[0].pk,
        "heard": "一切正常",
    }
    first = client.post("/api/visits/", body, content_type="application/json")
    again = client.post("/api/visits/", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and again.json()["created"] is False
    outside = client.post(
        "/api/visits/",
        {**body, "key": "x", "household": homes[2].pk},
        content_type="application/json",
    )
    assert outside.status_code == 404
    wrong = client.post(
        "/api/visits/", {**body, "key": "y", "kind": "party"}, content_type="application/json"
    )
    assert wrong.status_code == 422 and wrong.json()["detail"] == "请选择走访类型。"


def test_pages(client, county, homes, unit_leader, community_staff) -> None:
    client.force_login(unit_leader)
    page = client.get("/visits/").content.decode()
    assert "记录走访" in page and "1单元 101" in page and "1单元 201" not in page
    response = client.post(
        "/visits/",
        {"key": "form-1", "kind": "door_knocking", "household": homes[0].pk, "heard": "无"},
    )
    assert response.status_code == 302 and Visit.objects.filter(client_key="form-1").exists()
    client.force_login(community_staff)
    page = client.get(f"/visits/coverage/{county.community.code}/").content.decode()
    assert "走访覆盖" in page
    book = load_workbook(
        io.BytesIO(client.get(f"/visits/coverage/{county.community.code}/?format=xlsx").content)
    )
    sheet = book.worksheets[0]
    assert sheet["A2"].value == county.grid_a.code and sheet["C2"].value == 3


def test_the_demo_county_has_a_visit_history() -> None:
    from sanzhang.demo.loader import load_demo
    from sanzhang.places.models import Place

    load_demo(scale=0.05)
    county = Place.objects.get(parent=None)
    totals = coverage(county, days=90).totals
    assert 0.6 < totals["visited"] / totals["households"] < 0.72
    assert totals["never"] == totals["households"] - totals["visited"]
    assert totals["in_group"] > totals["not_in_group"] > 0


def test_the_visit_page_names_the_special_groups_and_leaves_out_households_gone_away(
    homes, unit_leader, client
) -> None:
    from sanzhang.people.models import Tag

    homes[0].members.get().tags.add(*Tag.objects.filter(place=None, name__in=["独居老人", "低保"]))
    homes[1].moved_away_on = timezone.localdate()
    homes[1].save()
    client.force_login(unit_leader)
    body = client.get("/visits/").content.decode()
    head = homes[0].members.get().name
    assert f"1栋 1单元 101 · {head} · 低保、独居老人" in body  # building, door, head, groups
    assert "1单元 102" not in body


def test_coverage_can_be_read_for_one_special_group(homes, unit_leader, community_staff, client):
    from sanzhang.people.models import Tag

    alone = Tag.objects.get(place=None, name="独居老人")
    homes[0].members.get().tags.add(alone)
    homes[2].members.get().tags.add(alone)
    record_visit(unit_leader, client_key="v1", kind="door_knocking", household=homes[0])
    community = homes[0].place.parent.parent.parent
    everyone = coverage(community, 30)
    elderly = coverage(community, 30, group=alone)
    assert (everyone.totals["households"], everyone.totals["visited"]) == (3, 1)
    assert (elderly.totals["households"], elderly.totals["visited"]) == (2, 1)
    client.force_login(community_staff)
    body = client.get(f"/visits/coverage/{community.code}/?days=30&group={alone.pk}").content
    assert f'<option value="{alone.pk}" selected>独居老人</option>' in body.decode()
