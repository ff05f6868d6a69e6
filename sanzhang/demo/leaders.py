"""The demo county's posts and their holders (三长), party members and organisations.

Urban: every unit, building and grid has its leader, a party member living there (2,555 at
scale 1, as in the seed). Rural: 11 district leaders, 129 area leaders, and 1,657 grid leaders
and deputies for 2,221 grids: 1,450 leaders (some hold two neighbouring grids) and 207
deputies, leaving about 3% of rural grids without a leader, for the coverage page to show.
A few reserve holders (双三长) and earlier holders (轮岗) give posts a history.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from functools import cache

from sanzhang.people.models import PartyMember, Person
from sanzhang.places.models import Place
from sanzhang.posts.duties import default_duties
from sanzhang.posts.models import Post, Tenure

from . import names

DEPARTMENTS = [
    "县住建局",
    "县城管局",
    "县民政局",
    "县人社局",
    "县卫健委",
    "县教体局",
    "县公安局",
    "县水利局",
    "县交通运输局",
    "县自然资源局",
    "县市场监管局",
    "县供电公司",
]
WORK_UNITS = [
    *DEPARTMENTS,
    "县委组织部",
    "县财政局",
    "县税务局",
    "县人民医院",
    "县第一中学",
    "县农业农村局",
]
RURAL_LEADERS, RURAL_DEPUTIES, RURAL_COVERED = 1450, 207, 0.97
RESERVE_SHARE, ROTATED_SHARE = 0.05, 0.04


@cache
def _duties(kind: str) -> str:
    return default_duties(kind)


class Holders:
    """Picks holders among the residents of a place, each person at most once."""

    def __init__(self, residents: list[Person], rng: random.Random) -> None:
        self.rng = rng
        self.used: set[int] = set()
        self.by_place: dict[int, list[Person]] = defaultdict(list)
        for person in residents:
            if person.household and person.birth_year and person.birth_year <= 2000:
                self.by_place[person.household.place_id].append(person)
        self.new_people: list[Person] = []
        self.taken = {p.id_number for p in residents if p.id_number}

    def pick(self, place_ids: list[int]) -> Person:
        pool = [p for pid in place_ids for p in self.by_place.get(pid, ())]
        for _ in range(8):
            if pool and (person := self.rng.choice(pool)).pk not in self.used:
                self.used.add(person.pk)
                return person
        return self.outsider()

    def outsider(self) -> Person:
        """Someone who lives elsewhere (a township cadre, a village-group head)."""
        born = names.birth_date(self.rng, 1965, 1995)
        male = self.rng.random() < 0.6
        person = Person(
            name=names.person_name(self.rng),
            gender="M" if male else "F",
            birth_year=born.year,
            phone=names.phone(self.rng),
            id_number=names.id_number(self.rng, born, male, self.taken),
        )
        person.fill_hashes()
        self.new_people.append(person)
        return person


def _start(rng: random.Random, first: datetime.date, days: int) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange(days))


class Appointments:
    """Posts and tenures gathered in memory, saved in bulk."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.posts: list[Post] = []
        self.tenures: list[tuple[Post, Person, str, datetime.date, datetime.date | None]] = []
        self.members: dict[int, tuple[Person, Place]] = {}

    def add(
        self,
        place: Place,
        kind: str,
        holder: Person,
        start: datetime.date,
        home: Place,
        seat: int = 1,
    ) -> Post:
        post = Post(place=place, kind=kind, seat=seat, duties=_duties(kind))
        self.posts.append(post)
        self.tenures.append((post, holder, Tenure.Role.HOLDER, start, None))
        self.members[id(holder)] = (holder, home)
        return post

    def history(self, post: Post, holders: Holders, start: datetime.date) -> None:
        earlier = holders.outsider()
        began = start - datetime.timedelta(days=400 + self.rng.randrange(300))
        self.tenures.append((post, earlier, Tenure.Role.HOLDER, began, start))

    def save(self, holders: Holders) -> None:
        Person.objects.bulk_create(holders.new_people, batch_size=2000)
        Post.objects.bulk_create(self.posts, batch_size=2000)
        Tenure.objects.bulk_create(
            [
                Tenure(
                    post=post,
                    person=person,
                    role=role,
                    started_on=start,
                    ended_on=end,
                    end_reason="轮岗" if end else "",
                )
                for post, person, role, start, end in self.tenures
            ],
            batch_size=2000,
        )
        PartyMember.objects.bulk_create(
            [
                PartyMember(
                    person=person,
                    community=home,
                    work_unit=self.rng.choice(WORK_UNITS),
                    registered_on=_start(self.rng, datetime.date(2022, 9, 1), 200),
                )
                for person, home in self.members.values()
            ],
            batch_size=2000,
        )
