from django.test import Client

from sanzhang.conftest import County


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_openapi_document_lists_the_places_people_and_posts_endpoints(
    county: County, county_officer
):
    schema = signed_in(county_officer).get("/api/openapi.json").json()
    listed = {"/api/v1/places/", "/api/v1/places/{code}", "/api/v1/people/", "/api/v1/posts/"}
    assert listed <= set(schema["paths"])


def test_api_docs_page_is_served_without_a_cdn(county: County, county_officer):
    body = signed_in(county_officer).get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower()


def test_place_api_gives_code_kind_and_parent(county: County, county_officer):
    client = Client()
    client.force_login(county_officer)
    data = client.get(f"/api/places/{county.unit_a1_1.code.lower()}").json()
    assert data["code"] == "GC.C01.G01.B01.U1"
    assert (data["kind"], data["parent_code"], data["depth"]) == ("unit", "GC.C01.G01.B01", 4)


def test_place_list_filters_by_kind_and_name(county: County, county_officer):
    client = Client()
    client.force_login(county_officer)
    items = client.get("/api/places/", {"kind": "grid", "q": "上屋"}).json()["items"]
    assert [item["code"] for item in items] == ["GC.D01.A01.G01"]


def test_coverage_api(county: County, county_officer, unit_leader):
    client = Client()
    client.force_login(county_officer)
    levels = client.get(f"/api/places/{county.building_a1.code}/coverage").json()
    assert {row["kind"]: (row["covered"], row["total"]) for row in levels} == {
        "building": (0, 1),
        "unit": (1, 2),
    }
