"""A resident's home is their household's place, read as it is now (a household moved is read
at its new place at once), and nothing for a person without a household."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanzhang.conftest import County, make_household
from sanzhang.people.homes import home_of
from sanzhang.people.models import Person

pytestmark = pytest.mark.django_db


def test_the_home_is_the_households_place_read_as_it_is_now(county: County) -> None:
    household = make_household(county.unit_a1_1, "301", name="李桂兰")
    person = Person.objects.create(name="李桂兰", household=household)
    with CaptureQueriesContext(connection) as queries:
        home = home_of(person.pk)
    assert home == county.unit_a1_1 and home.code == county.unit_a1_1.code
    assert len(queries) == 1
    household.place = county.unit_b1_1  # moved: the next report goes to the new home
    household.save()
    assert home_of(person.pk) == county.unit_b1_1


def test_no_household_or_no_person_has_no_home(county: County) -> None:
    alone = Person.objects.create(name="王芳")
    assert home_of(alone.pk) is None
    assert home_of(None) is None
    assert home_of(10**9) is None
