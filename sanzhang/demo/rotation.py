"""The demo county's 双三长 and 轮岗: a reserve holder chosen from the residents beside most unit,
building and grid leaders; the county's terms for those posts (chosen so that, on the day the
demo is loaded, some unit leaders' terms end within the month, as in a county where rotation
runs all year), unit leaders' reserves allowed to act; and the rotations the community staff
planned already for some of the terms ending, most with the reserve following."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from sanzhang.people.models import Person
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import lineage
from sanzhang.posts.models import PostKind, PostRule, Tenure
from sanzhang.rotation.models import RotationPlan
from sanzhang.rotation.terms import add_months, ending_among

from .accounts import demo_residents_homes

RESERVED_KINDS = [PostKind.UNIT_LEADER, PostKind.BUILDING_LEADER, PostKind.GRID_LEADER]
RESERVE_SHARE = 0.75  # of those posts, the share with a reserve beside the holder
PLANNED_SHARE = 0.4  # of the terms ending within the month, the share planned already


def _term_months(first_start: datetime.date, today: datetime.date) -> int:
    """A term that ends, for the earliest holders, about a fortnight after `today`."""
    months = (today.year - first_start.year) * 12 + today.month - first_start.month
    while add_months(first_start, months) < today + datetime.timedelta(days=14):
        months += 1
    return months


def load_rotation(rng: random.Random) -> None:
    county = Place.objects.filter(kind=PlaceKind.COUNTY).order_by("code").first()
    if county is None:
        return
    today = timezone.localdate()
    holders = list(
        Tenure.objects.current()
        .filter(role=Tenure.Role.HOLDER, post__kind__in=RESERVED_KINDS)
        .values_list("post_id", "post__place__code", "post__kind", "started_on")
        .order_by("post_id")
    )
    serving = set(Tenure.objects.current().values_list("person_id", flat=True))
    with_reserve = set(
        Tenure.objects.current().filter(role=Tenure.Role.RESERVE).values_list("post_id", flat=True)
    )
    # Residents (adults, not serving) by every place above their home, to choose from.
    under: dict[str, list[int]] = defaultdict(list)
    residents = Person.objects.filter(household__isnull=False).exclude(
        household__place__code__in=demo_residents_homes()
    )
    for pk, code, born in residents.values_list("pk", "household__place__code", "birth_year"):
        if pk not in serving and born and 1950 <= born <= 2000:
            for ancestor in lineage(code):
                under[ancestor].append(pk)
    chosen: set[int] = set()
    reserves = []
    for post_id, code, _kind, started_on in holders:
        if post_id in with_reserve or rng.random() >= RESERVE_SHARE:
            continue
        pool = under.get(code, [])
        for _ in range(6):
            if pool and (pk := rng.choice(pool)) not in chosen:
                chosen.add(pk)
                start = started_on + datetime.timedelta(days=rng.randrange(30, 400))
                reserves.append(
                    Tenure(
                        post_id=post_id,
                        person_id=pk,
                        role=Tenure.Role.RESERVE,
                        started_on=min(start, today),
                    )
                )
                break
    Tenure.objects.bulk_create(reserves, batch_size=2000)

    unit_starts = [s for _, _, kind, s in holders if kind == PostKind.UNIT_LEADER]
    unit_term = _term_months(min(unit_starts), today) if unit_starts else 36
    PostRule.objects.bulk_create(
        [
            PostRule(
                county=county, kind=PostKind.UNIT_LEADER, term_months=unit_term, reserves_act=True
            ),
            PostRule(county=county, kind=PostKind.BUILDING_LEADER, term_months=unit_term + 12),
            PostRule(county=county, kind=PostKind.GRID_LEADER, term_months=unit_term + 12),
        ]
    )
    _plan_some(rng, today)


def _plan_some(rng: random.Random, today: datetime.date) -> None:
    holders = Tenure.objects.current().filter(role=Tenure.Role.HOLDER)
    ending = [(t, end) for t, end in ending_among(holders, today) if end >= today]
    reserves = dict(
        Tenure.objects.current()
        .filter(role=Tenure.Role.RESERVE, post_id__in=[t.post_id for t, _ in ending])
        .values_list("post_id", "person_id")
    )
    RotationPlan.objects.bulk_create(
        RotationPlan(
            post_id=tenure.post_id,
            outgoing=tenure,
            incoming_id=reserves[tenure.post_id],
            on=ends_on,
            reason="任期届满轮岗",
        )
        for tenure, ends_on in ending
        if tenure.post_id in reserves and rng.random() < PLANNED_SHARE
    )


def remove_rotation() -> None:
    RotationPlan.objects.all().delete()
    PostRule.objects.all().delete()
