"""Party members claiming one wish at the same moment: exactly one wins (promise 18: races
are settled by a conditional UPDATE), through the API, with real threads and connections."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from sanzhang.conftest import needs_real_concurrency, simultaneously
from sanzhang.wishes.models import Status, Wish, WishEvent
from sanzhang.wishes.tests.conftest import approved, make_member

CLAIMERS = 4


@needs_real_concurrency
@pytest.mark.django_db(transaction=True)
def test_simultaneous_claims_of_one_wish_have_one_winner(county, resident, community_staff) -> None:
    wish = approved(resident, community_staff)
    members = [make_member(county, f"member{n}") for n in range(CLAIMERS)]

    def claim(user):  # type: ignore[no-untyped-def]
        def call(client: Client) -> tuple[str, int, str]:
            response = client.post(
                f"/api/wishes/{wish.pk}/claim",
                json.dumps({"version": wish.version}),
                content_type="application/json",
            )
            return user.username, response.status_code, response.json().get("detail", "")

        return user, call

    answers = simultaneously([claim(user) for user in members])
    statuses = [status for _, status, _ in answers]
    assert statuses.count(200) == 1, answers
    assert set(statuses) == {200, 409}, answers
    losers = [detail for _, status, detail in answers if status == 409]
    assert all("认领" in detail or "处理过" in detail for detail in losers), losers
    winner = next(name for name, status, _ in answers if status == 200)
    wish = Wish.objects.select_related("claimer").get(pk=wish.pk)
    assert (wish.status, wish.version) == (Status.CLAIMED, 3)
    assert wish.claimed_by_user.username == winner
    assert WishEvent.objects.filter(wish=wish, kind=WishEvent.Kind.CLAIMED).count() == 1
