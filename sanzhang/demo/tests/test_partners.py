"""The demo's co-building units on the small county: every community and village bound to one
to three units, last year's agreements all rated and this year's open, and what the pages count
(kept shares, the members' own hours) reads from them."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.db.models import Count
from django.utils import timezone

from sanzhang.demo.partners import load_partners_history
from sanzhang.partners import progress
from sanzhang.partners.models import Activity, Agreement, Binding, Rating, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(county):  # type: ignore[no-untyped-def]
    load_partners_history(random.Random(7))


def test_each_community_and_village_has_one_to_three_units(county, loaded) -> None:
    per_place = dict(Binding.objects.values_list("place").annotate(n=Count("id")))
    assert set(per_place) == {county.community.pk, county.area.pk}
    assert all(1 <= n <= 3 for n in per_place.values())
    assert Unit.objects.filter(county=county.county).count() == Unit.objects.count()


def test_last_years_agreements_are_rated_and_this_years_open(loaded) -> None:
    this_year = timezone.localdate().year
    last = Agreement.objects.filter(year=this_year - 1)
    assert last.exists() and Rating.objects.count() == last.count()
    assert not Rating.objects.filter(agreement__year=this_year).exists()
    assert Agreement.objects.filter(year=this_year).count() == last.count()


def test_activities_lie_in_their_agreements_year_and_the_shares_read(loaded) -> None:
    today = timezone.localdate()
    for activity in Activity.objects.select_related("commitment__agreement"):
        assert activity.held_on.year == activity.commitment.agreement.year
        assert activity.held_on <= today
    for agreement in Agreement.objects.all():
        kept = progress.progress_of(agreement).kept
        assert kept is not None and Decimal(0) <= kept <= Decimal(100)
