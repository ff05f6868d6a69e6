"""A party member in service registers at the community where they live (在职党员进社区报到):
once however often the form is sent, confirmed or refused once by the community's staff, and
then a registered member (wishes, visits, points read the `PartyMember` row)."""

from __future__ import annotations

import pytest
from django.test import Client

from sanzhang.access.actor import standing
from sanzhang.conftest import build_county, make_household, make_staff
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.people.models import PartyMember, Person, Role, User
from sanzhang.signup.models import PartyRegistration
from sanzhang.signup.party import (
    ask_registration,
    communities_for,
    decide_registration,
    home_community,
    registered_counts,
    registrations_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(county) -> User:  # type: ignore[no-untyped-def]
    """A resident of unit 1 of building 1 (莲花社区), signed up, a party member at work."""
    household = make_household(county.unit_a1_1, "502", name="陈志刚")
    person = Person.objects.get(household=household)
    return User.objects.create_user(username="chen", role=Role.RESIDENT, person=person)


def ask(user, place, unit: str = "县财政局", organisation: str = "县财政局机关党支部"):  # type: ignore[no-untyped-def]
    return ask_registration(user, place, work_unit=unit, party_organisation=organisation)


def test_a_member_registers_at_their_community_and_staff_confirm(
    county, member, community_staff
) -> None:
    assert home_community(member) == county.community
    assert county.community in communities_for(member)
    registration = ask(member, county.community)
    assert standing(member).party_member is None  # nothing counts before the staff confirm
    assert list(registrations_for(community_staff)) == [registration]
    decide_registration(community_staff, registration, confirm=True)
    registration.refresh_from_db()
    assert registration.status == PartyRegistration.Status.CONFIRMED
    row = PartyMember.objects.get(person=member.person)
    assert (row.community, row.work_unit, row.party_organisation) == (
        county.community,
        "县财政局",
        "县财政局机关党支部",
    )
    fresh = User.objects.get(pk=member.pk)
    assert standing(fresh).party_member == row
    assert not registrations_for(community_staff).exists()


def test_a_resent_form_updates_the_one_open_registration(county, member) -> None:
    first = ask(member, county.community, unit="县财政局")
    again = ask(member, county.area, unit="县税务局")
    assert first.pk == again.pk
    assert PartyRegistration.objects.count() == 1
    assert (again.community, again.work_unit) == (county.area, "县税务局")


def test_bad_input_is_refused_in_words_and_loses_nothing(county, member) -> None:
    with pytest.raises(Invalid):
        ask(member, county.grid_a)  # a grid is not where members register
    with pytest.raises(Invalid):
        ask(member, county.community, unit=" ")
    with pytest.raises(Invalid):
        ask(member, county.community, organisation="")
    assert not PartyRegistration.objects.exists()
    unlinked = User.objects.create_user(username="m-new", role=Role.RESIDENT)
    with pytest.raises(NotAllowed):
        ask(unlinked, county.community)


def test_one_decision_only_and_a_refusal_says_why(county, member, community_staff) -> None:
    registration = ask(member, county.community)
    with pytest.raises(Invalid):
        decide_registration(community_staff, registration, confirm=False)
    decide_registration(community_staff, registration, confirm=False, reason="不住本社区")
    with pytest.raises(Conflict):
        decide_registration(community_staff, registration, confirm=True)
    assert not PartyMember.objects.exists()
    registration.refresh_from_db()
    assert (registration.status, registration.reason) == ("refused", "不住本社区")
    # Refused, they may ask again (a new request, the refused one kept)
    ask(member, county.community)
    assert PartyRegistration.objects.count() == 2


def test_only_the_staff_over_the_community_decide(
    county, member, community_staff, unit_leader
) -> None:
    registration = ask(member, county.area)  # the village, outside the community's staff
    assert not registrations_for(community_staff).exists()
    with pytest.raises(NotAllowed):
        decide_registration(community_staff, registration, confirm=True)
    assert not registrations_for(unit_leader).exists()
    with pytest.raises(NotAllowed):
        decide_registration(unit_leader, registration, confirm=True)


def test_a_registered_member_asks_again_only_to_move(county, member, community_staff) -> None:
    decide_registration(community_staff, ask(member, county.community), confirm=True)
    with pytest.raises(Conflict):
        ask(member, county.community)
    moved = ask(member, county.area)
    office = make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")
    decide_registration(office, moved, confirm=True)
    assert PartyMember.objects.get(person=member.person).community == county.area
    assert PartyMember.objects.count() == 1


def test_counts_per_community_in_the_staffs_area(county, member, community_staff) -> None:
    other = build_county("NF", "南丰县")
    outsider = make_household(other.unit_a1_1, "101", name="外县")
    elsewhere = User.objects.create_user(
        username="wai", role=Role.RESIDENT, person=Person.objects.get(household=outsider)
    )
    ask(elsewhere, other.community)
    decide_registration(community_staff, ask(member, county.community), confirm=True)
    counts = registered_counts(community_staff)
    assert [(c.community, c.registered, c.waiting) for c in counts] == [(county.community, 1, 0)]
    assert county.community not in communities_for(elsewhere)  # their own county only


def test_the_pages_register_list_and_decide(county, member, community_staff) -> None:
    client = Client()
    client.force_login(member)
    page = client.get("/signup/party/")
    assert page.status_code == 200
    assert "莲花社区" in page.content.decode()
    form = {
        "community": county.community.pk,
        "work_unit": "县财政局",
        "party_organisation": "县财政局机关党支部",
    }
    assert client.post("/signup/party/", form).status_code == 302
    assert client.post("/signup/party/", form).status_code == 302  # a double tap
    assert PartyRegistration.objects.count() == 1
    assert "等待" in client.get("/signup/party/").content.decode()
    bad = client.post("/signup/party/", {**form, "work_unit": ""})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()

    staff = Client()
    staff.force_login(community_staff)
    listing = staff.get("/signup/party/registrations/").content.decode()
    assert "陈志刚" in listing and "县财政局机关党支部" in listing
    home = staff.get("/console/").content.decode()
    assert "/signup/party/registrations/" in home
    registration = PartyRegistration.objects.get()
    done = staff.post(f"/signup/party/registrations/{registration.pk}/", {"decision": "confirm"})
    assert done.status_code == 302
    assert PartyMember.objects.filter(person=member.person).exists()
    assert "县财政局机关党支部" in staff.get("/people/party-members/").content.decode()
    resident = client.get("/signup/party/registrations/")
    assert resident.status_code == 404


def test_a_decision_on_words_the_member_changed_meanwhile_is_refused(
    county, member, community_staff
) -> None:
    seen = ask(member, county.community)  # as the staff's list showed it
    ask(member, county.area, unit="县税务局")  # the member corrects it meanwhile
    with pytest.raises(Conflict):
        decide_registration(community_staff, seen, confirm=True)
    assert not PartyMember.objects.exists()


def test_counts_are_not_multiplied_by_other_rows(county, community_staff) -> None:
    users = []
    for door in ("701", "702", "703"):
        person = make_household(county.unit_a1_1, door, name=f"党员{door}").members.get()
        users.append(
            User.objects.create_user(username=f"u{door}", role=Role.RESIDENT, person=person)
        )
    for user in users[:2]:
        decide_registration(community_staff, ask(user, county.community), confirm=True)
    ask(users[2], county.community)
    refused = ask(users[0], county.area)
    office = make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")
    decide_registration(office, refused, confirm=False, reason="不住本村")
    counts = {c.community.code: (c.registered, c.waiting) for c in registered_counts(office)}
    assert counts == {county.community.code: (2, 1), county.area.code: (0, 0)}


def test_a_confirmed_member_joins_the_branch_or_group_where_they_live_and_leaves_it_on_moving(
    county, member, community_staff
) -> None:
    from sanzhang.party.models import Membership, PartyOrganisation

    kind = PartyOrganisation.Kind
    branch = PartyOrganisation.objects.create(
        kind=kind.BRANCH, name="第一网格党支部", place=county.grid_a
    )
    group = PartyOrganisation.objects.create(
        kind=kind.GROUP, name="1栋党小组", place=county.building_a1, parent=branch
    )
    PartyOrganisation.objects.create(kind=kind.BRANCH, name="第二网格党支部", place=county.grid_b)
    decide_registration(community_staff, ask(member, county.community), confirm=True)
    # The nearest above their home in unit 1 of building 1: the building's group.
    assert Membership.objects.get(member__person=member.person).organisation == group
    # Registered in a village elsewhere, they are no longer in the town grid's group.
    office = make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")
    decide_registration(office, ask(member, county.area), confirm=True)
    assert not Membership.objects.filter(member__person=member.person).exists()
