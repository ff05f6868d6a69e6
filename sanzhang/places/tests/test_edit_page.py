from django.test import Client

from sanzhang.conftest import County
from sanzhang.places.models import Place, PlaceCodeAlias


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_county_officer_renames_a_grid_on_the_page(county: County, county_officer):
    response = logged_in(county_officer).post(
        f"/places/{county.grid_a.code}/edit/",
        {"action": "rename", "rename-name": "幸福网格", "rename-reason": "居民议定"},
    )
    assert response.status_code == 302
    assert Place.objects.get(pk=county.grid_a.pk).name == "幸福网格"


def test_moving_to_an_unknown_parent_is_refused_with_a_message_and_changes_nothing(
    county: County, county_officer
):
    response = logged_in(county_officer).post(
        f"/places/{county.building_a2.code}/edit/",
        {"action": "move", "move-parent_code": "GC.C01.G99"},
    )
    assert response.status_code == 200
    assert "没有该编码的地点" in response.content.decode()
    assert Place.objects.get(pk=county.building_a2.pk).code == "GC.C01.G01.B02"


def test_moving_a_building_on_the_page_keeps_its_old_code(county: County, county_officer):
    logged_in(county_officer).post(
        f"/places/{county.building_a2.code}/edit/",
        {"action": "move", "move-parent_code": "gc.c01.g02"},
    )
    assert PlaceCodeAlias.objects.filter(code="GC.C01.G01.B02").exists()
    assert Place.objects.get(pk=county.building_a2.pk).code == "GC.C01.G02.B02"


def test_retiring_a_place_with_children_shows_why_not(county: County, county_officer):
    response = logged_in(county_officer).post(
        f"/places/{county.building_a1.code}/edit/",
        {"action": "retire", "retire-reason": "拆迁"},
    )
    assert "请先撤销或迁移其下级地点" in response.content.decode()


def test_community_staff_cannot_move_a_place_outside_their_community(
    county: County, community_staff
):
    response = logged_in(community_staff).post(
        f"/places/{county.building_a2.code}/edit/",
        {"action": "move", "move-parent_code": county.rural_grid.code},
    )
    assert response.status_code == 200
    assert Place.objects.get(pk=county.building_a2.pk).code == "GC.C01.G01.B02"


def test_leaders_cannot_reach_the_edit_page(county: County, unit_leader):
    assert logged_in(unit_leader).get(f"/places/{county.unit_a1_1.code}/edit/").status_code == 404
