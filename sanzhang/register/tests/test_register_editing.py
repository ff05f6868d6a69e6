"""Keeping the register by hand: staff of the area add a household and its residents and
correct them, each through a service with an audit row; ID numbers checked as the import
checks them and never twice in the register; a retried POST makes nothing twice; leaders and
other areas' staff change nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import build_county, make_household, make_staff
from sanzhang.core.crypto import keyed_hash
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.people.models import Household, Person, Role, Tag, User
from sanzhang.register.editing import (
    Resident,
    add_household,
    add_resident,
    edit_household,
    edit_resident,
    places_to_keep,
)

pytestmark = pytest.mark.django_db

CHILD_ID = "360000201001011231"  # a valid check digit, born 2010, male (odd 17th digit)
OTHER_ID = "360000198001011245"


@pytest.fixture
def household(county):  # type: ignore[no-untyped-def]
    household = make_household(county.unit_a1_1, "101", name="王秀英")
    household.members.update(relation=Person.Relation.HEAD)
    return household


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_places_offered_are_the_units_and_village_grids_of_the_area(county, community_staff):
    offered = set(places_to_keep(community_staff))
    assert offered == {county.unit_a1_1, county.unit_a1_2, county.unit_a2_1, county.unit_b1_1}
    office = make_staff("office2", Role.COUNTY_OFFICE, county.county, "county_office")
    assert county.rural_grid in places_to_keep(office)
    assert county.building_a1 not in places_to_keep(office)


def test_staff_add_a_household_once_per_door(county, community_staff):
    client = logged_in(community_staff)
    post = {"place": county.unit_a1_2.pk, "door": " 202 ", "address": "莲花社区1栋2单元202室"}
    response = client.post("/register/households/new/", post)
    household = Household.objects.get(place=county.unit_a1_2, door="202")
    assert (
        response.status_code == 302
        and response["Location"] == f"/register/households/{household.pk}/"
    )
    assert household.address == "莲花社区1栋2单元202室"
    assert AuditEvent.objects.filter(action="household.added", object_id=str(household.pk)).exists()
    again = client.post("/register/households/new/", post)  # the POST retried
    assert again.status_code == 200
    assert "已经登记" in again.content.decode()
    assert Household.objects.filter(place=county.unit_a1_2, door="202").count() == 1


def test_a_household_goes_only_to_a_unit_or_village_grid_of_the_area(county, community_staff):
    for place in (county.building_a1, county.rural_grid):  # a building; outside the community
        with pytest.raises(Invalid):
            add_household(community_staff, place, door="1")
    with pytest.raises(Invalid):
        add_household(community_staff, county.unit_a1_1, door="  ")
    # The form offers only the area's places: another's is not a valid choice.
    client = logged_in(community_staff)
    response = client.post(
        "/register/households/new/", {"place": county.rural_grid.pk, "door": "8"}
    )
    assert response.status_code == 200 and not Household.objects.exists()


def test_leaders_and_residents_may_not_add_households(county, unit_leader):
    with pytest.raises(NotAllowed):
        add_household(unit_leader, county.unit_a1_1, door="909")
    assert logged_in(unit_leader).get("/register/households/new/").status_code == 404
    post = {"place": county.unit_a1_1.pk, "door": "909"}
    assert logged_in(unit_leader).post("/register/households/new/", post).status_code == 404
    assert not Household.objects.filter(door="909").exists()


def test_staff_correct_the_door_and_address_and_an_empty_address_keeps(
    county, household, community_staff
):
    client = logged_in(community_staff)
    url = f"/register/households/{household.pk}/edit/"
    page = client.get(url).content.decode()
    assert "1单元101室" not in page  # the address is shown masked only
    response = client.post(url, {"door": "102", "address": ""})
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.door, household.address) == ("102", "1单元101室")
    event = AuditEvent.objects.get(action="household.edited")
    assert event.detail == {"fields": ["door"]}
    make_household(county.unit_a1_1, "103", name="邻居")
    with pytest.raises(Conflict):
        edit_household(community_staff, household, door="103", address="")


def test_staff_add_a_resident_checked_like_the_import(county, household, community_staff):
    tag = Tag.objects.get(place=None, name="留守儿童")
    client = logged_in(community_staff)
    url = f"/register/households/{household.pk}/residents/new/"
    assert "留守儿童" in client.get(url).content.decode()
    bad = {"name": "王小明", "id_number": CHILD_ID[:-1] + "0", "relation": "child"}
    response = client.post(url, bad)
    assert "校验码" in response.content.decode()
    post = {**bad, "id_number": CHILD_ID.lower(), "phone": "138 0000 1111", "tags": [tag.pk]}
    assert client.post(url, post).status_code == 302
    child = Person.objects.get(id_number_hash=keyed_hash(CHILD_ID))
    assert (child.household, child.name, child.gender, child.birth_year) == (
        household,
        "王小明",
        "M",
        2010,
    )
    assert child.phone == "13800001111" and list(child.tags.all()) == [tag]
    assert AuditEvent.objects.filter(action="person.added", object_id=str(child.pk)).exists()
    again = client.post(url, post)  # the POST retried: refused, nothing added
    assert "该身份证号" in again.content.decode()
    assert household.members.count() == 2


def test_no_id_number_twice_in_the_register_and_one_head(county, household, community_staff):
    other = make_household(county.unit_b1_1, "301", name="刘大妈")
    neighbour = Person.objects.get(household=other)
    neighbour.id_number = CHILD_ID
    neighbour.save()
    with pytest.raises(Conflict):  # typed with a space, as people do
        add_resident(
            community_staff, household, Resident("冒名", CHILD_ID[:6] + " " + CHILD_ID[6:])
        )
    with pytest.raises(Invalid):
        add_resident(community_staff, household, Resident("二户主", OTHER_ID, relation="head"))
    with pytest.raises(Invalid):  # a special group of another county
        nf_tag = Tag.objects.create(place=build_county("NF", "南丰县").county, name="外县组")
        add_resident(community_staff, household, Resident("张三", OTHER_ID, tags=[nf_tag]))
    assert household.members.count() == 1


def test_staff_correct_a_resident_and_empty_numbers_keep(county, household, community_staff):
    person = household.members.get()
    client = logged_in(community_staff)
    url = f"/register/residents/{person.pk}/edit/"
    page = client.get(url).content.decode()
    # The numbers are shown masked (this one's check digit is wrong: kept, as registered).
    assert person.id_number not in page and "360000********1234" in page
    post = {"name": "王秀英", "id_number": "", "phone": "", "relation": "head"}
    assert client.post(url, post).status_code == 302
    assert not AuditEvent.objects.filter(action="person.edited").exists()  # nothing changed
    post = {**post, "id_number": OTHER_ID, "phone": "13900002222"}
    assert client.post(url, post).status_code == 302
    person.refresh_from_db()
    assert person.id_number == OTHER_ID and person.id_number_hash == keyed_hash(OTHER_ID)
    assert (person.phone, person.gender, person.birth_year) == ("13900002222", "F", 1980)
    event = AuditEvent.objects.get(action="person.edited")
    assert set(event.detail["fields"]) == {"id_number", "phone"}
    assert OTHER_ID not in str(event.detail)


def test_correcting_to_an_id_number_already_registered_is_refused(
    county, household, community_staff
):
    person = household.members.get()
    other = make_household(county.unit_a1_2, "201", name="张建国").members.get()
    other.id_number = OTHER_ID
    other.save()
    with pytest.raises(Conflict):
        edit_resident(community_staff, person, Resident("王秀英", OTHER_ID))
    response = logged_in(community_staff).post(
        f"/register/residents/{person.pk}/edit/", {"name": "王秀英", "id_number": OTHER_ID}
    )
    assert "该身份证号" in response.content.decode()
    person.refresh_from_db()
    assert person.id_number == "360000195001011234"


def test_leaders_see_but_change_nothing_and_outsiders_get_404(
    county, household, unit_leader, outsider
):
    person = household.members.get()
    urls = [
        f"/register/households/{household.pk}/edit/",
        f"/register/households/{household.pk}/residents/new/",
        f"/register/residents/{person.pk}/edit/",
    ]
    for url in urls:
        assert logged_in(unit_leader).post(url, {"name": "x", "door": "1"}).status_code == 403
        assert logged_in(outsider).post(url, {"name": "x", "door": "1"}).status_code == 404
    stranger = make_staff("nf", Role.COMMUNITY_STAFF, build_county("NF", "南丰县").community, "c")
    for url in urls:
        assert logged_in(stranger).get(url).status_code == 404
    with pytest.raises(Invalid):
        edit_resident(stranger, person, Resident("改名", ""))
    with pytest.raises(NotAllowed):
        add_resident(unit_leader, household, Resident("张三", OTHER_ID))
    person.refresh_from_db()
    assert person.name == "王秀英"


def test_the_household_page_links_to_the_edit_pages_for_staff_only(
    household, community_staff, unit_leader
):
    body = logged_in(community_staff).get(f"/register/households/{household.pk}/").content.decode()
    assert f"/register/households/{household.pk}/edit/" in body
    assert f"/register/households/{household.pk}/residents/new/" in body
    assert f"/register/residents/{household.members.get().pk}/edit/" in body
    leader = logged_in(unit_leader).get(f"/register/households/{household.pk}/").content.decode()
    assert "/edit/" not in leader
