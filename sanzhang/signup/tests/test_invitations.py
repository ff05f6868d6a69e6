"""Accounts for leaders, staff and departments without the admin: invited by the staff over
the person from their record, a link valid for 7 days, used once, the person's own password
under the password rules."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from sanzhang.conftest import build_county, make_household, make_staff
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.people.models import Organisation, Person, Role, User
from sanzhang.posts.models import PostKind
from sanzhang.posts.services import appoint, open_post
from sanzhang.signup.invitations import (
    accept,
    invitations_for,
    invite,
    open_invitation,
    people_to_invite,
    withdraw,
)
from sanzhang.signup.models import Invitation

pytestmark = pytest.mark.django_db
GOOD = "Lianxiang-2026!"


@pytest.fixture
def neighbour(county) -> Person:  # type: ignore[no-untyped-def]
    return make_household(county.unit_a1_1, "601", name="陈红").members.get()


def test_staff_invite_a_resident_who_sets_their_own_password(
    county, neighbour, community_staff
) -> None:
    assert neighbour in people_to_invite(community_staff)
    invitation, token = invite(community_staff, neighbour, Role.LEADER)
    assert invitation.token_hash != token and token not in invitation.token_hash
    assert open_invitation(token) == invitation
    user = accept(token, username="chenhong", password=GOOD)
    assert (user.role, user.person, user.check_password(GOOD)) == (Role.LEADER, neighbour, True)
    assert user.password_changed_at is not None and not user.must_change_password
    assert open_invitation(token) is None  # used once
    with pytest.raises(Conflict):
        accept(token, username="chenhong2", password=GOOD)
    assert User.objects.filter(person=neighbour).count() == 1
    assert neighbour not in people_to_invite(community_staff)  # has an account now


def test_the_link_expires_after_seven_days(county, neighbour, community_staff) -> None:
    start = datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        _invitation, token = invite(community_staff, neighbour, Role.LEADER)
    with time_machine.travel(start + datetime.timedelta(days=6, hours=23), tick=False):
        assert open_invitation(token) is not None
    with time_machine.travel(start + datetime.timedelta(days=7, minutes=1), tick=False):
        assert open_invitation(token) is None
        with pytest.raises(Conflict):
            accept(token, username="late", password=GOOD)


def test_a_new_invitation_withdraws_the_old(county, neighbour, community_staff) -> None:
    _first, old = invite(community_staff, neighbour, Role.LEADER)
    _second, new = invite(community_staff, neighbour, Role.LEADER)
    assert open_invitation(old) is None and open_invitation(new) is not None


def test_who_may_offer_what_to_whom(county, neighbour, community_staff, county_officer) -> None:
    with pytest.raises(NotAllowed):  # staff do not make department accounts
        invite(community_staff, neighbour, Role.DEPARTMENT)
    other = build_county("NF", "南丰县")
    stranger = make_household(other.unit_a1_1, "101").members.get()
    with pytest.raises(NotAllowed):
        invite(community_staff, stranger, Role.LEADER)
    with pytest.raises(Invalid):  # community staff work for a committee
        invite(county_officer, neighbour, Role.COMMUNITY_STAFF)
    committee = community_staff.organisation
    invitation, _token = invite(county_officer, neighbour, Role.COMMUNITY_STAFF, committee)
    assert invitation.organisation == committee
    elsewhere = Organisation.objects.create(
        kind=Organisation.Kind.COMMITTEE, name="南丰社区", place=other.community
    )
    with pytest.raises(NotAllowed):
        invite(county_officer, neighbour, Role.COMMUNITY_STAFF, elsewhere)
    leader = make_staff("dept", Role.DEPARTMENT, county.county, "department")
    with pytest.raises(NotAllowed):
        invite(leader, neighbour, Role.LEADER)


def test_a_post_holder_without_a_household_can_be_invited(county, community_staff) -> None:
    holder = Person.objects.create(name="刘建华", phone="13600002222")
    assert holder not in people_to_invite(community_staff)
    appoint(open_post(county.building_a1, PostKind.BUILDING_LEADER), holder)
    assert holder in people_to_invite(community_staff)


def test_weak_passwords_and_taken_names_are_refused_and_the_link_stays(
    county, neighbour, community_staff
) -> None:
    _invitation, token = invite(community_staff, neighbour, Role.LEADER)
    client = Client()
    page = client.get(f"/signup/invite/{token}/")
    assert page.status_code == 200 and "陈红" in page.content.decode()
    weak = client.post(
        f"/signup/invite/{token}/",
        {"username": "chenhong", "password1": "12345678", "password2": "12345678"},
    )
    assert weak.status_code == 200 and "errorlist" in weak.content.decode()
    differ = client.post(
        f"/signup/invite/{token}/",
        {"username": "chenhong", "password1": GOOD, "password2": GOOD + "x"},
    )
    assert "两次" in differ.content.decode()
    User.objects.create_user(username="taken", password=GOOD)
    taken = client.post(
        f"/signup/invite/{token}/", {"username": "Taken", "password1": GOOD, "password2": GOOD}
    )
    assert taken.status_code == 200 and "该用户名已被使用" in taken.content.decode()
    assert open_invitation(token) is not None
    done = client.post(
        f"/signup/invite/{token}/", {"username": "chenhong", "password1": GOOD, "password2": GOOD}
    )
    assert done.status_code == 302
    assert client.get("/console/").status_code == 200
    again = Client().get(f"/signup/invite/{token}/")
    assert again.status_code == 410


def test_the_staff_page_finds_invites_and_shows_the_link_once(
    county, neighbour, community_staff
) -> None:
    client = Client()
    client.force_login(community_staff)
    found = client.get("/signup/invitations/?q=陈").content.decode()
    assert "陈红" in found and "138****5678" in found
    response = client.post(
        "/signup/invitations/?q=陈", {"person": neighbour.pk, "role": Role.LEADER}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    link = re.search(r"http://testserver/signup/invite/[\w-]+/", page)
    assert link is not None
    assert link.group(0) not in client.get("/signup/invitations/").content.decode()
    assert Invitation.objects.get().created_by == community_staff
    resident = Client()
    resident.force_login(User.objects.create_user(username="r", role=Role.RESIDENT))
    assert resident.get("/signup/invitations/").status_code == 404
    invitation = Invitation.objects.get()
    withdrawn = client.post(f"/signup/invitations/{invitation.pk}/withdraw/")
    assert withdrawn.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and invitation.revoked_at <= timezone.now()


def test_withdrawing_is_once_and_only_within_the_area(
    county, neighbour, community_staff, county_officer
) -> None:
    invitation, token = invite(community_staff, neighbour, Role.LEADER)
    other = build_county("NF", "南丰县")
    far_staff = make_staff("nf-staff", Role.COMMUNITY_STAFF, other.community, "committee")
    far = Client()
    far.force_login(far_staff)
    assert far.post(f"/signup/invitations/{invitation.pk}/withdraw/").status_code == 404
    assert open_invitation(token) is not None
    withdraw(community_staff, invitation)
    with pytest.raises(Conflict):
        withdraw(community_staff, invitation)


def test_staff_do_not_see_the_offices_own_invitations(
    county, neighbour, community_staff, county_officer
) -> None:
    department = Organisation.objects.create(
        kind=Organisation.Kind.DEPARTMENT, name="县住建局", place=county.county
    )
    invite(county_officer, neighbour, Role.DEPARTMENT, department)
    assert invitations_for(county_officer).count() == 1
    assert not invitations_for(community_staff).exists()


def test_an_account_made_meanwhile_spends_the_link(county, neighbour, community_staff) -> None:
    _invitation, token = invite(community_staff, neighbour, Role.LEADER)
    User.objects.create_user(username="m-phone", role=Role.RESIDENT, person=neighbour)
    with pytest.raises(Conflict):
        accept(token, username="chenhong", password=GOOD)
    assert open_invitation(token) is None
    assert not User.objects.filter(username="chenhong").exists()
