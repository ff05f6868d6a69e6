"""People of the issue loop around the shared small county: a resident of unit 1, the unit,
building and grid leaders above them, the county office, and two departments."""

from __future__ import annotations

import pytest

from sanzhang.conftest import PASSWORD, County, make_household, make_leader, make_staff
from sanzhang.people.models import Organisation, Person, Role, User
from sanzhang.posts.models import PostKind


@pytest.fixture
def resident(county: County) -> User:
    household = make_household(county.unit_a1_1, "301", name="李桂兰")
    person = Person.objects.create(name="李桂兰", household=household, phone="13700001234")
    return User.objects.create_user(
        username="resident", password=PASSWORD, role=Role.RESIDENT, person=person
    )


@pytest.fixture
def building_leader(county: County) -> User:
    return make_leader(county.building_a1, PostKind.BUILDING_LEADER, "building-leader")


@pytest.fixture
def grid_leader(county: County) -> User:
    return make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-leader")


@pytest.fixture
def department(county: County) -> User:
    return make_staff("housing", Role.DEPARTMENT, county.county, Organisation.Kind.DEPARTMENT)


@pytest.fixture
def other_department(county: County) -> User:
    org = Organisation.objects.create(
        name="县城管局", kind=Organisation.Kind.DEPARTMENT, place=county.county
    )
    return User.objects.create_user(
        username="urban", password=PASSWORD, role=Role.DEPARTMENT, organisation=org
    )


@pytest.fixture
def loop(county, resident, unit_leader, building_leader, grid_leader, county_officer, department):  # type: ignore[no-untyped-def]
    """Everyone in the chain of one unit, ready for an issue to walk through."""
    return county


@pytest.fixture
def resident_reporter(resident: User) -> User:
    return resident


@pytest.fixture
def grid_leader_user(grid_leader: User) -> User:
    return grid_leader


def reseed() -> None:
    """Put back the migration's categories, rules and deadlines: a transactional test's flush
    empties every table, seeded data included."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "sanzhang.issues.migrations.0002_categories_rules_deadlines"
    )
    migration.seed(apps, None)
