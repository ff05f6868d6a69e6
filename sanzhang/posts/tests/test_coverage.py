from io import StringIO

from django.core.management import call_command
from django.test import Client

from sanzhang.conftest import County
from sanzhang.people.models import Person
from sanzhang.places.services import retire_place
from sanzhang.posts.coverage import coverage_by_level, uncovered_places
from sanzhang.posts.models import PostKind, Tenure
from sanzhang.posts.services import appoint, end_tenure, open_post


def shares(place) -> dict[str, tuple[int, int]]:
    return {level.kind: (level.covered, level.total) for level in coverage_by_level(place)}


def test_coverage_counts_places_with_a_current_holder_at_each_level(county: County, unit_leader):
    appoint(open_post(county.grid_a, PostKind.GRID_LEADER), Person.objects.create(name="网格长"))
    assert shares(county.community) == {"grid": (1, 2), "building": (0, 3), "unit": (1, 4)}
    assert shares(county.district) == {"district": (0, 1), "area": (0, 1), "grid": (0, 1)}


def test_uncovered_lists_every_place_without_a_holder(county: County, unit_leader):
    codes = list(uncovered_places(county.grid_a).values_list("code", flat=True))
    assert codes == [
        "GC.C01.G01",
        "GC.C01.G01.B01",
        "GC.C01.G01.B01.U2",
        "GC.C01.G01.B02",
        "GC.C01.G01.B02.U1",
    ]


def test_a_deputy_or_a_reserve_does_not_cover_a_grid(county: County):
    appoint(
        open_post(county.rural_grid, PostKind.DEPUTY_GRID_LEADER), Person.objects.create(name="副")
    )
    appoint(
        open_post(county.rural_grid, PostKind.GRID_LEADER),
        Person.objects.create(name="后备"),
        role=Tenure.Role.RESERVE,
    )
    assert county.rural_grid in uncovered_places(county.area)


def test_an_ended_tenure_uncovers_its_place(county: County, unit_leader):
    end_tenure(Tenure.objects.get(person=unit_leader.person), reason="轮岗")
    assert county.unit_a1_1 in uncovered_places(county.unit_a1_1)


def test_retired_places_are_left_out(county: County):
    retire_place(county.unit_a1_2)
    assert shares(county.building_a1)["unit"] == (0, 1)


def test_coverage_command_prints_shares_and_uncovered_places(county: County, unit_leader):
    out = StringIO()
    call_command("coverage", "gc.c01.g01.b01", stdout=out)
    text = out.getvalue()
    assert "unit" in text and "1/2" in text and "50.0%" in text
    assert "GC.C01.G01.B01.U2" in text
    assert "GC.C01.G01.B01.U1\t" not in text


def test_coverage_page_lists_uncovered_places(county: County, county_officer, unit_leader):
    client = Client()
    client.force_login(county_officer)
    body = client.get(f"/places/{county.grid_a.code}/coverage/").content.decode()
    assert "GC.C01.G01.B02.U1" in body
    assert "GC.C01.G01.B01.U1<" not in body
