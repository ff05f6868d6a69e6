"""轮岗: terms set by the county, listed and reminded a month ahead, and rotation plans carried
out on their day, once."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import (
    County,
    build_county,
    make_leader,
    make_staff,
    needs_real_concurrency,
    simultaneously,
)
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.notifications.models import Notification
from sanzhang.people.models import Person, Role, User
from sanzhang.posts.models import Post, PostKind, PostRule, Tenure
from sanzhang.posts.services import appoint, stand_down
from sanzhang.rotation.models import RotationPlan
from sanzhang.rotation.plans import cancel_plan, carry_out, carry_out_due, plan_rotation
from sanzhang.rotation.terms import add_months, remind_terms_ending, terms_ending

pytestmark = pytest.mark.django_db

# make_leader appoints from 2025-01-01; a 24-month term ends 2027-01-01.
TERM_END = datetime.date(2027, 1, 1)


@pytest.fixture
def two_year_terms(county: County) -> PostRule:
    return PostRule.objects.create(county=county.county, kind=PostKind.UNIT_LEADER, term_months=24)


def _newcomer(name: str = "孙建国") -> Person:
    return Person.objects.create(name=name, phone="13900004444")


def test_months_are_added_as_a_calendar_does() -> None:
    assert add_months(datetime.date(2025, 1, 31), 1) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2025, 11, 15), 3) == datetime.date(2026, 2, 15)
    assert add_months(datetime.date(2026, 3, 1), -3) == datetime.date(2025, 12, 1)


def test_a_term_ending_within_a_month_is_listed_to_the_staff_of_its_area(
    county: County, unit_leader: User, community_staff: User, outsider: User, two_year_terms
) -> None:
    other = build_county("NF", "南丰县")
    other_staff = make_staff("nf-staff", Role.COMMUNITY_STAFF, other.community, "committee")

    assert terms_ending(community_staff, today=datetime.date(2026, 11, 30)) == []
    ending = terms_ending(community_staff, today=datetime.date(2026, 12, 3))
    assert [(row.tenure.person_id, row.ends_on) for row in ending] == [
        (unit_leader.person_id, TERM_END)
    ]
    assert not ending[0].overdue
    assert terms_ending(community_staff, today=datetime.date(2027, 2, 1))[0].overdue
    assert terms_ending(other_staff, today=datetime.date(2026, 12, 3)) == []
    # Grid leaders (outsider) have no term set: not listed.
    assert all(row.tenure.post.kind == PostKind.UNIT_LEADER for row in ending)


def test_the_staff_are_reminded_once_per_term(
    county: County, unit_leader: User, community_staff: User, county_officer: User, two_year_terms
) -> None:
    day = datetime.date(2026, 12, 10)
    assert remind_terms_ending(day) == 1
    assert remind_terms_ending(day) == 1  # told again: the notice is the same one
    notices = Notification.objects.filter(recipient=community_staff)
    assert notices.count() == 1
    assert "2027-01-01" in notices.get().text
    assert not Notification.objects.filter(recipient=county_officer).exists()
    assert remind_terms_ending(datetime.date(2026, 11, 20)) == 0


def test_a_planned_rotation_is_not_reminded(
    county: County, unit_leader: User, community_staff: User, two_year_terms
) -> None:
    post = Post.objects.get(place=county.unit_a1_1)
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)):
        plan_rotation(community_staff, post, _newcomer(), on=TERM_END, reason="任期届满")
        assert remind_terms_ending(datetime.date(2026, 12, 10)) == 0


def test_a_plan_is_carried_out_on_its_day_once(
    county: County, unit_leader: User, community_staff: User
) -> None:
    post = Post.objects.get(place=county.unit_a1_1)
    newcomer = _newcomer()
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)):
        plan = plan_rotation(community_staff, post, newcomer, on=TERM_END, reason="任期届满")
        again = plan_rotation(community_staff, post, newcomer, on=TERM_END, reason="任期届满")
    assert again.pk == plan.pk and plan.state == RotationPlan.State.PLANNED
    assert carry_out_due(datetime.date(2026, 12, 31)) == 0
    assert carry_out_due(TERM_END) == 1
    assert carry_out_due(TERM_END) == 0
    plan.refresh_from_db()
    assert plan.state == RotationPlan.State.CARRIED_OUT
    holder = Tenure.objects.current().get(post=post, role=Tenure.Role.HOLDER)
    assert holder.person_id == newcomer.pk and holder.started_on == TERM_END
    assert plan.tenure_id == holder.pk
    old = Tenure.objects.get(person=unit_leader.person, post=post)
    assert old.ended_on == TERM_END


@needs_real_concurrency
@pytest.mark.django_db(transaction=True)
def test_two_workers_carry_a_plan_out_once(
    county: County, unit_leader: User, community_staff: User
) -> None:
    post = Post.objects.get(place=county.unit_a1_1)
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)):
        plan = plan_rotation(community_staff, post, _newcomer(), on=TERM_END, reason="任期届满")
    results = simultaneously(
        [
            (community_staff, lambda client: carry_out(plan)),
            (community_staff, lambda c: carry_out(plan)),
        ]
    )
    assert sorted(results) == [False, True]
    assert Tenure.objects.current().filter(post=post, role=Tenure.Role.HOLDER).count() == 1


def test_the_reserve_follows_by_plan_and_leaves_the_reserves_place(
    county: County, unit_leader: User, community_staff: User
) -> None:
    post = Post.objects.get(place=county.unit_a1_1)
    reserve = Person.objects.create(name="赵小红", phone="13900002222")
    appoint(post, reserve, role=Tenure.Role.RESERVE, start=datetime.date(2025, 6, 1))
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)):
        plan_rotation(community_staff, post, reserve, on=TERM_END, reason="任期届满")
    carry_out_due(TERM_END)
    current = Tenure.objects.current().filter(post=post)
    assert list(current.values_list("person_id", "role")) == [(reserve.pk, Tenure.Role.HOLDER)]


def test_plans_are_refused_clearly(
    county: County, unit_leader: User, community_staff: User, outsider: User
) -> None:
    post = Post.objects.get(place=county.unit_a1_1)
    with pytest.raises(NotAllowed):
        plan_rotation(outsider, post, _newcomer(), on=TERM_END, reason="任期届满")
    with pytest.raises(Invalid):
        plan_rotation(community_staff, post, unit_leader.person, on=TERM_END, reason="任期届满")
    with pytest.raises(Invalid):
        plan_rotation(community_staff, post, _newcomer(), on=TERM_END, reason="  ")
    other = build_county("NF", "南丰县")
    far = make_leader(other.unit_a1_1, PostKind.UNIT_LEADER, "nf-unit")
    far_post = Post.objects.get(place=other.unit_a1_1)
    assert far.person is not None
    with pytest.raises(Invalid):
        plan_rotation(community_staff, far_post, _newcomer(), on=TERM_END, reason="任期届满")
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)):
        plan = plan_rotation(community_staff, post, _newcomer(), on=TERM_END, reason="任期届满")
        with pytest.raises(Conflict):
            plan_rotation(community_staff, post, _newcomer("周丽"), on=TERM_END, reason="任期届满")
    assert cancel_plan(community_staff, plan)
    assert not cancel_plan(community_staff, plan)
    assert carry_out_due(TERM_END) == 0


def test_a_plan_for_today_is_carried_out_at_once(
    county: County, unit_leader: User, community_staff: User
) -> None:
    post = Post.objects.get(place=county.unit_a1_1)
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)):
        plan = plan_rotation(
            community_staff, post, _newcomer(), on=datetime.date(2026, 12, 1), reason="调整"
        )
    assert plan.state == RotationPlan.State.CARRIED_OUT


def test_a_plan_is_not_carried_out_when_the_holder_changed_meanwhile(
    county: County, unit_leader: User, community_staff: User
) -> None:
    post = Post.objects.get(place=county.unit_a1_1)
    reserve = Person.objects.create(name="赵小红", phone="13900002222")
    appoint(post, reserve, role=Tenure.Role.RESERVE, start=datetime.date(2025, 6, 1))
    newcomer = _newcomer()
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)):
        plan = plan_rotation(community_staff, post, newcomer, on=TERM_END, reason="任期届满")
    holding = Tenure.objects.current().get(post=post, role=Tenure.Role.HOLDER)
    stand_down(holding, reason="调离", end=datetime.date(2026, 12, 15), reserve_takes_over=True)

    assert carry_out_due(TERM_END) == 0
    plan.refresh_from_db()
    assert plan.state == RotationPlan.State.CANCELLED and plan.outcome
    holder = Tenure.objects.current().get(post=post, role=Tenure.Role.HOLDER)
    assert holder.person_id == reserve.pk  # the reserve who took over still holds it
    assert AuditEvent.objects.filter(action="rotation.failed").count() == 1


def test_a_day_gone_by_is_refused(county: County, unit_leader: User, community_staff: User) -> None:
    post = Post.objects.get(place=county.unit_a1_1)
    with (
        time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)),
        pytest.raises(Invalid),
    ):
        plan_rotation(
            community_staff, post, _newcomer(), on=datetime.date(2025, 3, 1), reason="补录"
        )
    assert Tenure.objects.get(post=post).ended_on is None


def test_a_term_from_the_31st_is_listed_by_its_clamped_end(
    county: County, unit_leader: User, community_staff: User
) -> None:
    PostRule.objects.create(county=county.county, kind=PostKind.UNIT_LEADER, term_months=1)
    Tenure.objects.filter(person=unit_leader.person).update(started_on=datetime.date(2027, 1, 31))
    ending = terms_ending(community_staff, today=datetime.date(2027, 1, 31))
    assert [row.ends_on for row in ending] == [datetime.date(2027, 2, 28)]
