"""Households and residents of the demo county: 38,000 households at scale 1.

Urban grids hold 300-500 households each (the seed's figure), spread over their units; the rest
of the county's households live in the rural grids.
"""

from __future__ import annotations

import random
from collections import defaultdict

from sanzhang.people.models import Household, Person
from sanzhang.places.models import Place

from . import names
from .places import DemoTree, up

HOUSEHOLDS = 38_000
MEMBERS = (1, 2, 3, 4)
MEMBER_WEIGHTS = (15, 35, 30, 20)


def _urban_households(tree: DemoTree, rng: random.Random) -> list[Household]:
    units_by_grid: dict[int, list[Place]] = defaultdict(list)
    for unit in tree.units:
        units_by_grid[up(up(unit)).pk].append(unit)
    households = []
    for grid in tree.urban_grids:
        units = units_by_grid[grid.pk] or []
        for i in range(rng.randint(300, 500) if units else 0):
            unit = units[i % len(units)]
            floor, room = divmod(i // len(units), 4)
            door = f"{floor + 1}{room + 1:02d}"
            address = f"{up(grid).name}{grid.name}{up(unit).name}{unit.name}{door}室"
            households.append(Household(place=unit, door=door, address=address))
    return households


def _rural_households(tree: DemoTree, count: int, rng: random.Random) -> list[Household]:
    numbers: dict[int, int] = defaultdict(int)
    households = []
    for _ in range(count):
        grid = rng.choice(tree.rural_grids)
        numbers[grid.pk] += 1
        door = f"{numbers[grid.pk]}号"
        area = up(grid)
        address = f"{up(area).name}{area.name}{grid.name}{door}"
        households.append(Household(place=grid, door=door, address=address))
    return households


def _members(household: Household, rng: random.Random, taken: set[str]) -> list[Person]:
    people = []
    for i in range(rng.choices(MEMBERS, MEMBER_WEIGHTS)[0]):
        male = rng.random() < 0.5
        born = names.birth_date(rng, 1935, 2002 if i == 0 else 2020)
        person = Person(
            name=names.person_name(rng),
            gender="M" if male else "F",
            birth_year=born.year,
            phone=names.phone(rng) if born.year <= 2010 else None,
            id_number=names.id_number(rng, born, male, taken),
            household=household,
        )
        person.fill_hashes()
        people.append(person)
    return people


def build_households(tree: DemoTree, scale: float, rng: random.Random) -> list[Person]:
    """Create households and residents; returns the residents (with their household set)."""
    urban = _urban_households(tree, rng)
    rural_count = max(len(tree.rural_grids), round(HOUSEHOLDS * scale) - len(urban))
    households = Household.objects.bulk_create(
        urban + _rural_households(tree, rural_count, rng), batch_size=2000
    )
    taken: set[str] = set()
    people = [person for h in households for person in _members(h, rng, taken)]
    return Person.objects.bulk_create(people, batch_size=2000)
