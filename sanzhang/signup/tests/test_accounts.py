"""A resident's account from their phone: linked to the register's household that holds the
number, made once however often the sign-up is retried, and for numbers the register does not
hold, linked by the leaders over the unit the resident names."""

from __future__ import annotations

import pytest
from django.test import Client

from sanzhang.conftest import build_county, make_household, make_staff
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.people.models import Household, Person, Role, User
from sanzhang.signup.accounts import account_for, ask_link, decide, requests_for
from sanzhang.signup.models import LinkRequest

from .conftest import last_code

pytestmark = pytest.mark.django_db
PHONE = "13700001234"


def registered(place, door: str, name: str, relation: str = "", phone: str = PHONE) -> Person:  # type: ignore[no-untyped-def]
    household = Household.objects.filter(place=place, door=door).first()
    household = household or make_household(place, door, name=f"{name}家")
    return Person.objects.create(name=name, phone=phone, relation=relation, household=household)


def test_the_account_joins_the_household_whose_register_holds_the_phone(county) -> None:
    registered(county.unit_a1_1, "101", "王小明", relation="child")
    head = registered(county.unit_a1_1, "101", "王秀英", relation="head")
    user = account_for(PHONE)
    assert (user.role, user.person, user.has_usable_password()) == (Role.RESIDENT, head, False)
    assert account_for(PHONE) == user  # a retried sign-up finds it
    assert User.objects.filter(role=Role.RESIDENT).count() == 1


def test_a_phone_in_two_households_or_none_waits_for_the_resident_to_say(county) -> None:
    registered(county.unit_a1_1, "101", "王秀英")
    registered(county.unit_b1_1, "301", "李建国")
    assert account_for(PHONE).person is None
    assert account_for("13900000000").person is None


def test_a_number_given_up_does_not_open_its_old_owners_household(county) -> None:
    old = registered(county.unit_a1_1, "101", "王秀英", relation="head")
    user = account_for(PHONE)
    assert user.person == old
    old.phone = "13900000001"  # the register now has the resident's new number
    old.save()
    with pytest.raises(NotAllowed):  # whoever has the old number now
        account_for(PHONE)
    assert account_for("13900000001") == user


def test_a_resident_without_a_password_is_never_sent_to_change_it(county) -> None:
    import datetime

    import time_machine

    registered(county.unit_a1_1, "101", "王秀英", relation="head")
    user = account_for(PHONE)
    with time_machine.travel(user.date_joined + datetime.timedelta(days=400)):
        client = Client()
        client.force_login(user)  # signed in again by code, 400 days on
        assert client.get("/console/").status_code == 200


def test_a_staff_members_phone_opens_no_resident_account(county, unit_leader) -> None:
    person = unit_leader.person
    person.phone = PHONE
    person.save()
    with pytest.raises(NotAllowed):
        account_for(PHONE)


def test_a_leader_confirms_a_new_resident_into_the_household_at_that_door(
    county, unit_leader
) -> None:
    existing = make_household(county.unit_a1_1, "101")
    user = account_for(PHONE)
    link = ask_link(user, county.unit_a1_1, name="赵新", door="101", phone=PHONE)
    again = ask_link(user, county.unit_a1_1, name="赵新", door="101", phone=PHONE)
    assert again.pk == link.pk and LinkRequest.objects.count() == 1
    assert list(requests_for(unit_leader)) == [link]
    decide(unit_leader, link, confirm=True)
    user.refresh_from_db()
    assert user.person.household == existing and user.person.phone == PHONE
    assert existing.members.count() == 2  # the register's resident, and the new one
    with pytest.raises(Conflict):
        decide(unit_leader, link, confirm=True)


def test_refusing_needs_a_reason_and_only_the_area_decides(county, unit_leader, colleague) -> None:
    user = account_for(PHONE)
    link = ask_link(user, county.unit_a1_1, name="赵新", door="909", phone=PHONE)
    assert list(requests_for(colleague)) == []
    with pytest.raises(NotAllowed):
        decide(colleague, link, confirm=True)
    with pytest.raises(Invalid):
        decide(unit_leader, link, confirm=False)
    decide(unit_leader, link, confirm=False, reason="本单元没有909室")
    assert LinkRequest.objects.get().status == "refused"
    user.refresh_from_db()
    assert user.person is None


def test_a_resident_names_a_unit_or_village_group_only(county) -> None:
    user = account_for(PHONE)
    for place in (county.building_a1, county.grid_a, county.community):
        with pytest.raises(Invalid):
            ask_link(user, place, name="赵新", door="1", phone=PHONE)
    ask_link(user, county.rural_grid, name="赵新", door="8号", phone=PHONE)


def test_the_pages_from_phone_to_confirmed(outbox, county, unit_leader) -> None:
    resident = Client()
    resident.post("/signup/", {"phone": PHONE})
    response = resident.post("/signup/code/", {"code": last_code(outbox, PHONE)})
    assert response["Location"] == "/signup/home/"
    page = resident.get(f"/signup/home/?at={county.unit_a1_1.code}").content.decode()
    assert 'id="home-form"' in page
    resident.post(f"/signup/home/?at={county.unit_a1_1.code}", {"name": "赵新", "door": "102"})
    leader = Client()
    leader.force_login(unit_leader)
    assert "赵新" in leader.get("/signup/requests/").content.decode()
    link = LinkRequest.objects.get()
    leader.post(f"/signup/requests/{link.pk}/", {"decision": "confirm"})
    again = leader.post(f"/signup/requests/{link.pk}/", {"decision": "confirm"}, follow=True)
    assert "该申请已由他人处理" in again.content.decode()  # told, not a 404
    assert resident.get("/signup/home/")["Location"] == "/console/"  # linked: home
    assert User.objects.get(role=Role.RESIDENT).person.phone == PHONE
    other = build_county("NF", "南丰县")
    stranger = make_staff("nf", Role.COMMUNITY_STAFF, other.community, "committee")
    outsider = Client()
    outsider.force_login(stranger)
    assert outsider.post(f"/signup/requests/{link.pk}/", {"decision": "refuse"}).status_code == 404


def test_a_signed_in_resident_cannot_attach_a_number_they_did_not_prove(outbox, county) -> None:
    resident = Client()
    resident.post("/signup/", {"phone": PHONE})
    resident.post("/signup/code/", {"code": last_code(outbox, PHONE)})
    resident.post("/signup/", {"phone": "13900000009"})  # someone else's: asked, never proven
    at = f"/signup/home/?at={county.unit_a1_1.code}"
    resident.post(at, {"name": "赵新", "door": "102"})
    assert LinkRequest.objects.get().phone == PHONE


def test_the_registers_own_record_is_taken_when_households_share_the_phone(
    county, community_staff
) -> None:
    registered(county.unit_a1_1, "101", "王秀英", relation="head")
    son = registered(county.unit_b1_1, "301", "王小明", relation="child")  # the same phone
    user = account_for(PHONE)
    assert user.person is None  # two households: the resident says which
    link = ask_link(user, county.unit_b1_1, name="王小明", door="301", phone=PHONE)
    decide(community_staff, link, confirm=True)
    user.refresh_from_db()
    assert user.person == son and Person.objects.filter(name="王小明").count() == 1
