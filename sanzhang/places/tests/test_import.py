"""Importing places: a county from CSV or XLSX, re-import changes nothing, changes are recorded."""

import pytest
from django.utils import translation

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import County
from sanzhang.places.importing import ImportRefused, import_places, update_place_geometry
from sanzhang.places.models import Place, PlaceEvent
from sanzhang.places.services import create_place
from sanzhang.places.tests.data.files import COUNTY, csv_bytes, xlsx_bytes


def counts(result) -> tuple[int, int, int, int]:
    return (result.rows, result.created, result.updated, result.unchanged)


def test_a_county_imports_from_csv_with_town_and_village_branches(db):
    assert counts(import_places("places.csv", csv_bytes(COUNTY))) == (8, 8, 0, 0)
    unit = Place.objects.get(code="GC.C01.G01.B001.U1")
    assert (unit.kind, unit.name, unit.depth, unit.parent.code) == (
        "unit",
        "1单元",
        4,
        "GC.C01.G01.B001",
    )
    rural_grid = Place.objects.get(code="GC.D01.A01.G01")
    assert rural_grid.is_rural and not unit.is_rural
    assert rural_grid.boundary["type"] == "Polygon"
    assert Place.objects.get(code="GC").centre_lat == pytest.approx(26.838)


def test_a_csv_with_a_byte_order_mark_imports_the_same(db):
    assert import_places("places.csv", csv_bytes(COUNTY, bom=True)).created == 8


def test_an_xlsx_workbook_imports_like_the_csv(db):
    rows = [list(row) for row in COUNTY]
    rows[0][4:6] = [26.838, 116.325]  # Excel keeps coordinates as numbers
    assert counts(import_places("places.xlsx", xlsx_bytes(rows))) == (8, 8, 0, 0)
    assert Place.objects.get(code="GC").centre_lng == pytest.approx(116.325)
    assert import_places("places.xlsx", xlsx_bytes(rows)).unchanged == 8


def test_rows_may_come_in_any_order_with_english_headers_and_kinds(db):
    header = ["name", "kind", "code", "parent_code"]
    rows = [["旴江社区", "community", "gc.c01", "gc"], ["广昌县", "County", "GC", ""]]
    assert import_places("p.csv", csv_bytes(rows, header)).created == 2
    assert Place.objects.get(code="GC.C01").parent.code == "GC"


def test_a_file_adds_places_under_places_already_in_the_system(county: County):
    rows = [["GC.C01.G01.B03", "GC.C01.G01", "楼栋", "3栋", "", "", ""]]
    assert import_places("p.csv", csv_bytes(rows)).created == 1
    assert Place.objects.get(code="GC.C01.G01.B03").parent == county.grid_a


def test_reimporting_the_same_file_changes_nothing(db):
    data = csv_bytes(COUNTY)
    import_places("places.csv", data)
    places, events = Place.objects.count(), PlaceEvent.objects.count()
    assert counts(import_places("places.csv", data)) == (8, 0, 0, 8)
    assert (Place.objects.count(), PlaceEvent.objects.count()) == (places, events)


def test_a_changed_name_renames_and_is_recorded(db):
    import_places("places.csv", csv_bytes(COUNTY))
    renamed = [[cell.replace("第一网格", "幸福网格") for cell in row] for row in COUNTY]
    assert counts(import_places("places.csv", csv_bytes(renamed))) == (8, 0, 1, 7)
    grid = Place.objects.get(code="GC.C01.G01")
    assert grid.name == "幸福网格"
    event = grid.events.get(action=PlaceEvent.Action.RENAMED)
    assert (event.before, event.after, event.reason) == (
        {"name": "第一网格"},
        {"name": "幸福网格"},
        "import",
    )


def test_a_changed_centre_updates_and_a_blank_cell_leaves_the_old_value(db):
    import_places("places.csv", csv_bytes(COUNTY))
    moved = [list(row) for row in COUNTY]
    moved[0][4:6] = ["26.9", "116.4"]
    moved[7][6] = ""  # the rural grid's boundary cell left blank: the boundary stays
    assert counts(import_places("places.csv", csv_bytes(moved))) == (8, 0, 1, 7)
    county = Place.objects.get(code="GC")
    assert (county.centre_lat, county.centre_lng) == (26.9, 116.4)
    event = county.events.get(action=PlaceEvent.Action.UPDATED)
    assert event.before == {"centre_lat": 26.838, "centre_lng": 116.325}
    assert Place.objects.get(code="GC.D01.A01.G01").boundary["type"] == "Polygon"


def test_new_places_are_what_create_place_would_make(db):
    import_places("places.csv", csv_bytes(COUNTY))
    by_service = create_place(
        parent=Place.objects.get(code="GC.D01.A01"), kind="grid", segment="G02", name="二组"
    )
    imported = Place.objects.get(code="GC.D01.A01.G01")
    fields = ("kind", "depth", "is_rural", "parent_id", "retired_at")
    assert [getattr(imported, f) for f in fields] == [getattr(by_service, f) for f in fields]
    event = imported.events.get()
    assert (event.action, event.after) == ("created", {"code": "GC.D01.A01.G01"})


def test_checking_only_counts_what_would_change_and_writes_nothing(db):
    import_places("places.csv", csv_bytes(COUNTY[:3]))
    renamed = [[cell.replace("旴江社区", "莲花社区") for cell in row] for row in COUNTY]
    result = import_places("places.csv", csv_bytes(renamed), dry_run=True)
    assert counts(result) == (8, 5, 1, 2)
    assert Place.objects.count() == 3
    assert Place.objects.get(code="GC.C01").name == "旴江社区"


def test_an_import_writes_one_audit_row_with_the_counts(db):
    import_places("guangchang.csv", csv_bytes(COUNTY))
    event = AuditEvent.objects.get(action="places.imported")
    assert event.outcome == "ok"
    assert event.detail == {
        "file": "guangchang.csv",
        "rows": 8,
        "created": 8,
        "updated": 0,
        "unchanged": 0,
    }


def test_update_place_geometry_records_only_what_changes(db):
    place = create_place(parent=None, kind="county", segment="GC", name="广昌县", centre_lat=1.0)
    update_place_geometry(place, {"centre_lat": 1.0, "boundary": {"type": "Polygon"}})
    event = place.events.get(action=PlaceEvent.Action.UPDATED)
    assert (event.before, event.after) == ({"boundary": None}, {"boundary": {"type": "Polygon"}})
    update_place_geometry(place, {"boundary": {"type": "Polygon"}})
    assert place.events.filter(action=PlaceEvent.Action.UPDATED).count() == 1


def test_problems_follow_the_users_language_and_the_files_own_header_names(db):
    header = ["code", "parent_code", "kind", "name"]
    bad = csv_bytes([["GC.C02.G01", "GC.C02", "grid", "无主网格"]], header)
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        import_places("p.csv", bad)
    (problem,) = refused.value.problems
    assert (problem.row, problem.column) == (2, "parent_code")
    assert problem.message == "No place has the parent code GC.C02."
