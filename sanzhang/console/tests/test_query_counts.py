"""Pages run a fixed number of SQL queries whatever the amount of data behind them."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sanzhang.conftest import County, make_household
from sanzhang.people.models import Person
from sanzhang.places.models import PlaceKind
from sanzhang.places.services import create_place
from sanzhang.posts.models import PostKind
from sanzhang.posts.services import appoint, open_post


def grow(county: County, start: int, count: int) -> None:
    """More units in building A1, each with a holder and a household."""
    for i in range(start, start + count):
        unit = create_place(
            parent=county.building_a1, kind=PlaceKind.UNIT, segment=f"X{i}", name=f"{i}单元"
        )
        appoint(open_post(unit, PostKind.UNIT_LEADER), Person.objects.create(name=f"长{i}"))
        make_household(unit, f"{i}01", name=f"居民{i}")


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


URLS = [
    "/console/",
    "/places/",
    "/places/GC.C01.G01.B01/",
    "/places/GC.C01/coverage/",
    "/places/search/?q=单元",
    "/people/",
    "/api/people/",
    "/api/places/GC.C01.G01.B01/children",
    "/api/posts/?under=GC.C01",
    "/board/GC.C01.G01.B01/",
    "/posts/?under=GC.C01",
]


@pytest.mark.parametrize("url", URLS)
def test_page_query_count_does_not_grow_with_the_data(county: County, county_officer, url):
    client = Client()
    client.force_login(county_officer)
    grow(county, 0, 2)
    client.get(url)  # warm up the session
    small = queries(client, url)
    grow(county, 2, 20)
    assert queries(client, url) == small
