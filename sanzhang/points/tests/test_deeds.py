"""Points for the deeds of the other apps, noticed without those apps knowing: a visit by a
party member, a micro-wish its claimer fulfilled and the resident confirmed, a community task
served (once its hours are recorded). Each is given once, however often the deed is saved."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from sanzhang.conftest import make_household
from sanzhang.people.models import PartyMember
from sanzhang.points.models import Cause, PointEntry
from sanzhang.points.services import balance
from sanzhang.points.tests.conftest import make_rule, member_user
from sanzhang.posts.models import Post
from sanzhang.visits.services import record_visit
from sanzhang.volunteers import services as volunteers
from sanzhang.wishes import services as wishes

pytestmark = pytest.mark.django_db


def test_a_party_member_leaders_visit_earns_points_once(county, unit_leader, rules) -> None:
    PartyMember.objects.create(
        person=unit_leader.person, community=county.community, registered_on="2024-01-01"
    )
    home = make_household(county.unit_a1_1, "301")
    for _ in range(2):  # a resend from the phone is the same visit
        record_visit(unit_leader, client_key="k", kind="door_knocking", household=home)
    entries = PointEntry.objects.filter(person=unit_leader.person, cause=Cause.VISIT)
    assert [e.points for e in entries] == [1]


def test_a_fulfilled_wish_and_a_served_task_earn_their_points(
    county, unit_leader, community_staff, member_a, rules
) -> None:
    make_rule(Cause.WISH_FULFILLED, 6)
    claimer = member_user(member_a, "member-a")
    home = make_household(county.unit_a1_1, "302")
    wish = wishes.post_wish(community_staff, household=home, text="想要一副老花镜").wish
    wishes.approve(wish, community_staff)
    wishes.claim(wish, claimer)
    wish.refresh_from_db()
    wishes.fulfil(wish, claimer, note="已送到")
    wish.refresh_from_db()
    assert not PointEntry.objects.filter(cause=Cause.WISH_FULFILLED).exists()  # not confirmed
    wishes.confirm(wish, community_staff)  # the staff member posted it for the household
    volunteers.register(
        community_staff,
        person=member_a,
        kind="courier",
        company="顺丰",
        place=county.community,
        leader_post=Post.objects.get(place=county.unit_a1_1),
    )
    task = volunteers.post_task(
        community_staff,
        place=county.community,
        title="送菜",
        description="",
        slots=2,
        starts_at=timezone.now() + datetime.timedelta(hours=1),
    )
    signup = volunteers.join(claimer, task)
    volunteers.record_hours(community_staff, signup, "2")
    volunteers.record_hours(community_staff, signup, "2.5")  # corrected hours: points once
    causes = sorted(PointEntry.objects.filter(person=member_a).values_list("cause", "points"))
    assert causes == [(Cause.TASK_JOINED, 4), (Cause.WISH_FULFILLED, 6)]
    assert balance(member_a) == 10
