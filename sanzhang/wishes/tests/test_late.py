"""Wishes not claimed, or not fulfilled, in time are flagged once by the daily run."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from sanzhang.schedules.registry import by_name
from sanzhang.wishes import services
from sanzhang.wishes.models import Late, WishEvent
from sanzhang.wishes.tests.conftest import approved

pytestmark = pytest.mark.django_db


def later(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days, hours=1)


def test_an_unclaimed_wish_is_flagged_once(resident, community_staff, member) -> None:
    wish = approved(resident, community_staff)
    assert services.flag_late(later(13)) == 0
    assert services.flag_late(later(14)) == 1
    assert services.flag_late(later(15)) == 0  # idempotent: flagged once
    wish.refresh_from_db()
    assert wish.late == Late.UNCLAIMED and wish.version == 2  # a flag is not a move
    assert wish.events.filter(kind=WishEvent.Kind.LATE_CLAIM).count() == 1
    services.claim(wish, member)  # a late claim still counts, and clears the flag
    assert wish.late == Late.NONE


def test_a_claimed_wish_not_fulfilled_in_time_is_flagged(resident, community_staff, member) -> None:
    wish = approved(resident, community_staff)
    services.claim(wish, member)
    assert services.flag_late(later(15)) == 1
    assert services.flag_late(later(16)) == 0
    wish.refresh_from_db()
    assert wish.late == Late.UNFULFILLED
    with time_machine.travel(later(16)):
        services.fulfil(wish, member, note="晚了几天，已经办好")
    assert wish.late == Late.NONE
    assert services.flag_late(later(30)) == 0


def test_the_flag_runs_daily_on_the_scheduler() -> None:
    schedule = by_name("flag_late_wishes")
    assert schedule.function == "sanzhang.wishes.services.flag_late"
    assert schedule.every == datetime.timedelta(days=1)
