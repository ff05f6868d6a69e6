"""A resident picks "somewhere else" on a map of their own community's grids, or by the phone's
location; the map is drawn from the grids' boundaries, and only their county's grids are offered."""

from __future__ import annotations

import re

from sanzhang.conftest import County, build_county
from sanzhang.issues.models import Issue
from sanzhang.places.models import Place

from .test_pages import client_for


def square(lat: float, lng: float, half: float = 0.001) -> dict:
    ring = [
        [lng - half, lat - half],
        [lng + half, lat - half],
        [lng + half, lat + half],
        [lng - half, lat + half],
        [lng - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def bound(county: County, lat: float = 26.838, lng: float = 116.325) -> None:
    """Grid A west of grid B, side by side; the rural grid far off in its area."""
    for grid, (dlat, dlng) in (
        (county.grid_a, (0, 0)),
        (county.grid_b, (0, 0.002)),
        (county.rural_grid, (0.1, 0.1)),
    ):
        Place.objects.filter(pk=grid.pk).update(boundary=square(lat + dlat, lng + dlng))


def test_the_map_shows_the_grids_of_the_residents_community(loop, resident) -> None:
    bound(loop)
    page = client_for(resident).get("/r/map/", HTTP_HX_REQUEST="true").content.decode()
    picks = re.findall(r'data-pick="([^"]+)"', page)
    assert picks == [loop.grid_a.code, loop.grid_b.code]  # not the village area's grid
    assert 'class="home"' in page and page.count('class="home"') == 1  # the resident's grid A
    paths = re.findall(r'<path d="M(\d+) (\d+)L', page)
    (ax, _), (bx, _) = paths
    assert int(ax) < int(bx)  # grid A drawn west of grid B, as on the ground
    village = client_for(resident).get(f"/r/map/?region={loop.area.code}").content.decode()
    assert re.findall(r'data-pick="([^"]+)"', village) == [loop.rural_grid.code]


def test_a_tapped_grid_comes_back_as_the_chosen_place_and_the_report_goes_there(
    loop, resident
) -> None:
    bound(loop)
    me = client_for(resident)
    picked = me.get(f"/r/places/?pick={loop.grid_b.code}", HTTP_HX_REQUEST="true")
    assert f'value="{loop.grid_b.code}" checked' in picked.content.decode()
    assert "莲花社区" in picked.content.decode()  # with the names above it
    me.post("/r/", {"text": "第二网格路灯不亮", "intake_key": "m1", "place": loop.grid_b.code})
    assert Issue.objects.get().place == loop.grid_b
    # Without scripts the grid is a link back to the form with the place chosen.
    assert (
        f'value="{loop.grid_b.code}" checked'
        in me.get(f"/r/?place={loop.grid_b.code}").content.decode()
    )


def test_the_phones_location_finds_the_grid_it_lies_in(loop, resident) -> None:
    bound(loop)
    me = client_for(resident)
    inside_b = me.get("/r/places/?lat=26.8381&lng=116.3271").content.decode()
    assert f'value="{loop.grid_b.code}" checked' in inside_b
    nowhere = me.get("/r/places/?lat=30&lng=120").content.decode()
    assert "没有已知边界的网格" in nowhere and "value=" not in nowhere
    assert "value=" not in me.get("/r/places/?lat=north&lng=").content.decode()


def test_another_countys_grids_are_neither_drawn_nor_picked_nor_located(loop, resident) -> None:
    other = build_county("NF", "南丰县")
    bound(other, lat=27.2, lng=116.5)
    me = client_for(resident)
    assert (
        other.grid_b.code not in me.get(f"/r/map/?region={other.community.code}").content.decode()
    )
    assert "value=" not in me.get(f"/r/places/?pick={other.grid_b.code}").content.decode()
    assert "value=" not in me.get("/r/places/?lat=27.2&lng=116.502").content.decode()
