"""Two staff of the community rating the unit's year at the same moment, or sending the same
activity from two phones: one row each, the other told it was there already."""

from __future__ import annotations

import pytest
from django.test import Client

from sanzhang.conftest import make_staff, needs_real_concurrency, simultaneously
from sanzhang.partners.models import Activity, Agreement, Rating
from sanzhang.people.models import Role, User

from .conftest import GRADES, add

pytestmark = [needs_real_concurrency, pytest.mark.django_db(transaction=True)]


def test_two_ratings_at_once_make_one(county, staff: User, agreement: Agreement) -> None:  # type: ignore[no-untyped-def]
    colleague = make_staff("staff-2", Role.COMMUNITY_STAFF, county.community, "committee")

    def rate(keeping: int):  # type: ignore[no-untyped-def]
        def call(client: Client) -> int:
            url = f"/partners/agreements/{agreement.pk}/rate/"
            return client.post(url, {**GRADES, "keeping": keeping}).status_code

        return call

    statuses = simultaneously([(staff, rate(4)), (colleague, rate(1)), (staff, rate(2))])
    assert statuses == [302] * 3
    assert Rating.objects.count() == 1


def test_one_activity_sent_from_two_phones_is_one(staff: User, agreement: Agreement) -> None:
    line = add(staff, agreement, "project", "3", "项")
    form = {
        "commitment": line.pk,
        "held_on": f"{agreement.year}-04-01",
        "what": "义诊",
        "amount": "1",
    }

    def send(client: Client) -> int:
        return client.post(f"/partners/agreements/{agreement.pk}/activity/", form).status_code

    assert simultaneously([(staff, send)] * 4) == [302] * 4
    assert Activity.objects.count() == 1
