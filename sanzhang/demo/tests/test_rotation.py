"""The demo's 双三长 and 轮岗 on the small county: reserves are residents living under their
post who hold nothing else, the county's terms make the earliest unit leaders' terms end
within the month of loading, and planned rotations hand the post to its reserve."""

from __future__ import annotations

import datetime
import random

import pytest
from django.utils import timezone

from sanzhang.conftest import make_household, make_leader
from sanzhang.demo.rotation import load_rotation
from sanzhang.places.tree import is_under
from sanzhang.posts.models import PostKind, PostRule, Tenure
from sanzhang.rotation.models import RotationPlan
from sanzhang.rotation.terms import ending_among

pytestmark = pytest.mark.django_db


def test_reserves_terms_and_plans(county) -> None:  # type: ignore[no-untyped-def]
    units = [county.unit_a1_1, county.unit_a1_2, county.unit_a2_1, county.unit_b1_1]
    for i, unit in enumerate(units):
        make_leader(unit, PostKind.UNIT_LEADER, f"u{i}", name=f"单元长{i}")
        for door in ("101", "102", "201", "202", "301"):
            make_household(unit, door, name=f"居民{i}{door}")
    make_leader(county.building_a1, PostKind.BUILDING_LEADER, "b1", name="楼栋长")

    load_rotation(random.Random(7))

    reserves = (
        Tenure.objects.current()
        .filter(role=Tenure.Role.RESERVE)
        .select_related("post__place", "person__household__place")
    )
    assert reserves.count() >= 3
    holders = set(
        Tenure.objects.current().filter(role=Tenure.Role.HOLDER).values_list("person_id", flat=True)
    )
    for reserve in reserves:
        assert reserve.person_id not in holders
        assert is_under(reserve.person.household.place.code, reserve.post.place.code)
        assert reserve.started_on <= timezone.localdate()
    rule = PostRule.objects.get(county=county.county, kind=PostKind.UNIT_LEADER)
    assert rule.reserves_act and rule.term_months
    today = timezone.localdate()
    ending = ending_among(Tenure.objects.current().filter(role=Tenure.Role.HOLDER), today)
    assert ending
    assert all(today <= end <= today + datetime.timedelta(days=31) for _, end in ending)
    for plan in RotationPlan.objects.all():
        assert plan.state == RotationPlan.State.PLANNED
        assert (
            Tenure.objects.current()
            .filter(post=plan.post, role=Tenure.Role.RESERVE, person=plan.incoming)
            .exists()
        )
