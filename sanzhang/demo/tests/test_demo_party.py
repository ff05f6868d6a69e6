"""The demo county's party organisation follows the seed: a branch per urban grid, a branch per
village, groups at rural grids in the seed's share, a secretary at each branch, every
registered member in a branch or group."""

import pytest

from sanzhang.demo.loader import load_demo
from sanzhang.party.models import Membership, PartyOrganisation
from sanzhang.people.models import PartyMember
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import is_under
from sanzhang.posts.models import PostKind, Tenure

Kind = PartyOrganisation.Kind


@pytest.fixture
def demo(db):
    return load_demo(scale=0.05)


def test_branches_groups_secretaries_and_members(demo):
    urban_grids = Place.objects.filter(kind=PlaceKind.GRID, code__under="GC").exclude(
        parent__kind=PlaceKind.AREA
    )
    branches = PartyOrganisation.objects.filter(kind=Kind.BRANCH)
    assert set(branches.filter(place__kind=PlaceKind.GRID).values_list("place", flat=True)) == set(
        urban_grids.values_list("pk", flat=True)
    )
    assert (
        branches.filter(place__kind=PlaceKind.AREA).count()
        == Place.objects.filter(kind=PlaceKind.AREA).count()
    )
    groups = PartyOrganisation.objects.filter(kind=Kind.GROUP)
    rural_grids = Place.objects.filter(kind=PlaceKind.GRID, parent__kind=PlaceKind.AREA).count()
    # 1,373 of 2,221 at full scale: the same share, within rounding.
    assert groups.count() == min(rural_grids, round(1373 * 0.05))
    for group in groups.select_related("parent__place", "place"):
        assert group.parent.kind == Kind.BRANCH
        assert is_under(group.place.code, group.parent.place.code)
    secretaries = Tenure.objects.current().filter(post__kind=PostKind.BRANCH_SECRETARY)
    assert secretaries.count() >= branches.filter(place__kind=PlaceKind.GRID).count()
    # Every registered party member belongs to a branch or group within their county.
    assert Membership.objects.count() == PartyMember.objects.count() > 0
    assert not Membership.objects.exclude(organisation__kind__in=[Kind.BRANCH, Kind.GROUP]).exists()
