"""People around one wish: a resident of unit 1 who posts it, the community staff who check
it, two registered party members living in grid B who may claim it, and a resident who is not
a party member."""

from __future__ import annotations

import datetime

import pytest

from sanzhang.conftest import PASSWORD, County, make_household
from sanzhang.people.models import PartyMember, Person, Role, User
from sanzhang.places.models import Place
from sanzhang.wishes import services
from sanzhang.wishes.models import Wish


def make_resident(place: Place, username: str, door: str = "101") -> User:
    household = make_household(place, door, name=f"{username}家人")
    person = Person.objects.create(name=username, household=household, phone="13700001234")
    return User.objects.create_user(
        username=username, password=PASSWORD, role=Role.RESIDENT, person=person
    )


def make_member(county: County, username: str, place: Place | None = None) -> User:
    """A resident account whose person is an in-service party member registered at the
    community (在职党员进社区报到)."""
    user = make_resident(place or county.unit_b1_1, username, door=f"{username[-1]}02")
    PartyMember.objects.create(
        person=user.person, community=county.community, registered_on=datetime.date(2025, 1, 1)
    )
    return user


@pytest.fixture
def resident(county: County) -> User:
    return make_resident(county.unit_a1_1, "resident", "301")


@pytest.fixture
def member(county: County) -> User:
    return make_member(county, "member1")


@pytest.fixture
def other_member(county: County) -> User:
    return make_member(county, "member2")


@pytest.fixture
def non_member(county: County) -> User:
    return make_resident(county.unit_b1_1, "neighbour", "502")


def post(resident: User, text: str = "想请人帮忙修一下家里的水龙头") -> Wish:
    assert resident.person is not None and resident.person.household is not None
    return services.post_wish(
        resident, household=resident.person.household, for_person=resident.person, text=text
    ).wish


def approved(resident: User, staff: User, text: str = "想请人帮忙修一下家里的水龙头") -> Wish:
    wish = post(resident, text)
    services.approve(wish, staff)
    return wish
