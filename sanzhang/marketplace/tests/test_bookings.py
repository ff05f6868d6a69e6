from __future__ import annotations

import pytest

from sanzhang.conftest import make_household
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.issues.models import Issue
from sanzhang.marketplace import bookings
from sanzhang.marketplace.models import Booking
from sanzhang.notifications.models import Notification
from sanzhang.people.models import Role, User

from .conftest import apply_shop, jpeg, soon


def test_a_double_submitted_booking_is_one(resident, shop, booking) -> None:
    again = bookings.book(
        resident, shop, token="b1", service="appliance_repair", wanted_at=soon(), problem="冰箱"
    )
    assert again.pk == booking.pk
    assert Booking.objects.count() == 1
    assert booking.photos.count() == 1
    assert Notification.objects.filter(recipient=shop.merchant.user).count() == 1


def test_at_most_three_photos(resident, shop) -> None:
    with pytest.raises(Invalid):
        bookings.book(
            resident,
            shop,
            token="b2",
            service="plumbing",
            wanted_at=soon(),
            problem="漏水",
            photos=[jpeg(f"{n}.jpg") for n in range(4)],
        )
    assert not Booking.objects.exists()


def test_a_service_the_merchant_does_not_offer_is_refused(resident, shop) -> None:
    with pytest.raises(Invalid):
        bookings.book(resident, shop, token="b", service="locksmith", wanted_at=soon(), problem="x")


def test_a_resident_of_another_community_sees_no_listing_here(county, shop) -> None:
    home = make_household(county.rural_grid, "5", name="村民")
    villager = User.objects.create_user(
        username="villager", role=Role.RESIDENT, person=home.members.get()
    )
    assert not bookings.visible_listings(villager).exists()
    with pytest.raises(NotAllowed):
        bookings.book(villager, shop, token="v", service="plumbing", wanted_at=soon(), problem="x")


def test_the_merchant_accepts_completes_and_the_resident_rates_once(
    booking, merchant, resident
) -> None:
    bookings.move(merchant, booking, "accept")
    with pytest.raises(Conflict):
        bookings.rate(resident, booking, stars=5)
    booking = bookings.move(merchant, booking, "done")
    booking = bookings.rate(resident, booking, stars=4, words="修得快")
    assert (booking.state, booking.stars) == (Booking.State.RATED, 4)
    with pytest.raises(Conflict):
        bookings.rate(resident, booking, stars=1)
    assert [e.to_state for e in booking.events.all()] == [
        "requested",
        "accepted",
        "done",
        "rated",
    ]


def test_a_proposed_time_is_agreed_or_cancelled(booking, merchant, resident) -> None:
    later = soon(48)
    bookings.move(merchant, booking, "propose", proposed_at=later)
    booking = bookings.move(resident, booking, "agree")
    assert booking.state == Booking.State.ACCEPTED and booking.wanted_at == later
    booking = bookings.move(resident, booking, "cancel")
    assert booking.state == Booking.State.CANCELLED
    with pytest.raises(Conflict):
        bookings.move(merchant, booking, "done")


def test_a_decline_needs_a_reason(booking, merchant) -> None:
    with pytest.raises(Invalid):
        bookings.move(merchant, booking, "decline")
    booking = bookings.move(merchant, booking, "decline", note="这周排满了")
    assert booking.state == Booking.State.DECLINED


def test_the_sides_may_not_take_each_others_moves(booking, merchant, resident) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        bookings.move(resident, booking, "accept")
    with pytest.raises(PermissionDenied):
        bookings.move(merchant, booking, "cancel")


def test_another_merchant_sees_nothing_of_this_booking(county, staff, booking) -> None:
    from sanzhang.marketplace import listing

    other = listing.list_merchant(staff, apply_shop(county, token="o", phone="13700002222"))
    stranger = other.merchant.user
    assert not bookings.bookings_for(stranger).exists()
    with pytest.raises(NotAllowed):
        bookings.move(stranger, booking, "accept")


def test_a_stale_move_loses_to_the_one_before(booking, merchant, resident) -> None:
    stale = Booking.objects.get(pk=booking.pk)
    bookings.move(resident, booking, "cancel")
    with pytest.raises(Conflict):
        bookings.move(merchant, stale, "accept")


def test_a_complaint_becomes_one_issue_of_the_loop(
    booking, merchant, resident, county_officer
) -> None:
    bookings.move(merchant, booking, "accept")
    issue = bookings.complain(resident, booking, words="师傅迟到两小时还多收钱")
    again = bookings.complain(resident, Booking.objects.get(pk=booking.pk), words="再说一遍")
    assert issue.pk == again.pk
    assert Issue.objects.count() == 1
    assert issue.reporter == resident
    assert issue.household_id == booking.household_id
    assert issue.place_id == booking.household.place_id
    assert "老李家电维修" in issue.text and f"{booking.pk}" in issue.text


def test_nobody_complains_of_anothers_booking(county, booking) -> None:
    home = make_household(county.unit_b1_1, "9", name="邻居")
    neighbour = User.objects.create_user(
        username="neighbour", role=Role.RESIDENT, person=home.members.get()
    )
    with pytest.raises(NotAllowed):
        bookings.complain(neighbour, booking, words="x")
