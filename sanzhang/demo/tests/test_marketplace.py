"""The demo's service micro-platform on the small county: merchants listed where they serve,
a year of bookings by residents of those communities, ratings that put the poor merchants on
the review list, applications to check and two complaints as issues of the loop."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from sanzhang.conftest import County, make_staff
from sanzhang.demo.marketplace import load_marketplace_history, remove_marketplace
from sanzhang.issues.models import Issue
from sanzhang.marketplace import listing
from sanzhang.marketplace.models import Application, Booking, Listing, Merchant
from sanzhang.people.models import Household, Person, Role
from sanzhang.places.tree import is_under

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(county: County, settings, tmp_path) -> County:  # type: ignore[no-untyped-def]
    """A dozen households with their own phones in the community and in the village, and the
    county office that complaints are routed to."""
    settings.MEDIA_ROOT = tmp_path
    make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")
    n = 0
    for place in (county.unit_a1_1, county.unit_b1_1, county.rural_grid):
        for door in range(12):
            n += 1
            home = Household.objects.create(place=place, door=f"{door + 1:03d}")
            Person.objects.create(name=f"居民{n}", phone=f"1390000{n:04d}", household=home)
    return county


def test_merchants_bookings_ratings_and_complaints(small: County) -> None:
    loaded = load_marketplace_history(0.3, random.Random(7))  # nosec B311 # seeded demo data
    assert loaded.merchants == Merchant.objects.count() >= 6
    assert Merchant.objects.filter(user__role=Role.MERCHANT).count() == loaded.merchants
    assert Application.objects.filter(state=Application.State.PENDING).count() == 3
    assert loaded.bookings == Booking.objects.count() > 30
    for booking in Booking.objects.select_related("listing__community", "household__place")[:200]:
        assert is_under(booking.household.place.code, booking.listing.community.code)
        assert booking.created_at <= timezone.now()
        assert booking.service in booking.listing.merchant.services
    rated = Booking.objects.filter(state=Booking.State.RATED)
    assert rated.exists() and not rated.filter(stars__isnull=True).exists()
    assert loaded.complaints == 2 == Issue.objects.count()
    assert Booking.objects.filter(complaint__isnull=False).count() == 2
    staff = make_staff("office-2", Role.COUNTY_OFFICE, small.county, "county_office")
    poor = {listing_.merchant_id for listing_, _avg in listing.to_review(staff)}
    assert poor and poor <= set(Merchant.objects.order_by("pk").values_list("pk", flat=True)[:2])
    assert Listing.objects.filter(community__in=[small.community, small.area]).exists()


def test_it_is_removed_whole(small: County) -> None:
    load_marketplace_history(0.3, random.Random(7))  # nosec B311 # seeded demo data
    remove_marketplace()
    assert not Booking.objects.exists() and not Merchant.objects.exists()
