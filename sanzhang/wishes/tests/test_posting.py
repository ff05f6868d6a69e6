"""Posting a wish exactly once per idempotency key."""

from __future__ import annotations

import pytest

from sanzhang.core.errors import Invalid
from sanzhang.wishes import services
from sanzhang.wishes.models import Wish

pytestmark = pytest.mark.django_db


def test_a_retry_with_the_same_key_returns_the_first_wish(resident) -> None:
    household = resident.person.household
    first = services.post_wish(resident, household=household, text="想要一个助行器", post_key="k1")
    again = services.post_wish(resident, household=household, text="想要一个助行器", post_key="k1")
    assert first.created and not again.created
    assert again.wish.pk == first.wish.pk
    assert Wish.objects.count() == 1 and first.wish.events.count() == 1


def test_the_same_key_with_another_wish_is_refused(resident) -> None:
    household = resident.person.household
    services.post_wish(resident, household=household, text="想要一个助行器", post_key="k1")
    with pytest.raises(Invalid, match="幂等"):
        services.post_wish(resident, household=household, text="想要一把轮椅", post_key="k1")


def test_an_empty_or_long_wish_is_refused(resident) -> None:
    household = resident.person.household
    with pytest.raises(Invalid, match="心愿"):
        services.post_wish(resident, household=household, text="   ")
    with pytest.raises(Invalid, match="500"):
        services.post_wish(resident, household=household, text="长" * 501)
