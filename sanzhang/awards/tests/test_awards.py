"""A best leader campaign: nominations from the places, a shortlist with each nominee's record,
one vote per resident account (even from two phones at once), and the published result."""

from __future__ import annotations

import pytest
from django.test import Client

from sanzhang.awards import services
from sanzhang.awards.models import Campaign, Vote
from sanzhang.conftest import (
    build_county,
    make_household,
    make_leader,
    make_staff,
    needs_real_concurrency,
    simultaneously,
)
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.people.models import Person, Role, User
from sanzhang.posts.models import Post, PostKind
from sanzhang.visits.services import record_visit


def resident(county, n: int) -> User:  # type: ignore[no-untyped-def]
    household = make_household(county.unit_a1_1, f"{100 + n}")
    person = Person.objects.create(name=f"居民{n}", household=household)
    return User.objects.create_user(username=f"r{n}", role=Role.RESIDENT, person=person)


@pytest.fixture
def campaign(county, county_officer, community_staff, unit_leader):  # type: ignore[no-untyped-def]
    make_leader(county.building_a1, PostKind.BUILDING_LEADER, "building-leader", name="刘明")
    found = services.create_campaign(county_officer, title="2026年最美三长", winners=1)
    for place, kind in [
        (county.unit_a1_1, PostKind.UNIT_LEADER),
        (county.building_a1, PostKind.BUILDING_LEADER),
    ]:
        services.nominate(
            community_staff,
            found,
            post=Post.objects.get(place=place, kind=kind),
            reason="坚持每周敲门走访",
        )
    return found


@pytest.mark.django_db
def test_a_campaign_from_nomination_to_result(
    county, campaign, county_officer, community_staff, unit_leader
) -> None:
    unit_post = Post.objects.get(place=county.unit_a1_1)
    with pytest.raises(Conflict):  # nominated twice
        services.nominate(community_staff, campaign, post=unit_post, reason="再次提名")
    with pytest.raises(NotAllowed):
        services.nominate(unit_leader, campaign, post=unit_post, reason="自荐")
    household = make_household(county.unit_a1_1, "901")
    record_visit(unit_leader, client_key="v1", kind="door_knocking", household=household)
    nominations = list(campaign.nominations.order_by("pk"))
    services.shortlist(county_officer, campaign, nominations)
    nominations[0].refresh_from_db()
    assert nominations[0].record == {
        "points": 0,
        "visits": 1,
        "solved": 0,
        "satisfied": 0,
        "dissatisfied": 0,
    }
    voters = [resident(county, n) for n in range(3)]
    with pytest.raises(Conflict):  # not open yet
        services.vote(voters[0], campaign, nominations[0])
    services.open_voting(county_officer, campaign)
    services.vote(voters[0], campaign, nominations[1])
    services.vote(voters[1], campaign, nominations[1])
    services.vote(voters[2], campaign, nominations[0])
    with pytest.raises(Conflict, match="已经投过票"):
        services.vote(voters[0], campaign, nominations[0])
    with pytest.raises(NotAllowed):
        services.vote(unit_leader, campaign, nominations[0])
    services.publish(county_officer, campaign)
    campaign.refresh_from_db()
    assert campaign.stage == "published"
    assert [(r["name"], r["votes"], r["awarded"]) for r in campaign.result] == [
        ("刘明", 2, True),
        (nominations[0].person.name, 1, False),
    ]
    with pytest.raises(Invalid):
        services.shortlist(county_officer, campaign, [])


@needs_real_concurrency
@pytest.mark.django_db(transaction=True)
def test_one_account_voting_from_two_phones_at_once_counts_once() -> None:
    county = build_county()
    office = make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")
    make_leader(county.unit_a1_1, PostKind.UNIT_LEADER, "unit-leader")
    found = services.create_campaign(office, title="评选", winners=1)
    nomination = services.nominate(
        office, found, post=Post.objects.get(place=county.unit_a1_1), reason="事迹"
    )
    services.shortlist(office, found, [nomination])
    services.open_voting(office, found)
    voter = resident(county, 1)

    def vote(client: Client) -> int:
        return client.post(f"/awards/{found.pk}/vote/", {"nomination": nomination.pk}).status_code

    statuses = simultaneously([(voter, vote)] * 4)
    assert statuses == [302] * 4  # each phone is told, none fails
    assert Vote.objects.filter(campaign=found, voter=voter).count() == 1


@pytest.mark.django_db
def test_pages(client, county, campaign, county_officer) -> None:
    client.force_login(county_officer)
    page = client.get(f"/awards/{campaign.pk}/").content.decode()
    assert "最美三长" in page and "坚持每周敲门走访" in page and "拟定候选名单" in page
    voter = resident(county, 7)
    client.force_login(voter)
    assert client.get(f"/awards/{campaign.pk}/").status_code == 404  # not voting yet
    services.shortlist(county_officer, campaign, list(campaign.nominations.all()))
    services.open_voting(county_officer, campaign)
    nomination = campaign.nominations.first()
    client.post(f"/awards/{campaign.pk}/vote/", {"nomination": nomination.pk})
    page = client.get(f"/awards/{campaign.pk}/").content.decode()
    assert "感谢" in page and Campaign.objects.get().votes.count() == 1


@pytest.mark.django_db
def test_a_post_outside_the_area_reads_as_no_such_post(
    client, county, campaign, community_staff
) -> None:
    make_leader(county.area, PostKind.AREA_LEADER, "area-leader")
    client.force_login(community_staff)
    url = f"/awards/{campaign.pk}/nominate/"
    outside = client.post(
        url, {"place": county.area.code, "kind": "area_leader", "reason": "事迹"}, follow=True
    ).content.decode()
    missing = client.post(
        url, {"place": "GC.X99", "kind": "area_leader", "reason": "事迹"}, follow=True
    ).content.decode()
    assert "该地点没有这个岗位" in outside and "该地点没有这个岗位" in missing


@pytest.mark.django_db
def test_a_mangled_number_of_awards_is_refused_by_the_form(client, county, county_officer) -> None:
    client.force_login(county_officer)
    for winners in ["abc", "5.5", "0"]:
        page = client.post("/awards/", {"title": "评选", "winners": winners})
        assert page.status_code == 200
        assert "评选名额为 1 到 100 名" in page.content.decode()
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_mangled_ids_on_a_campaign_find_nothing(client, campaign, county_officer) -> None:
    client.force_login(county_officer)
    shortlisted = client.post(f"/awards/{campaign.pk}/shortlist/", {"nominations": ["x", "-1"]})
    assert shortlisted.status_code == 302
    assert not campaign.nominations.filter(shortlisted=True).exists()
    assert client.post(f"/awards/{campaign.pk}/vote/", {"nomination": "abc"}).status_code == 404
