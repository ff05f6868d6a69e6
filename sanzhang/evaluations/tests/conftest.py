"""A small county with holders over a resident's home, and an open evaluation of it."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from sanzhang.conftest import County, make_household, make_leader, make_staff
from sanzhang.evaluations import services
from sanzhang.evaluations.models import Period
from sanzhang.people.models import Person, Role, User
from sanzhang.places.models import Place
from sanzhang.posts.models import PostKind

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
# A day inside the fourth quarter of 2026, when the evaluation takes answers.
DURING = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)
Q4 = (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))


def make_resident(place: Place, username: str, door: str, name: str = "") -> User:
    household = make_household(place, door, name=name or f"{username}居民")
    person: Person = household.members.get()
    return User.objects.create_user(username=username, role=Role.RESIDENT, person=person)


@pytest.fixture
def during():  # type: ignore[no-untyped-def]
    with time_machine.travel(DURING, tick=False):
        yield DURING


@pytest.fixture
def resident(county: County) -> User:
    """Lives in unit 1 of building 1, grid A."""
    return make_resident(county.unit_a1_1, "resident", "301", "王秀英")


@pytest.fixture
def grid_leader(county: County) -> User:
    return make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-leader", name="李网格")


@pytest.fixture
def building_leader(county: County) -> User:
    return make_leader(
        county.building_a1, PostKind.BUILDING_LEADER, "building-leader", name="赵楼栋"
    )


@pytest.fixture
def grid_b_leader(county: County) -> User:
    return make_leader(county.grid_b, PostKind.GRID_LEADER, "grid-b-leader", name="孙二格")


@pytest.fixture
def office(county: County) -> User:
    return make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")


@pytest.fixture
def period(office: User, during: datetime.datetime) -> Period:
    return services.open_period(office, title="2026年第四季度", starts_on=Q4[0], ends_on=Q4[1])
