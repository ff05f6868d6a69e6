"""The demo's announcements on the small county: the office's to the county, each community's
and township's, grid leaders'; receipts only of households under the announcement's place, once
each, after it was posted, and door receipts only after urgent ones."""

from __future__ import annotations

import random

import pytest

from sanzhang.announcements import audience
from sanzhang.announcements.models import Announcement, Receipt
from sanzhang.conftest import make_household, make_leader, make_staff
from sanzhang.demo.announcements import load_announcements_history, remove_announcements
from sanzhang.people.models import Role
from sanzhang.places.tree import is_under
from sanzhang.posts.models import PostKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(county):  # type: ignore[no-untyped-def]
    make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")
    for grid in (county.grid_a, county.grid_b, county.rural_grid):
        make_leader(grid, PostKind.GRID_LEADER, f"leader-{grid.pk}")
    units = [county.unit_a1_1, county.unit_a1_2, county.unit_a2_1, county.unit_b1_1]
    for n in range(60):
        make_household(units[n % 4] if n % 5 else county.rural_grid, str(100 + n))
    # Every grid leader posts, on this small county.
    return load_announcements_history(random.Random(3), grid_share=1.0)


def test_the_office_communities_townships_and_grids_announce(county, loaded) -> None:
    places = set(Announcement.objects.values_list("place__kind", flat=True))
    assert places == {"county", "community", "district", "grid"}
    assert Announcement.objects.count() == loaded
    assert Announcement.objects.filter(urgent=True, place=county.county).exists()
    assert not Announcement.objects.filter(pushed_at__isnull=True).exists()
    county_one = Announcement.objects.filter(place=county.county).first()
    assert county_one is not None and county_one.audience_size == 60


def test_receipts_are_of_the_audience_once_and_after_posting(county, loaded) -> None:
    assert Receipt.objects.filter(how=Receipt.How.READ).exists()
    assert Receipt.objects.filter(how=Receipt.How.AT_THE_DOOR).exists()
    pairs = list(Receipt.objects.values_list("announcement_id", "household_id"))
    assert len(pairs) == len(set(pairs))
    for r in Receipt.objects.select_related("announcement__place", "household__place"):
        assert is_under(r.household.place.code, r.announcement.place.code)
        assert r.at >= r.announcement.published_at
        if r.how == Receipt.How.AT_THE_DOOR:
            assert r.announcement.urgent


def test_the_unread_list_works_on_the_demos_rows(county, loaded) -> None:
    leader = make_leader(county.grid_a, PostKind.DEPUTY_GRID_LEADER, "deputy")
    a = Announcement.objects.filter(place=county.county).first()
    assert a is not None
    read, total = audience.counts(leader, a)
    assert total == audience.households_in_area(leader, a).count() > 0
    assert audience.unread(leader, a).count() == total - read


def test_the_demos_announcements_can_be_removed(loaded) -> None:
    remove_announcements()
    assert not Announcement.objects.exists() and not Receipt.objects.exists()
