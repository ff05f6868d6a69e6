"""The demo's party school on the small county: a course per community and township with a
year of monthly classes, attended by post holders of the place only, once each, and the points
a party member earns for them within the rule's cap, keyed as `award` keys them."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db.models import Count
from django.utils import timezone

from sanzhang.conftest import make_leader
from sanzhang.demo.training import MONTHS, load_training_history
from sanzhang.people.models import PartyMember
from sanzhang.places.tree import is_under
from sanzhang.points.models import Cause, PointEntry, PointRule
from sanzhang.points.services import award
from sanzhang.posts.models import PostKind, Tenure
from sanzhang.training import records
from sanzhang.training.models import Attendance, Course, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def holders(county):  # type: ignore[no-untyped-def]
    """Eight post holders in the community, four in the village; the first of each are party
    members."""
    made = []
    for n, place in enumerate(
        [county.unit_a1_1, county.unit_a1_2, county.unit_a2_1, county.unit_b1_1]
    ):
        made.append(make_leader(place, PostKind.UNIT_LEADER, f"unit{n}"))
    for n, place in enumerate(
        [county.building_a1, county.building_a2, county.grid_a, county.grid_b]
    ):
        kind = PostKind.GRID_LEADER if "G" in place.code[-3:] else PostKind.BUILDING_LEADER
        made.append(make_leader(place, kind, f"upper{n}"))
    made.append(make_leader(county.rural_grid, PostKind.GRID_LEADER, "rural0"))
    made.append(make_leader(county.area, PostKind.AREA_LEADER, "rural1"))
    made.append(make_leader(county.district, PostKind.DISTRICT_LEADER, "rural2"))
    for user in made[::2]:
        PartyMember.objects.create(
            person=user.person, community=county.community, registered_on=datetime.date(2024, 1, 1)
        )
    return made


@pytest.fixture
def loaded(county, holders):  # type: ignore[no-untyped-def]
    PointRule.objects.create(
        cause=Cause.TRAINING_ATTENDED,
        points=2,
        cap=2,
        cap_period="month",
        valid_from=datetime.date(2020, 1, 1),
    )
    load_training_history(random.Random(7))


def test_a_course_per_community_and_township_with_a_year_of_classes(county, loaded) -> None:
    assert set(Course.objects.values_list("place__code", flat=True)) == {
        county.community.code,
        county.district.code,
    }
    per_course = Session.objects.values("course").annotate(n=Count("id"))
    assert {row["n"] for row in per_course} == {MONTHS + 1}
    # Next month's class is scheduled; this month's may be still to come.
    assert 2 <= Session.objects.filter(starts_at__gt=timezone.now()).count() <= 4
    assert len(set(Session.objects.values_list("token", flat=True))) == Session.objects.count()


def test_only_holders_of_the_place_attend_and_only_past_classes(county, loaded) -> None:
    assert Attendance.objects.count() > 10
    held = {
        t.person_id: t.post.place.code
        for t in Tenure.objects.current().select_related("post__place")
    }
    for a in Attendance.objects.select_related("session__course__place"):
        assert is_under(held[a.person_id], a.session.course.place.code)
        assert a.session.starts_at <= timezone.now()
    assert set(Attendance.objects.values_list("how", flat=True)) <= set(Attendance.How.values)


def test_party_members_earn_points_within_the_cap_keyed_as_award_keys_them(loaded) -> None:
    members = set(PartyMember.objects.values_list("person_id", flat=True))
    entries = PointEntry.objects.filter(cause=Cause.TRAINING_ATTENDED)
    assert entries.exists()
    assert set(entries.values_list("person_id", flat=True)) <= members
    per_month: dict[tuple[int, str], int] = {}
    for entry in entries:
        key = (entry.person_id, f"{timezone.localtime(entry.at):%Y-%m}")
        per_month[key] = per_month.get(key, 0) + entry.points
    assert max(per_month.values()) <= 2
    # `award` finds the demo's entry for an attendance and gives nothing twice.
    entry = entries.first()
    assert entry is not None
    attendance = Attendance.objects.get(pk=entry.source_id)
    assert award(attendance.person, Cause.TRAINING_ATTENDED, attendance) == entry
    attended_members = Attendance.objects.filter(person_id__in=members)
    assert entries.count() <= attended_members.count()


def test_the_records_show_who_came_and_who_did_not(county, community_staff, loaded) -> None:
    this_year = timezone.localdate().year
    found = records.holder_records(community_staff, this_year)
    assert len(found) == 8  # the community's holders
    assert (
        sum(r.attended for r in found)
        == Attendance.objects.filter(
            session__course__place=county.community,
            session__starts_at__year=this_year,
        ).count()
    )


def test_without_points_rules_the_classes_are_still_attended(county, holders) -> None:
    load_training_history(random.Random(7))
    assert Attendance.objects.exists()
    assert not PointEntry.objects.exists()
