"""The allowance's points are the points app's figure for the month: the sum of each holder's
entries from local midnight to local midnight, however near a midnight they were written."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal

import pytest

from sanzhang.conftest import County, make_leader
from sanzhang.funds.allowances import allowances, set_rule
from sanzhang.funds.models import Fund
from sanzhang.people.models import Person, User
from sanzhang.points.models import PointEntry
from sanzhang.points.tests.test_daily import correction, midnight_ish
from sanzhang.points.tests.test_ledger import SHANGHAI, at
from sanzhang.posts.models import PostKind

pytestmark = pytest.mark.django_db


def monthly_from_entries() -> dict[tuple[int, int], dict[int, int]]:
    """(year, month) → person → the sum of their entries, months read in Shanghai, in Python."""
    months: dict[tuple[int, int], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for person_id, moment, points in PointEntry.objects.values_list("person_id", "at", "points"):
        local = moment.astimezone(SHANGHAI)
        months[(local.year, local.month)][person_id] += points
    return months


def holder(user: User) -> Person:
    assert user.person is not None
    return user.person


def test_the_allowance_points_are_the_sums_of_the_entries_in_the_local_month(
    county: County, county_officer: User
) -> None:
    leaders = [
        holder(make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-leader", name="张网格")),
        holder(make_leader(county.grid_b, PostKind.GRID_LEADER, "grid-leader-b", name="李网格")),
    ]
    bystander = Person.objects.create(name="王群众", phone="13900002222")  # holds no post
    people = [*leaders, bystander]
    rng = random.Random(2026)
    entries = [
        correction(people[0], 7, at("2025-03-31 23:59:59")),
        correction(people[0], 5, at("2025-04-01 00:00")),
        correction(people[1], -2, at("2025-01-01 00:00:01")),
        correction(people[1], 3, at("2024-12-31 23:59:59")),
    ]
    for _ in range(300):
        entries.append(correction(rng.choice(people), rng.randint(-5, 12), midnight_ish(rng)))
    PointEntry.objects.bulk_create(entries[:200])
    for entry in entries[200:]:
        entry.save()
    rule = set_rule(
        county_officer,
        county.county,
        yuan_per_point=Decimal("1"),
        monthly_cap=Decimal("100000"),
        fund=Fund.GRID_BRANCH,
    )
    expected = monthly_from_entries()
    for year, number in [(2024, 12), *((2025, m) for m in range(1, 13)), (2026, 1)]:
        month = datetime.date(year, number, 1)
        figures = {a.person_id: a.points for a in allowances(county_officer, rule, month)}
        sums = expected.get((year, number), {})
        assert figures == {p.pk: sums.get(p.pk, 0) for p in leaders}, month
