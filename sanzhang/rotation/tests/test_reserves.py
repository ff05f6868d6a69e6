"""双三长: a reserve holder reads what the holder reads, acts where the county lets reserves of
that post act, and follows the holder who stands down."""

from __future__ import annotations

import datetime

import pytest

from sanzhang.access.scope import held_places, in_scope
from sanzhang.conftest import County, make_household, make_leader
from sanzhang.issues.access import is_owner, issues_visible_to
from sanzhang.issues.intake import submit
from sanzhang.notifications.recipients import owner_users
from sanzhang.people.models import Person, Role, User
from sanzhang.posts.board import board_for
from sanzhang.posts.fitness import appointment_concerns
from sanzhang.posts.models import Post, PostKind, PostRule, Tenure
from sanzhang.posts.services import appoint, stand_down

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 1, 1)


def _reserve(county: County, username: str = "reserve") -> User:
    post = Post.objects.get(place=county.unit_a1_1, kind=PostKind.UNIT_LEADER)
    person = Person.objects.create(name="赵小红", phone="13900002222")
    appoint(post, person, role=Tenure.Role.RESERVE, start=START)
    return User.objects.create_user(username=username, role=Role.LEADER, person=person)


def test_a_reserve_reads_the_holders_area_and_acts_only_where_the_county_lets_them(
    county: County, unit_leader: User, county_officer: User
) -> None:
    reserve = _reserve(county)
    issue = submit(
        unit_leader, place=county.unit_a1_1, text="楼道里堆放杂物，垃圾没人清扫", channel="patrol"
    ).issue
    assert issue.owner_place_id == county.unit_a1_1.pk

    assert in_scope(reserve, county.unit_a1_1.code)
    assert not in_scope(reserve, county.unit_a1_2.code)
    assert issues_visible_to(reserve).filter(pk=issue.pk).exists()
    assert held_places(reserve) == {}
    assert not is_owner(reserve, issue)

    PostRule.objects.create(county=county.county, kind=PostKind.UNIT_LEADER, reserves_act=True)
    reserve = User.objects.get(pk=reserve.pk)  # a new request: the standing is read again
    assert held_places(reserve) == {county.unit_a1_1.pk: county.unit_a1_1.code}
    assert is_owner(reserve, issue)


def test_another_countys_rule_lets_no_reserve_act(county: County, unit_leader: User) -> None:
    from sanzhang.conftest import build_county

    other = build_county("NF", "南丰县")
    PostRule.objects.create(county=other.county, kind=PostKind.UNIT_LEADER, reserves_act=True)
    reserve = _reserve(county)
    assert held_places(reserve) == {}


def test_the_reserve_takes_over_when_the_holder_stands_down_once(
    county: County, unit_leader: User
) -> None:
    reserve = _reserve(county)
    holding = Tenure.objects.current().get(person=unit_leader.person, role=Tenure.Role.HOLDER)
    day = datetime.date(2026, 3, 2)

    successor = stand_down(holding, reason="搬离本单元", end=day, reserve_takes_over=True)
    assert successor is not None
    assert successor.person_id == reserve.person_id
    assert successor.role == Tenure.Role.HOLDER and successor.started_on == day
    post = holding.post
    assert not Tenure.objects.current().filter(post=post, role=Tenure.Role.RESERVE).exists()
    assert Tenure.objects.get(pk=holding.pk).ended_on == day

    # Sent again (a double click): nothing more happens.
    assert stand_down(holding, reason="搬离本单元", end=day, reserve_takes_over=True) is None
    assert Tenure.objects.filter(post=post).count() == 3  # holder, reserve (ended), new holder
    assert in_scope(User.objects.get(pk=reserve.pk), county.unit_a1_1.code)


