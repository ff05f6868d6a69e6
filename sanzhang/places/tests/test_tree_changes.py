import pytest

from sanzhang.conftest import County
from sanzhang.places.models import Place, PlaceEvent, PlaceKind
from sanzhang.places.services import (
    PlaceError,
    create_place,
    move_place,
    rename_place,
    resolve_code,
    retire_place,
)


def test_a_unit_cannot_hang_from_a_community(county: County):
    with pytest.raises(PlaceError):
        create_place(parent=county.community, kind=PlaceKind.UNIT, segment="U9", name="x")


def test_a_rural_grid_takes_no_buildings(county: County):
    with pytest.raises(PlaceError):
        create_place(parent=county.rural_grid, kind=PlaceKind.BUILDING, segment="B1", name="x")


def test_rename_keeps_the_code_and_records_the_old_name(county: County):
    rename_place(county.grid_a, "幸福网格", reason="居民议定")
    grid = Place.objects.get(pk=county.grid_a.pk)
    assert (grid.name, grid.code) == ("幸福网格", "GC.C01.G01")
    event = grid.events.get(action=PlaceEvent.Action.RENAMED)
    assert (event.before, event.after) == ({"name": "第一网格"}, {"name": "幸福网格"})


def test_moving_a_building_recodes_its_subtree_and_old_codes_still_resolve(county: County):
    move_place(county.building_a2, county.grid_b)
    building = Place.objects.get(pk=county.building_a2.pk)
    unit = Place.objects.get(pk=county.unit_a2_1.pk)
    assert building.code == "GC.C01.G02.B02"
    assert unit.code == "GC.C01.G02.B02.U1"
    assert unit.depth == 4
    assert resolve_code("GC.C01.G01.B02.U1") == unit
    assert set(Place.objects.under("GC.C01.G02").values_list("pk", flat=True)) >= {
        building.pk,
        unit.pk,
    }


def test_an_old_code_is_never_given_to_a_new_place(county: County):
    move_place(county.building_a2, county.grid_b)
    with pytest.raises(PlaceError):
        create_place(parent=county.grid_a, kind=PlaceKind.BUILDING, segment="B02", name="新2栋")


def test_a_place_cannot_move_under_itself(county: County):
    with pytest.raises(PlaceError):
        move_place(county.grid_a, county.grid_a)


def test_retiring_needs_an_empty_place_and_keeps_the_row(county: County):
    with pytest.raises(PlaceError):
        retire_place(county.building_a1)
    retire_place(county.unit_a1_2, reason="拆除")
    unit = Place.objects.get(pk=county.unit_a1_2.pk)
    assert unit.is_retired
    assert unit not in Place.objects.active()
    assert unit.events.filter(action=PlaceEvent.Action.RETIRED).exists()
