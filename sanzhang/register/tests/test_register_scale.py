"""The whole demo county's register (38,000 households, about 95,000 residents), exported in the
import layout, imports into an empty register as the same households and residents, in a
bounded number of queries; importing it again changes nothing."""

from __future__ import annotations

import random

from sanzhang.demo.loader import SEED
from sanzhang.demo.places import build_tree
from sanzhang.demo.residents import HOUSEHOLDS, build_households
from sanzhang.people.models import Household, Person
from sanzhang.register.export import register_csv
from sanzhang.register.importing import import_register

Resident = tuple[str, str, str, str, int | None, str]
Snapshot = dict[tuple[str, str, str], list[Resident]]


def snapshot() -> Snapshot:
    """Households by (place, door, address), each with its residents' own values."""
    found: Snapshot = {}
    people = Person.objects.filter(household__isnull=False).select_related("household__place")
    for person in people.iterator(chunk_size=5000):
        household = person.household
        key = (household.place.code, household.door, household.address or "")
        found.setdefault(key, []).append(
            (
                person.name,
                person.id_number or "",
                person.phone or "",
                person.gender,
                person.birth_year,
                person.relation,
            )
        )
    return {key: sorted(members) for key, members in found.items()}


def test_the_demo_countys_register_round_trips_through_its_own_file(
    db, django_assert_max_num_queries
):
    rng = random.Random(SEED)
    build_households(build_tree(1.0, rng), 1.0, rng)
    before = snapshot()
    residents = sum(len(members) for members in before.values())
    data = register_csv()
    Person.objects.all().delete()
    Household.objects.all().delete()

    with django_assert_max_num_queries(400):
        result = import_register("demo-register.csv", data)
    assert result.households_created == HOUSEHOLDS == Household.objects.count()
    assert result.people_created == residents == Person.objects.count()
    assert snapshot() == before

    with django_assert_max_num_queries(200):
        again = import_register("demo-register.csv", data)
    assert (again.households_created, again.households_updated, again.people_updated) == (0, 0, 0)
    assert again.unchanged == residents