def test_standing_down_without_the_box_leaves_the_reserve_beside_an_empty_post(
    county: County, unit_leader: User
) -> None:
    _reserve(county)
    holding = Tenure.objects.current().get(person=unit_leader.person, role=Tenure.Role.HOLDER)
    assert stand_down(holding, reason="调离", reserve_takes_over=False) is None
    post = holding.post
    assert not Tenure.objects.current().filter(post=post, role=Tenure.Role.HOLDER).exists()
    assert Tenure.objects.current().filter(post=post, role=Tenure.Role.RESERVE).exists()


def test_a_reserve_need_not_be_a_party_member(county: County) -> None:
    person = Person.objects.create(name="钱大伯", phone="13900003333")
    seen = appointment_concerns(person, "钱大伯", county.unit_a1_1, sees=lambda code: True)
    reserve = appointment_concerns(
        person, "钱大伯", county.unit_a1_1, sees=lambda code: True, reserve=True
    )
    assert any("党员" in c or "party member" in c for c in seen)
    assert not any("党员" in c or "party member" in c for c in reserve)


def test_the_post_page_offers_the_takeover_and_carries_it_out(
    county: County, unit_leader: User, community_staff: User, client
) -> None:
    reserve = _reserve(county)
    holding = Tenure.objects.current().get(person=unit_leader.person, role=Tenure.Role.HOLDER)
    client.force_login(community_staff)
    page = client.get(f"/posts/{holding.post_id}/")
    assert "reserve_takes_over" in page.content.decode()
    answer = client.post(
        f"/posts/tenure/{holding.pk}/stand-down/",
        {"reason": "调离", "reserve_takes_over": "on"},
        follow=True,
    )
    assert "赵小红" in answer.content.decode()
    holder = Tenure.objects.current().get(post=holding.post, role=Tenure.Role.HOLDER)
    assert holder.person_id == reserve.person_id


def test_make_leader_still_makes_holders(county: County) -> None:
    leader = make_leader(county.grid_a, PostKind.GRID_LEADER, "gl")
    assert held_places(leader) == {county.grid_a.pk: county.grid_a.code}


def test_a_reserve_acts_only_where_the_county_lets_them(
    county: County, unit_leader: User, county_officer: User
) -> None:
    from sanzhang.access.scope import acts_in
    from sanzhang.core.errors import NotAllowed
    from sanzhang.visits.services import record_visit

    reserve = _reserve(county)
    household = make_household(county.unit_a1_1, "301")
    assert in_scope(reserve, county.unit_a1_1.code)
    assert not acts_in(reserve, county.unit_a1_1.code)
    with pytest.raises(NotAllowed):
        record_visit(
            reserve, client_key="k1", household=household, kind="door_knocking", heard="一切都好"
        )
    with pytest.raises(NotAllowed):
        submit(reserve, place=county.unit_a1_1, text="楼道里堆放杂物", channel="patrol")
    assert acts_in(unit_leader, county.unit_a1_1.code)  # the holder, of course

    PostRule.objects.create(county=county.county, kind=PostKind.UNIT_LEADER, reserves_act=True)
    reserve = User.objects.get(pk=reserve.pk)
    assert acts_in(reserve, county.unit_a1_1.code)
    issue = submit(
        unit_leader, place=county.unit_a1_1, text="楼道里堆放杂物，垃圾没人清扫", channel="patrol"
    ).issue
    assert reserve.pk in owner_users(issue)


def test_the_board_shows_a_reserves_number_masked(county: County, unit_leader: User) -> None:
    _reserve(county)
    board = board_for(county.unit_a1_1)
    reserves = [e for e in board["leaders"] if e.reserve]  # type: ignore[attr-defined]
    assert [e.phone for e in reserves] == ["139****2222"]
    holders = [e for e in board["leaders"] if not e.reserve]  # type: ignore[attr-defined]
    assert holders and holders[0].phone == "13900001111"
    above = board_for(county.building_a1)
    assert not any(e.reserve for e in above["below"])  # type: ignore[attr-defined]
