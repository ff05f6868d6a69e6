"""Party members of the shared small county, and rules to award under."""

from __future__ import annotations

import datetime

import pytest

from sanzhang.conftest import PASSWORD, County, make_household
from sanzhang.issues.tests.conftest import (  # noqa: F401 (fixtures)
    building_leader,
    department,
    grid_leader,
    loop,
    resident,
)
from sanzhang.people.models import PartyMember, Person, Role, User
from sanzhang.places.models import Place
from sanzhang.points.models import Cause, PointRule

V1_FROM = datetime.date(2025, 1, 1)


def make_member(place: Place, community: Place, name: str, door: str = "501") -> Person:
    household = make_household(place, door, name=f"{name}家属")
    person = Person.objects.create(name=name, household=household, phone="13911112222")
    PartyMember.objects.create(
        person=person, community=community, registered_on=datetime.date(2024, 3, 1)
    )
    return person


def member_user(person: Person, username: str) -> User:
    return User.objects.create_user(
        username=username, password=PASSWORD, role=Role.RESIDENT, person=person
    )


def make_rule(cause: str, points: int, cap: int | None = None, period: str = "") -> PointRule:
    return PointRule.objects.create(
        cause=cause, points=points, cap=cap, cap_period=period, valid_from=V1_FROM
    )


@pytest.fixture
def rules(db: None) -> dict[str, PointRule]:
    return {
        Cause.VISIT: make_rule(Cause.VISIT, 1, cap=3, period="day"),
        Cause.GOOD_RATING: make_rule(Cause.GOOD_RATING, 2),
        Cause.ISSUE_SOLVED_ON_TIME: make_rule(Cause.ISSUE_SOLVED_ON_TIME, 3),
        Cause.TRAINING_ATTENDED: make_rule(Cause.TRAINING_ATTENDED, 5, cap=8, period="month"),
        Cause.TASK_JOINED: make_rule(Cause.TASK_JOINED, 4),
    }


@pytest.fixture
def member_a(county: County) -> Person:
    """A party member living in grid A, registered at the community."""
    return make_member(county.unit_a1_2, county.community, "张建国")


@pytest.fixture
def member_b(county: County) -> Person:
    """A party member living in grid B, registered at the community."""
    return make_member(county.unit_b1_1, county.community, "刘红梅")


@pytest.fixture
def member_rural(county: County) -> Person:
    """A party member of the village, living in its grid."""
    return make_member(county.rural_grid, county.area, "陈志强")
