"""Two counties in one install, under one province: the office, departments, staff, leaders and
residents of one see nothing of the other, on pages, API or in lists; the province's office sees
both."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db.models import QuerySet
from django.http import Http404
from django.test import Client

from sanzhang.conftest import County, build_county, make_household, make_leader, make_staff
from sanzhang.issues.access import issues_visible_to
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Issue
from sanzhang.people.models import Organisation, Person, Role, User
from sanzhang.people.services import people_visible_to
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.services import create_place
from sanzhang.posts.models import PostKind
from sanzhang.wishes.access import wishes_visible_to
from sanzhang.wishes.models import Wish
from sanzhang.wishes.services import post_wish

pytestmark = pytest.mark.django_db


@dataclass
class Side:
    county: County
    office: User
    department: User
    staff: User
    leader: User
    resident: User
    issue: Issue
    wish: Wish

    @property
    def users(self) -> list[User]:
        return [self.office, self.department, self.staff, self.leader, self.resident]


def _side(segment: str, name: str, province: Place) -> Side:
    county = build_county(segment, name, parent=province)
    dept = Organisation.Kind.DEPARTMENT
    leader = make_leader(county.unit_a1_1, PostKind.UNIT_LEADER, f"{segment}-unit")
    household = make_household(county.unit_a1_1, "301")
    person = Person.objects.create(name="李桂兰", household=household, phone="13700001234")
    resident = User.objects.create_user(
        username=f"{segment}-resident", role=Role.RESIDENT, person=person
    )
    issue = submit(resident, place=county.unit_a1_1, text="楼道里堆放杂物").issue
    wish = post_wish(resident, household=household, text="想要一副老花镜", for_person=person).wish
    return Side(
        county=county,
        office=make_staff(f"{segment}-office", Role.COUNTY_OFFICE, county.county, "county_office"),
        department=make_staff(f"{segment}-dept", Role.DEPARTMENT, county.county, dept),
        staff=make_staff(f"{segment}-staff", Role.COMMUNITY_STAFF, county.community, "committee"),
        leader=leader,
        resident=resident,
        issue=issue,
        wish=wish,
    )


def _people(user: User) -> QuerySet[Person]:
    try:
        return people_visible_to(user)
    except Http404:  # the role sees no one's records at all
        return Person.objects.none()


@pytest.fixture
def province() -> Place:
    return create_place(parent=None, kind=PlaceKind.PROVINCE, segment="JX", name="江西省")


@pytest.fixture
def sides(province: Place) -> tuple[Side, Side]:
    return _side("GC", "广昌县", province), _side("NF", "南丰县", province)


def test_nobody_of_one_county_sees_the_other_countys_things(sides) -> None:
    for mine, theirs in (sides, sides[::-1]):
        other = theirs.county.county.code
        for user in mine.users:
            assert not issues_visible_to(user).filter(place__code__under=other).exists()
            assert not wishes_visible_to(user).filter(place__code__under=other).exists()
            assert not Place.objects.visible_to(user).filter(code__under=other).exists()
            assert not _people(user).filter(household__place__code__under=other).exists()


def test_each_county_office_sees_its_own_county(sides) -> None:
    for side in sides:
        assert issues_visible_to(side.office).get() == side.issue
        assert wishes_visible_to(side.office).get() == side.wish
        assert Place.objects.visible_to(side.office).filter(kind=PlaceKind.COUNTY).get() == (
            side.county.county
        )


def test_the_other_countys_pages_and_api_answer_404(sides) -> None:
    mine, theirs = sides
    client = Client()
    client.force_login(mine.office)
    work = client.get("/issues/?all=1")
    assert work.status_code == 200
    assert mine.issue.number in work.text and theirs.issue.number not in work.text
    listed = client.get("/api/issues/").json()["items"]
    assert [row["number"] for row in listed] == [mine.issue.number]
    for url in (
        f"/issues/{theirs.issue.number}/",
        f"/api/issues/{theirs.issue.number}",
        f"/places/{theirs.county.county.code}/",
        f"/supervision/dashboard/{theirs.county.county.code}/",
        f"/wishes/{theirs.wish.pk}/",
    ):
        assert client.get(url).status_code == 404, url


def test_the_other_county_office_may_not_act_on_an_issue(sides) -> None:
    mine, theirs = sides
    client = Client()
    client.force_login(mine.office)
    answer = client.post(
        f"/api/issues/{theirs.issue.number}/confirm",
        {"version": theirs.issue.version},
        content_type="application/json",
    )
    assert answer.status_code == 404
    theirs.issue.refresh_from_db()
    assert theirs.issue.version == 1


def test_a_province_office_sees_both_counties(sides, province: Place) -> None:
    office = make_staff("jx-office", Role.COUNTY_OFFICE, province, "county_office")
    assert set(issues_visible_to(office)) == {side.issue for side in sides}
    assert set(wishes_visible_to(office)) == {side.wish for side in sides}


def test_an_award_campaign_is_its_countys_own(sides) -> None:
    from sanzhang.awards import services as awards
    from sanzhang.awards.models import Campaign
    from sanzhang.core.errors import NotAllowed
    from sanzhang.posts.models import Post

    mine, theirs = sides
    campaign = awards.create_campaign(mine.office, title="2026年最美三长", winners=1)
    post = Post.objects.get(place=mine.county.unit_a1_1)
    nomination = awards.nominate(mine.office, campaign, post=post, reason="每天巡楼")
    with pytest.raises(NotAllowed):  # their office may not nominate into our campaign
        theirs_post = Post.objects.get(place=theirs.county.unit_a1_1)
        awards.nominate(theirs.office, campaign, post=theirs_post, reason="x")
    awards.shortlist(mine.office, campaign, [nomination])
    awards.open_voting(mine.office, campaign)
    assert Campaign.objects.get(pk=campaign.pk).stage == Campaign.Stage.VOTING
    for user in theirs.users:
        assert not awards.campaigns_visible_to(user).exists()
    assert awards.campaigns_visible_to(mine.resident).get() == campaign
    with pytest.raises(NotAllowed):
        awards.vote(theirs.resident, campaign, nomination)
    client = Client()
    client.force_login(theirs.office)
    assert client.get(f"/awards/{campaign.pk}/").status_code == 404


def test_a_county_office_imports_only_its_own_places(sides) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanzhang.places.tests.data.files import csv_bytes

    mine, theirs = sides
    community = theirs.county.community
    renamed = [[community.code, theirs.county.county.code, "社区", "改名社区", "", "", ""]]
    client = Client()
    client.force_login(mine.office)
    upload = SimpleUploadedFile("places.csv", csv_bytes(renamed), content_type="text/csv")
    page = client.post("/places/import/", {"file": upload}).content.decode()
    assert "该地点不在您的辖区内" in page
    community.refresh_from_db()
    assert community.name == "莲花社区"
