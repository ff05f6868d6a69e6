"""Who may do what with a wish: refusals come in the user's language."""

from __future__ import annotations

import pytest

from sanzhang.conftest import make_staff
from sanzhang.core.errors import Invalid, NotAllowed
from sanzhang.people.models import Role, User
from sanzhang.wishes import access, services
from sanzhang.wishes.models import Status
from sanzhang.wishes.tests.conftest import approved, make_resident, post

pytestmark = pytest.mark.django_db


def test_a_resident_cannot_approve_a_wish(resident, member) -> None:
    wish = post(resident)
    for user in (resident, member):
        with pytest.raises(NotAllowed, match="社区工作人员"):
            services.approve(wish, user)
    assert access.allowed_actions(resident, wish) == []


def test_staff_of_another_community_cannot_review(county, resident) -> None:
    village_staff = make_staff("village", Role.COMMUNITY_STAFF, county.area, "committee")
    with pytest.raises(NotAllowed):
        services.approve(post(resident), village_staff)


def test_the_county_office_may_review(resident, county_officer) -> None:
    wish = post(resident)
    services.approve(wish, county_officer)
    assert wish.status == Status.APPROVED


def test_a_resident_who_is_not_a_party_member_cannot_claim(
    resident, community_staff, non_member, county_officer
) -> None:
    wish = approved(resident, community_staff)
    for user in (non_member, community_staff, county_officer):
        with pytest.raises(NotAllowed, match="党员"):
            services.claim(wish, user)
    assert access.allowed_actions(non_member, wish) == []


def test_a_post_holder_may_claim(resident, community_staff, outsider) -> None:
    wish = approved(resident, community_staff)
    services.claim(wish, outsider)
    assert wish.claimer_id == outsider.person_id


def test_nobody_claims_their_own_households_wish(county, resident, community_staff) -> None:
    from sanzhang.people.models import PartyMember, Person

    relative = Person.objects.create(name="家属", household=resident.person.household)
    PartyMember.objects.create(
        person=relative, community=county.community, registered_on="2025-01-01"
    )
    relative_user = User.objects.create_user("relative", role=Role.RESIDENT, person=relative)
    with pytest.raises(NotAllowed, match="自己家"):
        services.claim(approved(resident, community_staff), relative_user)


def test_only_the_claimer_fulfils_or_gives_back(
    resident, community_staff, member, other_member
) -> None:
    wish = approved(resident, community_staff)
    services.claim(wish, member)
    with pytest.raises(NotAllowed, match="认领"):
        services.fulfil(wish, other_member, note="我做了")
    with pytest.raises(NotAllowed):
        services.release(wish, other_member)
    with pytest.raises(Invalid, match="说明"):
        services.fulfil(wish, member, note="")
    assert access.allowed_actions(other_member, wish) == []
    assert access.allowed_actions(member, wish) == ["fulfil", "release"]


def test_only_the_resident_confirms(resident, community_staff, member, non_member) -> None:
    wish = approved(resident, community_staff)
    services.claim(wish, member)
    services.fulfil(wish, member, note="送去了米和油")
    for user in (member, non_member, community_staff):
        with pytest.raises(NotAllowed, match="居民"):
            services.confirm(wish, user)
    services.confirm(wish, resident)


def test_residents_post_for_their_own_household_only(county, resident, non_member) -> None:
    with pytest.raises(NotAllowed, match="自己家"):
        services.post_wish(resident, household=non_member.person.household, text="想要一副老花镜")


def test_a_leader_posts_for_a_household_in_their_area_only(county, unit_leader, resident) -> None:
    posted = services.post_wish(unit_leader, household=resident.person.household, text="想学用手机")
    assert posted.wish.posted_by == unit_leader and posted.wish.place == county.unit_a1_1
    elsewhere = make_resident(county.unit_b1_1, "far", "909").person.household
    with pytest.raises(NotAllowed, match="不在您"):
        services.post_wish(unit_leader, household=elsewhere, text="想学用手机")


def test_a_wish_is_hidden_from_claimers_until_checked(resident, member, community_staff) -> None:
    wish = post(resident)
    assert not access.wishes_visible_to(member).filter(pk=wish.pk).exists()
    services.approve(wish, community_staff)
    assert access.wishes_visible_to(member).filter(pk=wish.pk).exists()
    assert not access.may_see_household(member, wish)
    services.claim(wish, member)
    assert access.may_see_household(member, wish)
