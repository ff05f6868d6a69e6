"""The demo's cadre vettings, on a small county: a year of concluded vettings with five
deferred, a couple open, the organisation department made when missing, never the cadre as
a reviewer."""

from __future__ import annotations

import datetime
import random

import pytest
from django.utils import timezone

from sanzhang.conftest import County, make_household, make_leader
from sanzhang.demo.vetting import ORG_DEPARTMENT, load_vetting_history
from sanzhang.party.models import PartyOrganisation
from sanzhang.people.models import Organisation, Person
from sanzhang.posts.models import PostKind
from sanzhang.vetting.models import Decision, Status, Vetting


@pytest.fixture
def small(county: County) -> County:
    """Leaders in post at the three grids, a branch with its secretary at grid A, and a dozen
    households per grid."""
    make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-a")
    make_leader(county.grid_b, PostKind.GRID_LEADER, "grid-b")
    make_leader(county.rural_grid, PostKind.GRID_LEADER, "grid-r")
    make_leader(county.grid_a, PostKind.BRANCH_SECRETARY, "secretary-a")
    PartyOrganisation.objects.create(kind="branch", name="第一网格党支部", place=county.grid_a)
    for place in (county.unit_a1_1, county.unit_b1_1, county.rural_grid):
        for door in range(12):
            make_household(place, f"{door + 1:03d}", name=f"居民{place.pk}-{door}")
    return county


def test_a_year_of_vettings_five_deferred_and_a_couple_open(small: County) -> None:
    load_vetting_history(random.Random(7))  # nosec B311 # seeded demo data
    assert Organisation.objects.filter(name=ORG_DEPARTMENT, place=small.county).count() == 1
    decided = Vetting.objects.filter(status=Status.DECIDED)
    assert decided.filter(decision=Decision.DEFER).count() == 5
    assert decided.count() == 18
    assert Vetting.objects.filter(status=Status.OPEN).count() == 1
    assert Vetting.objects.filter(status=Status.SUBMITTED).count() == 1
    year_ago = timezone.now() - datetime.timedelta(days=366)
    for vetting in decided:
        assert vetting.decided_at is not None and year_ago < vetting.decided_at < timezone.now()
        assert vetting.submitted_at is not None and vetting.opened_at < vetting.submitted_at
        assert vetting.submitted_at < vetting.decided_at
        assert vetting.version == 3 and vetting.views.exists()
    for vetting in Vetting.objects.all():
        reviewers = set(vetting.reviewers.values_list("person_id", flat=True))
        assert reviewers and vetting.cadre_person_id not in reviewers
        assert vetting.households.get().members.filter(pk=vetting.cadre_person_id).exists()
    deferred = decided.filter(decision=Decision.DEFER)
    assert set(deferred.values_list("conclusion", flat=True)) == {"not_satisfactory"}


def test_the_department_is_made_once(small: County) -> None:
    Organisation.objects.create(kind="department", name=ORG_DEPARTMENT, place=small.county)
    load_vetting_history(random.Random(1))  # nosec B311 # seeded demo data
    assert Organisation.objects.filter(name=ORG_DEPARTMENT).count() == 1
    assert Person.objects.exists()


@pytest.mark.parametrize("seed", range(4))
def test_nothing_is_dated_in_the_future(small: County, seed: int) -> None:
    """The open and submitted vettings were opened days ago: their views and findings are not
    dated after now (whatever the seed draws)."""
    load_vetting_history(random.Random(seed))  # nosec B311 # seeded demo data
    now = timezone.now()
    for vetting in Vetting.objects.all():
        assert vetting.submitted_at is None or vetting.submitted_at <= now
        assert vetting.decided_at is None or vetting.decided_at <= now
        assert not vetting.views.filter(recorded_at__gt=now).exists()
        if vetting.submitted_at is not None:
            assert not vetting.views.filter(recorded_at__gt=vetting.submitted_at).exists()


@pytest.mark.django_db
def test_it_builds_on_the_demo_county() -> None:
    from sanzhang.demo.loader import load_demo

    load_demo(scale=0.02)  # the vettings' history is part of it
    assert Vetting.objects.filter(decision=Decision.DEFER).count() == 5
    assert not Vetting.objects.filter(reviewers__isnull=True).exists()
    waiting = Vetting.objects.get(status=Status.OPEN)  # for the demo's grid leader login
    assert waiting.reviewers.filter(post__place__code="GC.C01.G01").exists()
