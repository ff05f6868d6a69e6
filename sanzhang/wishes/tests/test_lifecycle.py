"""A wish from posting to the resident's confirmation, and the side paths."""

from __future__ import annotations

import pytest

from sanzhang.audit.models import AuditEvent
from sanzhang.core.errors import Conflict, Invalid
from sanzhang.wishes import access, services
from sanzhang.wishes.models import Status, WishEvent
from sanzhang.wishes.tests.conftest import approved, make_member, post

pytestmark = pytest.mark.django_db


def test_a_wish_goes_from_posted_to_confirmed(resident, community_staff, member) -> None:
    wish = post(resident)
    assert wish.status == Status.SUBMITTED
    services.approve(wish, community_staff)
    assert wish.status == Status.APPROVED and wish.claim_by is not None
    services.claim(wish, member)
    assert (wish.status, wish.claimer_id) == (Status.CLAIMED, member.person_id)
    assert wish.fulfil_by is not None
    services.fulfil(wish, member, note="上门换好了水龙头")
    assert wish.status == Status.FULFILLED and wish.fulfil_note == "上门换好了水龙头"
    services.confirm(wish, resident, note="谢谢！")
    assert wish.status == Status.CONFIRMED and wish.version == 5
    kinds = list(wish.events.values_list("kind", "from_status", "to_status"))
    assert kinds == [
        ("posted", "", "submitted"),
        ("approved", "submitted", "approved"),
        ("claimed", "approved", "claimed"),
        ("fulfilled", "claimed", "fulfilled"),
        ("confirmed", "fulfilled", "confirmed"),
    ]
    assert AuditEvent.objects.filter(action__startswith="wish.").count() == 4


def test_a_rejected_wish_says_why_and_goes_no_further(resident, community_staff, member) -> None:
    wish = post(resident)
    with pytest.raises(Invalid, match="说明"):
        services.reject(wish, community_staff, reason=" ")
    services.reject(wish, community_staff, reason="这属于问题反映，请走事件上报")
    assert wish.status == Status.REJECTED and wish.reason.startswith("这属于")
    with pytest.raises(Conflict, match="没有开放认领"):
        services.claim(wish, member)


def test_a_claimer_can_give_the_wish_back_and_another_takes_it(
    resident, community_staff, member, other_member
) -> None:
    wish = approved(resident, community_staff)
    services.claim(wish, member)
    services.release(wish, member, reason="临时出差")
    assert wish.status == Status.APPROVED and wish.claimer_id is None
    services.claim(wish, other_member)
    assert wish.claimer_id == other_member.person_id
    assert wish.events.filter(kind=WishEvent.Kind.RELEASED, note="临时出差").exists()


def test_a_second_claim_is_told_someone_claimed_it(
    resident, community_staff, member, other_member
) -> None:
    wish = approved(resident, community_staff)
    stale = type(wish).objects.get(pk=wish.pk)
    services.claim(wish, member)
    with pytest.raises(Conflict, match="刚刚被别人认领"):
        services.claim(stale, other_member)  # loaded before the first claim: the UPDATE misses
    with pytest.raises(Conflict, match="刚刚被别人认领"):
        services.claim(wish, other_member)


def test_open_wishes_of_my_own_community_come_first(county, community_staff, member) -> None:
    from sanzhang.people.models import PartyMember
    from sanzhang.wishes.tests.conftest import make_resident

    town = approved(make_resident(county.unit_a1_1, "towner", "201"), community_staff)
    villager = make_resident(county.rural_grid, "villager", "1")
    village = approved(villager, community_staff_of(county))
    assert PartyMember.objects.get(person=member.person).community == county.community
    assert [w.pk for w in access.open_near(member)] == [town.pk, village.pk]
    rural_member = make_member(county, "member9", county.rural_grid)
    PartyMember.objects.filter(person=rural_member.person).update(community=county.area)
    rural_member.refresh_from_db()
    assert [w.pk for w in access.open_near(rural_member)] == [village.pk, town.pk]
    assert [w.pk for w in access.open_near(member, "GC.D01")] == [village.pk]


def community_staff_of(county):  # type: ignore[no-untyped-def]
    from sanzhang.conftest import make_staff
    from sanzhang.people.models import Role

    return make_staff("village-staff", Role.COMMUNITY_STAFF, county.area, "committee")
