from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.marketplace import bookings, listing
from sanzhang.marketplace.models import Application, Booking, Listing, Merchant
from sanzhang.people.models import Role

from .conftest import SHOP_PHONE, apply_shop, jpeg, soon


def test_an_application_sent_twice_is_one(county) -> None:
    first = apply_shop(county)
    again = apply_shop(county)
    assert first.pk == again.pk
    assert Application.objects.count() == 1
    assert first.phone == SHOP_PHONE
    assert first.licence.name.endswith(".jpg")


def test_an_application_names_communities_of_its_county_only(county) -> None:
    with pytest.raises(Invalid):
        listing.apply(
            token="x",
            business_name="某某",
            contact_name="某",
            phone=SHOP_PHONE,
            services=["locksmith"],
            prices="",
            county=county.county,
            communities=[county.grid_a],
            licence=jpeg(),
        )


def test_listing_makes_one_merchant_account_by_phone_and_a_retry_nothing_twice(
    county, staff
) -> None:
    application = apply_shop(county)
    first = listing.list_merchant(staff, application)
    again = listing.list_merchant(staff, application)
    assert first.merchant.pk == again.merchant.pk
    assert Merchant.objects.count() == 1 and Listing.objects.count() == 1
    assert first.merchant.user.role == Role.MERCHANT
    application.refresh_from_db()
    assert application.state == Application.State.LISTED
    # The same phone applying again (another token) finds the same merchant.
    listing.list_merchant(staff, apply_shop(county, token="t2"))
    assert Merchant.objects.count() == 1


def test_staff_of_another_community_may_neither_list_nor_refuse(county, village_staff) -> None:
    application = apply_shop(county)
    with pytest.raises(NotAllowed):
        listing.list_merchant(village_staff, application)
    with pytest.raises(NotAllowed):
        listing.refuse(village_staff, application, reason="不行")
    assert application not in listing.applications_for(village_staff)


def test_a_refusal_needs_a_reason_and_is_once(county, staff) -> None:
    application = apply_shop(county)
    with pytest.raises(Invalid):
        listing.refuse(staff, application, reason=" ")
    listing.refuse(staff, application, reason="营业执照看不清")
    with pytest.raises(Conflict):
        listing.refuse(staff, application, reason="again")
    with pytest.raises(Conflict):
        listing.list_merchant(staff, Application.objects.get(pk=application.pk))


def test_a_resident_may_not_list(county, resident) -> None:
    with pytest.raises(PermissionDenied):
        listing.list_merchant(resident, apply_shop(county))


def test_a_suspended_listing_is_not_shown_and_takes_no_bookings(shop, staff, resident) -> None:
    assert list(bookings.visible_listings(resident)) == [shop]
    listing.suspend(staff, shop, suspended=True)
    assert not bookings.visible_listings(resident).exists()
    with pytest.raises(NotAllowed):
        bookings.book(
            resident, shop, token="x", service="plumbing", wanted_at=soon(), problem="漏水"
        )
    listing.suspend(staff, shop, suspended=False)
    assert bookings.visible_listings(resident).exists()


def test_low_recent_ratings_put_a_listing_on_the_review_list(
    shop, staff, village_staff, resident, merchant
) -> None:
    for n, stars in enumerate([2, 1, 3]):
        made = bookings.book(
            resident, shop, token=f"r{n}", service="plumbing", wanted_at=soon(), problem="漏水"
        )
        bookings.move(merchant, made, "accept")
        bookings.move(merchant, made, "done")
        bookings.rate(resident, made, stars=stars)
    assert listing.recent_average(shop.merchant) == Decimal("2.0")
    assert listing.to_review(staff) == [(shop, Decimal("2.0"))]
    assert listing.to_review(village_staff) == []
    assert Booking.objects.filter(stars__isnull=False).count() == 3


def test_an_application_serving_two_communities_waits_for_each_ones_staff(
    county, staff, village_staff
) -> None:
    application = listing.apply(
        token="two",
        business_name="顺达搬家",
        contact_name="王师傅",
        phone="13700005555",
        services=["moving"],
        prices="",
        county=county.county,
        communities=[county.community, county.area],
        licence=jpeg(),
    )
    assert listing.waiting_for(staff) == [application]
    listing.list_merchant(staff, application)
    assert listing.waiting_for(staff) == []
    assert listing.waiting_for(village_staff) == [application]
    application.refresh_from_db()
    assert application.state == Application.State.PENDING
    listing.list_merchant(village_staff, application)
    application.refresh_from_db()
    assert application.state == Application.State.LISTED
    assert Listing.objects.count() == 2 and Merchant.objects.count() == 1
