"""Every list of the API has a largest page: a larger `limit` (or an offset no database can take)
is refused with 422 in the one error shape, and the document shows the bound."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from sanzhang.core.pagination import MAX_OFFSET, MAX_PAGE
from sanzhang.core.tests.openapi_check import documented, problems, response_schema

pytestmark = pytest.mark.django_db

# (path in the document, the URL for the county fixture, the parameter, its largest value)
LISTS = [
    ("/api/places/", "/api/places/", "limit", MAX_PAGE),
    ("/api/places/{code}/children", "/api/places/GC/children", "limit", MAX_PAGE),
    ("/api/people/", "/api/people/", "limit", MAX_PAGE),
    ("/api/posts/", "/api/posts/", "limit", MAX_PAGE),
    ("/api/issues/", "/api/issues/", "limit", MAX_PAGE),
    ("/api/wishes/", "/api/wishes/", "limit", MAX_PAGE),
    ("/api/notices/", "/api/notices/", "limit", 100),
    ("/api/supervision/daily/{code}", "/api/supervision/daily/GC", "days", 90),
]
OFFSETS = [
    ("/api/people/", "/api/people/", "offset", MAX_OFFSET),
    ("/api/points/mine", "/api/points/mine", "offset", MAX_OFFSET),
    ("/api/points/ranking/{code}", "/api/points/ranking/GC", "page", MAX_OFFSET // 50),
]


@pytest.fixture
def office(county, county_officer) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(county_officer)
    return client


@pytest.fixture(scope="module")
def document() -> dict:
    from sanzhang.api import api

    return json.loads(json.dumps(api.get_openapi_schema()))


@pytest.mark.parametrize(("path", "url", "name", "largest"), LISTS + OFFSETS)
def test_the_document_shows_the_bound(document, path, url, name, largest) -> None:  # type: ignore[no-untyped-def]
    operation = document["paths"][documented(path)]["get"]
    (parameter,) = [p for p in operation["parameters"] if p["name"] == name]
    assert parameter["schema"]["maximum"] == largest


@pytest.mark.parametrize(("path", "url", "name", "largest"), LISTS)
def test_a_page_larger_than_the_bound_is_refused(office, document, path, url, name, largest):  # type: ignore[no-untyped-def]
    assert office.get(url, {name: largest}).status_code == 200
    for too_many in (largest + 1, 100000, 10**30):
        answer = office.get(url, {name: too_many})
        assert answer.status_code == 422, (url, too_many, answer.content)
        body = answer.json()
        assert problems(document, body, response_schema(document, path, "get", 422)) == []
        assert body["errors"] == [{"field": name, "message": f"请输入不大于 {largest} 的值。"}]
    for too_few in (0, -1):
        answer = office.get(url, {name: too_few})
        assert answer.status_code == 422, (url, too_few, answer.content)
        assert answer.json()["errors"][0]["field"] == name


@pytest.mark.parametrize(("path", "url", "name", "largest"), OFFSETS)
def test_an_offset_beyond_any_database_is_refused_not_a_server_error(  # type: ignore[no-untyped-def]
    office, path, url, name, largest
):
    assert office.get(url, {name: largest}).status_code == 200
    for beyond in (largest + 1, 2**63, 10**30):
        answer = office.get(url, {name: beyond})
        assert answer.status_code == 422, (url, beyond, answer.content)
        assert answer.json()["errors"][0]["field"] == name


def test_people_at_most_a_page_of_the_register(office) -> None:  # type: ignore[no-untyped-def]
    refused = office.get("/api/people/", {"limit": 100000})
    assert refused.status_code == 422
    assert "items" not in refused.json()
    page = office.get("/api/people/").json()
    assert len(page["items"]) <= 50


def test_a_full_page_holds_the_largest_number_and_no_more(county, office) -> None:  # type: ignore[no-untyped-def]
    from sanzhang.places.models import Place

    building = county.building_a1
    Place.objects.bulk_create(
        Place(
            code=f"{building.code}.U{n}",
            name=f"{n}单元",
            kind="unit",
            parent=building,
            depth=building.depth + 1,
        )
        for n in range(100, 100 + MAX_PAGE + 5)
    )
    page = office.get(f"/api/places/{building.code}/children", {"limit": MAX_PAGE}).json()
    assert (len(page["items"]), page["count"]) == (MAX_PAGE, MAX_PAGE + 5 + 2)
