"""How far the county has come in (每户至少一人, 在职党员报到), rolled up the tree, as it stands
now and as the records say it stood at a moment, and shown in the daily summaries."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from sanzhang.conftest import make_household
from sanzhang.people.models import Household, PartyMember, Person, Role, User
from sanzhang.people.uptake import uptake
from sanzhang.supervision.summaries import produce

pytestmark = pytest.mark.django_db
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def test_households_with_an_account_and_members_roll_up(county) -> None:
    first = make_household(county.unit_a1_1, "101")
    make_household(county.unit_a1_1, "102")
    make_household(county.unit_b1_1, "201")
    gone = make_household(county.unit_b1_1, "202")
    gone.moved_away_on = datetime.date(2026, 1, 5)
    gone.save()
    head = first.members.get()
    son = Person.objects.create(name="王小明", household=first)
    User.objects.create_user(username="wang", role=Role.RESIDENT, person=head)
    User.objects.create_user(username="wang2", role=Role.RESIDENT, person=son)  # still one
    User.objects.create_user(  # moved away: neither a household nor a registered one now
        username="gone", role=Role.RESIDENT, person=gone.members.get()
    )
    PartyMember.objects.create(
        person=head, community=county.community, registered_on=datetime.date(2026, 3, 1)
    )
    codes = [county.county.code, county.community.code, county.grid_b.code, county.area.code]
    found = uptake(codes)
    assert found[county.county.code].as_figures() == {
        "households": 3,
        "households_registered": 1,
        "party_members": 1,
    }
    assert found[county.community.code].registered_percent == 33
    assert found[county.grid_b.code].households == 1
    assert found[county.area.code].registered_percent == 0  # no households: 0, not an error
    # As the records say it stood before the move away and the registration
    before = datetime.datetime(2026, 1, 1, tzinfo=SHANGHAI)
    with time_machine.travel(before - datetime.timedelta(days=30), tick=False):
        early = make_household(county.unit_a1_1, "100")
        User.objects.create_user(username="early", role=Role.RESIDENT, person=early.members.get())
    Household.objects.filter(pk__in=[first.pk, gone.pk]).update(
        created_at=before - datetime.timedelta(days=60)
    )
    then = uptake([county.county.code], at=before)[county.county.code]
    # Households made by then (the early one and two backdated), the moved one not yet gone;
    # accounts made by then: only the early one's
    assert (then.households, then.households_registered, then.party_members) == (3, 1, 0)


def test_the_daily_summary_records_them(county) -> None:
    household = make_household(county.unit_a1_1, "101")
    User.objects.create_user(username="wang", role=Role.RESIDENT, person=household.members.get())
    day = timezone.localdate() + datetime.timedelta(days=1)
    produce(day)
    from sanzhang.supervision.models import DailySummary

    figures = DailySummary.objects.get(place=county.community, day=day).figures
    assert (figures["households"], figures["households_registered"]) == (1, 1)
    assert figures["party_members"] == 0
