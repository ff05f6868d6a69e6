import pytest

from sanzhang.conftest import County, make_household
from sanzhang.people.models import Household
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.services import create_place


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_subtree_of_the_county_is_the_whole_tree(county: County):
    assert codes(Place.objects.under("GC")) == codes(Place.objects.all())


@pytest.mark.parametrize(
    ("attr", "expected"),
    [
        (
            "community",
            {
                "GC.C01",
                "GC.C01.G01",
                "GC.C01.G02",
                "GC.C01.G01.B01",
                "GC.C01.G01.B02",
                "GC.C01.G02.B01",
                "GC.C01.G01.B01.U1",
                "GC.C01.G01.B01.U2",
                "GC.C01.G01.B02.U1",
                "GC.C01.G02.B01.U1",
            },
        ),
        (
            "grid_a",
            {
                "GC.C01.G01",
                "GC.C01.G01.B01",
                "GC.C01.G01.B02",
                "GC.C01.G01.B01.U1",
                "GC.C01.G01.B01.U2",
                "GC.C01.G01.B02.U1",
            },
        ),
        ("building_a1", {"GC.C01.G01.B01", "GC.C01.G01.B01.U1", "GC.C01.G01.B01.U2"}),
        ("unit_a1_1", {"GC.C01.G01.B01.U1"}),
        ("district", {"GC.D01", "GC.D01.A01", "GC.D01.A01.G01"}),
    ],
)
def test_subtree_at_every_depth(county: County, attr: str, expected: set[str]):
    assert codes(Place.objects.under(getattr(county, attr).code)) == expected


def test_a_sibling_whose_code_shares_a_prefix_is_not_in_the_subtree(county: County):
    # "GC.C01.G01" must not match "GC.C01.G011"
    create_place(parent=county.community, kind=PlaceKind.GRID, segment="G011", name="十一网格")
    assert "GC.C01.G011" not in codes(Place.objects.under("GC.C01.G01"))
    assert "GC.C01.G011" in codes(Place.objects.under("GC.C01"))


def test_households_under_a_place_through_their_unit(county: County):
    make_household(county.unit_a1_1, "101")
    make_household(county.unit_a2_1, "201")
    make_household(county.unit_b1_1, "301")
    under_grid_a = Household.objects.filter(place__code__under=county.grid_a.code)
    assert sorted(under_grid_a.values_list("door", flat=True)) == ["101", "201"]
    assert Household.objects.filter(place__code__under=county.county.code).count() == 3


def test_under_refuses_anything_that_is_not_a_code(county: County):
    with pytest.raises(ValueError):
        list(Place.objects.filter(code__under="GC%"))
