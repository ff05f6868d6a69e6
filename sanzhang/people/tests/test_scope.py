"""Row-level scope, from both sides: what each standing user may and may not reach,
through the pages and through the API (SECURITY.md promise 6: 404 outside one's subtree)."""

import pytest
from django.test import Client

from sanzhang.conftest import County, make_household
from sanzhang.people.models import Person
from sanzhang.posts.models import Tenure


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def place_urls(code: str) -> list[str]:
    return [
        f"/places/{code}/",
        f"/places/{code}/coverage/",
        f"/api/places/{code}",
        f"/api/places/{code}/children",
        f"/api/places/{code}/coverage",
        f"/api/posts/?under={code}",
    ]


def person_urls(person: Person) -> list[str]:
    return [f"/people/{person.pk}/", f"/api/people/{person.pk}"]


@pytest.fixture
def residents(county: County) -> dict[str, Person]:
    return {
        "own_unit": make_household(county.unit_a1_1, "101").members.get(),
        "neighbouring_building": make_household(county.unit_a2_1, "201").members.get(),
        "other_grid": make_household(county.unit_b1_1, "301").members.get(),
    }


def test_unit_leader_reaches_their_own_unit(county, unit_leader, residents):
    client = client_for(unit_leader)
    for url in place_urls(county.unit_a1_1.code) + person_urls(residents["own_unit"]):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("target", ["neighbouring_building", "other_grid"])
def test_unit_leader_cannot_see_beyond_their_unit(county, unit_leader, residents, target):
    client = client_for(unit_leader)
    place = {"neighbouring_building": county.building_a2, "other_grid": county.grid_b}[target]
    for url in place_urls(place.code) + person_urls(residents[target]):
        if url.startswith("/api/posts/"):
            assert client.get(url).json()["items"] == [], url
        else:
            assert client.get(url).status_code == 404, url


def test_colleague_in_the_same_grid_sees_their_building_but_not_the_unit_leaders(
    county, colleague, residents
):
    client = client_for(colleague)
    assert client.get(f"/places/{county.building_a2.code}/").status_code == 200
    assert client.get(f"/places/{county.unit_a1_1.code}/").status_code == 404
    assert client.get(f"/people/{residents['neighbouring_building'].pk}/").status_code == 200
    assert client.get(f"/people/{residents['own_unit'].pk}/").status_code == 404


def test_outsider_of_another_grid_sees_nothing_of_grid_a(county, outsider, residents):
    client = client_for(outsider)
    for url in place_urls(county.grid_a.code) + person_urls(residents["own_unit"]):
        if url.startswith("/api/posts/"):
            assert client.get(url).json()["items"] == [], url
        else:
            assert client.get(url).status_code == 404, url
    assert client.get(f"/people/{residents['other_grid'].pk}/").status_code == 200


def test_county_office_sees_every_place_and_resident(county, county_officer, residents):
    client = client_for(county_officer)
    for person in residents.values():
        assert client.get(f"/api/people/{person.pk}").status_code == 200
    assert client.get(f"/places/{county.rural_grid.code}/").status_code == 200


def test_community_staff_see_their_community_but_not_the_villages(
    county, community_staff, residents
):
    client = client_for(community_staff)
    assert client.get(f"/places/{county.grid_b.code}/").status_code == 200
    assert client.get(f"/places/{county.rural_grid.code}/").status_code == 404


def test_people_list_holds_only_residents_in_scope(county, unit_leader, residents):
    names = client_for(unit_leader).get("/api/people/").json()["items"]
    assert [row["id"] for row in names] == [residents["own_unit"].pk]


def test_a_leader_who_stood_down_loses_the_scope(county, unit_leader, residents):
    Tenure.objects.filter(person=unit_leader.person).update(ended_on="2026-01-01")
    client = client_for(unit_leader)
    assert client.get(f"/places/{county.unit_a1_1.code}/").status_code == 404


def test_anonymous_users_are_sent_to_log_in_and_the_api_refuses_them(county):
    assert Client().get(f"/places/{county.county.code}/").status_code == 302
    assert Client().get("/api/places/").status_code == 401


def test_work_card_only_within_scope(county, unit_leader, outsider):
    tenure = Tenure.objects.get(person=unit_leader.person)
    response = client_for(unit_leader).get(f"/posts/tenure/{tenure.pk}/card.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert client_for(outsider).get(f"/posts/tenure/{tenure.pk}/card.pdf").status_code == 404
