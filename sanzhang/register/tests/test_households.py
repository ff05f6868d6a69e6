"""A household's page and its hand-kept moves: staff of its community move it or mark it moved
away, with the history kept; leaders see it; nobody else does."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import build_county, make_household, make_staff
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.people.models import HouseholdMove, Person, Role, Tag, User
from sanzhang.register.households import mark_moved_away, move_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(county):  # type: ignore[no-untyped-def]
    household = make_household(county.unit_a1_1, "101", name="王秀英")
    person = household.members.get()
    person.relation = Person.Relation.HEAD
    person.save()
    person.tags.add(Tag.objects.get(place=None, name="独居老人"))
    return household


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_move_a_household_and_its_history_is_kept(county, household, community_staff):
    move_household(community_staff, household, county.unit_b1_1.code.lower(), reason="换房")
    household.refresh_from_db()
    assert household.place == county.unit_b1_1
    [move] = HouseholdMove.objects.filter(household=household)
    assert (move.from_place, move.to_place, move.by, move.reason) == (
        county.unit_a1_1,
        county.unit_b1_1,
        community_staff,
        "换房",
    )
    assert AuditEvent.objects.filter(action="household.moved", object_id=str(household.pk)).exists()


def test_a_move_must_name_a_place_that_holds_households_in_the_area(
    county, household, community_staff
):
    other = build_county("NF", "南丰县")
    for code in (county.building_a1.code, other.unit_a1_1.code, "GC.NOPE", ""):
        with pytest.raises(Invalid):
            move_household(community_staff, household, code, reason="换房")
    with pytest.raises(Invalid):
        move_household(community_staff, household, county.unit_b1_1.code, reason="  ")
    with pytest.raises(Invalid):  # already there
        move_household(community_staff, household, county.unit_a1_1.code, reason="换房")
    assert not HouseholdMove.objects.exists()


def test_leaders_and_other_communities_staff_may_not_move_it(
    county, household, unit_leader, county_officer
):
    with pytest.raises(NotAllowed):
        move_household(unit_leader, household, county.unit_b1_1.code, reason="换房")
    other = build_county("NF", "南丰县")
    stranger = make_staff("nf-staff", Role.COMMUNITY_STAFF, other.community, "committee")
    with pytest.raises(Invalid):
        move_household(stranger, household, other.unit_a1_1.code, reason="换房")
    # The county office moves it anywhere in its county, a village grid included.
    move_household(county_officer, household, county.rural_grid.code, reason="回村")
    household.refresh_from_db()
    assert household.place == county.rural_grid


def test_moved_away_once_with_its_history_and_never_in_the_future(
    county, household, community_staff
):
    today = timezone.localdate()
    with pytest.raises(Invalid):
        mark_moved_away(community_staff, household, on=today + datetime.timedelta(1), reason="迁出")
    mark_moved_away(community_staff, household, on=today, reason="迁往南昌")
    household.refresh_from_db()
    assert household.moved_away_on == today
    assert HouseholdMove.objects.get(household=household).to_place is None
    with pytest.raises(Conflict):
        mark_moved_away(community_staff, household, on=today, reason="迁往南昌")
    # Moving it back into the county brings it back into the register.
    move_household(community_staff, household, county.unit_a1_2.code, reason="回迁")
    household.refresh_from_db()
    assert household.moved_away_on is None and household.moves.count() == 2


def test_the_page_shows_residents_groups_and_moves_and_offers_staff_the_forms(
    county, household, community_staff, unit_leader, colleague
):
    body = logged_in(community_staff).get(f"/register/households/{household.pk}/").content.decode()
    assert "王秀英" in body and "独居老人" in body and "户主" in body
    assert 'id="move-form"' in body and 'id="away-form"' in body
    leader = logged_in(unit_leader).get(f"/register/households/{household.pk}/")
    assert leader.status_code == 200 and 'id="move-form"' not in leader.content.decode()
    assert logged_in(colleague).get(f"/register/households/{household.pk}/").status_code == 404


def test_the_move_form_shows_a_refusal_and_changes_nothing(county, household, community_staff):
    client = logged_in(community_staff)
    url = f"/register/households/{household.pk}/move/"
    response = client.post(url, {"to_code": county.building_a1.code, "reason": "换房"})
    assert response.status_code == 200
    assert "住户应登记在城镇的单元或农村的网格下" in response.content.decode()
    household.refresh_from_db()
    assert household.place == county.unit_a1_1
    response = client.post(url, {"to_code": county.unit_b1_1.code, "reason": "换房"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "住户已迁移。" in page
    assert county.unit_b1_1.name in page


def test_a_leader_posting_the_form_is_refused(county, household, unit_leader):
    url = f"/register/households/{household.pk}/moved-away/"
    today = timezone.localdate().isoformat()
    response = logged_in(unit_leader).post(url, {"on": today, "reason": "迁出"})
    assert response.status_code == 403
    household.refresh_from_db()
    assert household.moved_away_on is None
