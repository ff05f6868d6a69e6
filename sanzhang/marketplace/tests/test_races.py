"""Races settled by the database: two taps of one booking form make one booking; the merchant's
accept and the resident's cancel at the same moment, one wins; two listings of one application
make one merchant."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sanzhang.conftest import simultaneously
from sanzhang.marketplace.models import Booking, BookingEvent, Listing, Merchant

from .conftest import apply_shop, jpeg

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_taps_of_one_booking_form_make_one_booking(resident, shop) -> None:
    url = reverse("marketplace:book", args=[shop.pk])

    def tap(client):  # type: ignore[no-untyped-def]
        form = {
            "token": "same",
            "service": "plumbing",
            "wanted_at": "2099-05-01T10:00",
            "problem": "水管漏水",
            "photos": [jpeg()],
        }
        return client.post(url, form).status_code

    assert simultaneously([(resident, tap), (resident, tap)]) == [302, 302]
    assert Booking.objects.count() == 1
    assert BookingEvent.objects.count() == 1


def test_accept_and_cancel_at_once_one_wins(booking, merchant, resident) -> None:
    def act(action: str):  # type: ignore[no-untyped-def]
        return lambda client: (
            client.post(reverse("marketplace:act", args=[booking.pk, action])).status_code
        )

    assert simultaneously([(merchant, act("accept")), (resident, act("cancel"))]) == [302, 302]
    booking.refresh_from_db()
    # Both read "requested": one move wins, the other is refused (2 events). Or the cancel read
    # the accepted booking, which a resident may cancel too (3 events, ending cancelled). Never
    # an accept after a cancel.
    events = booking.events.count()
    assert (booking.state, events) in {("accepted", 2), ("cancelled", 2), ("cancelled", 3)}


def test_two_listings_of_one_application_make_one_merchant(county, staff) -> None:
    application = apply_shop(county)
    url = reverse("marketplace:decide", args=[application.pk, "list"])

    def tap(client):  # type: ignore[no-untyped-def]
        return client.post(url).status_code

    assert simultaneously([(staff, tap), (staff, tap)]) == [302, 302]
    assert Merchant.objects.count() == 1 and Listing.objects.count() == 1
