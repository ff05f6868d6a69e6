"""Every URL, page and API, is fetched by the holder of the thing it shows, by a colleague in
the same grid and by an outsider in another grid (as NetBox generates its view tests from the
URL configuration). The routes come from the resolver, so a new route fails
`test_every_url_is_in_the_table` until it is given a row here or an exemption with a reason.

The rule: whoever owns the thing gets it; an outsider gets 404, never a 403 that would tell
them the thing exists. A 403 is kept only where a role may not use the page at all, whatever
the object (the row says so)."""

from __future__ import annotations

import datetime
import io
import json
import re
from collections.abc import Callable
from functools import cached_property
from typing import Any

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from sanzhang.awards import services as awards
from sanzhang.awards.models import Campaign
from sanzhang.conftest import County, make_household, make_staff
from sanzhang.issues import meetings
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Issue, IssuePhoto, Meeting
from sanzhang.party.models import PartyOrganisation
from sanzhang.people.models import Household, PartyMember, Person, Role, User
from sanzhang.posts.models import Post, Tenure
from sanzhang.supervision import monthly, notices, rectification
from sanzhang.supervision.models import MonthlyReport, Notice, RectificationItem
from sanzhang.vetting import services as vetting_services
from sanzhang.vetting.models import Vetting
from sanzhang.volunteers import services as volunteers
from sanzhang.volunteers.models import Task, Volunteer
from sanzhang.wishes import services as wishes
from sanzhang.wishes.models import Wish

from .urlwalk import Route, routes

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


class World:
    """One holder's things in grid A of the small county, each built when a row first asks for
    it (a row builds only what its URL needs), and the users who look at them."""

    def __init__(self, county: County, users: dict[str, User]) -> None:
        self.county = county
        self.users = users

    @cached_property
    def household(self) -> Household:
        return make_household(self.county.unit_a1_1, "301")

    @cached_property
    def party_group(self) -> PartyOrganisation:
        """Unit 1's party group under grid A's branch (党小组 under 网格党支部)."""
        branch = PartyOrganisation.objects.create(
            kind=PartyOrganisation.Kind.BRANCH, name="第一网格党支部", place=self.county.grid_a
        )
        return PartyOrganisation.objects.create(
            kind=PartyOrganisation.Kind.GROUP,
            name="1单元党小组",
            place=self.county.unit_a1_1,
            parent=branch,
        )

    @cached_property
    def resident(self) -> Person:
        return self.household.members.get()

    @cached_property
    def issue(self) -> Issue:
        """Reported by the resident of unit 1, who let it be shown on the board."""
        found = submit(
            self.users["resident"],
            place=self.county.unit_a1_1,
            text="楼道里堆放杂物",
            household=self.household,
            public_consent=True,
        )
        return found.issue

    @cached_property
    def photo(self) -> IssuePhoto:
        photo = IssuePhoto(issue=self.issue, uploaded_by=self.users["holder"], size=1)
        photo.image.save("photo.jpg", _jpeg(), save=True)
        return photo

    @cached_property
    def member(self) -> Person:
        """A party member living in unit 1."""
        person = Person.objects.create(name="党员甲", household=self.household, phone="13911112222")
        PartyMember.objects.create(
            person=person, community=self.county.community, registered_on=datetime.date(2024, 3, 1)
        )
        return person

    @cached_property
    def wish(self) -> Wish:
        return wishes.post_wish(
            self.users["resident"], household=self.household, text="想要一副老花镜"
        ).wish

    @cached_property
    def fulfilled_wish(self) -> Wish:
        """A second wish of unit 1, claimed by the holder and fulfilled with a photo."""
        wish = wishes.post_wish(
            self.users["resident"], household=self.household, text="想修好轮椅"
        ).wish
        wishes.approve(wish, self.users["staff"])
        wishes.claim(wish, self.users["holder"])
        upload = SimpleUploadedFile("photo.jpg", _jpeg().read(), content_type="image/jpeg")
        wishes.fulfil(wish, self.users["holder"], note="已修好", photo=upload)
        return wish

    @cached_property
    def rider(self) -> Volunteer:
        """The resident, registered as a food-delivery rider of the community."""
        return volunteers.register(
            self.users["staff"],
            person=self.resident,
            kind="food_delivery",
            company="美团",
            place=self.county.community,
            leader_post=self.post,
        )

    @cached_property
    def meeting(self) -> Meeting:
        today = timezone.localdate()
        return meetings.schedule(self.users["office"], title="联席会议", held_on=today)

    @cached_property
    def item(self) -> RectificationItem:
        return _rectification_item(self.county, self.users["holder"], self.users["office"])

    @cached_property
    def report(self) -> MonthlyReport:
        """The county's monthly report (the office's alone)."""
        month = datetime.date(2026, 11, 1)
        figures = monthly.compute(self.county.county, month)
        return MonthlyReport.objects.create(place=self.county.county, month=month, figures=figures)

    @cached_property
    def notice(self) -> Notice:
        """A published notice concerning grid A."""
        notice = notices.save_draft(
            self.users["office"],
            None,
            title="第一网格通报",
            kind="criticism",
            body="超期未办",
            places=[self.county.grid_a],
            issue_numbers=[],
        )
        return notices.publish(notice, self.users["office"])

    @cached_property
    def campaign(self) -> Campaign:
        return awards.create_campaign(self.users["office"], title="2026年最美三长", winners=1)

    @cached_property
    def task(self) -> Task:
        """A volunteer task in grid A."""
        return volunteers.post_task(
            self.users["staff"],
            place=self.county.grid_a,
            title="为独居老人送菜",
            description="每周六上午",
            slots=2,
            starts_at=timezone.now() + datetime.timedelta(days=2),
        )

    @cached_property
    def post(self) -> Post:
        return Post.objects.get(place=self.county.unit_a1_1)

    @cached_property
    def tenure(self) -> Tenure:
        return Tenure.objects.get(post=self.post)


def _jpeg() -> ContentFile[bytes]:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(out, "JPEG")
    return ContentFile(out.getvalue(), name="photo.jpg")


def _at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def _rectification_item(county: County, reporter: User, office: User) -> RectificationItem:
    """An issued weekly list of grid A's community, holding one overdue issue of unit 1."""
    with time_machine.travel(_at("2026-11-16 10:00"), tick=False):
        submit(reporter, place=county.unit_a1_1, text="楼道灯坏了", channel="patrol")
    with time_machine.travel(_at("2026-11-23 08:00"), tick=False):
        (the_list,) = rectification.draft_week(datetime.date(2026, 11, 16))
        item: RectificationItem = the_list.items.get()
        rectification.edit_item(
            item,
            office,
            description="请说明超期原因并办结",
            responsible_post=Post.objects.get(place=county.unit_a1_1),
            responsible_organisation=None,
            deadline=datetime.date(2026, 11, 27),
        )
        rectification.issue_list(the_list, office)
    return item


@pytest.fixture(autouse=True)
def fast_passwords(settings) -> None:  # type: ignore[no-untyped-def]
    """Hashing seven passwords properly costs seconds per row; these tests log in by force."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(  # type: ignore[no-untyped-def]
    county, unit_leader, colleague, outsider, county_officer, community_staff, settings, tmp_path
) -> World:
    settings.MEDIA_ROOT = tmp_path
    household = make_household(county.unit_a1_1, "301")
    resident = User.objects.create_user(
        username="resident", role=Role.RESIDENT, person=household.members.get()
    )
    stranger_home = make_household(county.unit_b1_1, "101", name="赵大妈")
    stranger = User.objects.create_user(
        username="stranger", role=Role.RESIDENT, person=stranger_home.members.get()
    )
    found = World(
        county,
        {
            "holder": unit_leader,
            "colleague": colleague,
            "outsider": outsider,
            "office": county_officer,
            "staff": community_staff,
            "resident": resident,
            "stranger": stranger,
        },
    )
    found.household = household  # cached_property: the resident's own household
    return found


# How to fill each route's arguments from the world (a route not here needs none).
Args = Callable[[World], dict[str, Any]]
UNIT: Args = lambda w: {"code": w.county.unit_a1_1.code}  # noqa: E731
ISSUE: Args = lambda w: {"number": w.issue.number}  # noqa: E731
GRID: Args = lambda w: {"code": w.county.grid_a.code}  # noqa: E731
WISH: Args = lambda w: {"wish_id": w.wish.pk}  # noqa: E731
ARGS: dict[str, Args] = {
    "places:import-template": lambda w: {"fmt": "xlsx"},
    "register:template": lambda w: {"fmt": "xlsx"},
    "register:export": lambda w: {"fmt": "xlsx"},
    "register:household-edit": lambda w: {"pk": w.resident.household_id},
    "register:resident-new": lambda w: {"pk": w.resident.household_id},
    "register:resident-edit": lambda w: {"pk": w.resident.pk},
    "register:household": lambda w: {"pk": w.resident.household_id},
    "places:detail": UNIT,
    "places:coverage": UNIT,
    "places:edit": UNIT,
    "people:detail": lambda w: {"pk": w.resident.pk},
    "people:reveal": lambda w: {"pk": w.resident.pk},
    "posts:work-card": lambda w: {"pk": w.tenure.pk},
    "posts:detail": lambda w: {"pk": w.post.pk},
    "posts:appoint": UNIT,
    "posts:stand-down": lambda w: {"pk": w.tenure.pk},
    "issues:meeting": lambda w: {"meeting_id": w.meeting.pk},
    "issues:detail": ISSUE,
    "issues:photo": lambda w: {"number": w.issue.number, "photo_id": w.photo.pk},
    "issues:act": lambda w: {"number": w.issue.number, "action": "confirm"},
    "supervision:dashboard": UNIT,
    "supervision:dashboard_map": UNIT,
    "supervision:dashboard_export": UNIT,
    "supervision:daily": UNIT,
    "supervision:daily_export": UNIT,
    "supervision:rectification_list": lambda w: {"list_id": w.item.rectification_list_id},
    "supervision:rectification_issue": lambda w: {"list_id": w.item.rectification_list_id},
    "supervision:rectification_export": lambda w: {"list_id": w.item.rectification_list_id},
    "supervision:rectification_act": lambda w: {"item_id": w.item.pk, "action": "answer"},
    "supervision:monthly": lambda w: {"report_id": w.report.pk},
    "supervision:monthly_meeting": lambda w: {"report_id": w.report.pk},
    "supervision:monthly_xlsx": lambda w: {"report_id": w.report.pk},
    "supervision:monthly_pdf": lambda w: {"report_id": w.report.pk},
    "supervision:notice": lambda w: {"notice_id": w.notice.pk},
    "supervision:notice_edit": lambda w: {"notice_id": w.notice.pk},
    "supervision:notice_publish": lambda w: {"notice_id": w.notice.pk},
    "supervision:notice_pdf": lambda w: {"notice_id": w.notice.pk},
    "visits:coverage": UNIT,
    "awards:campaign": lambda w: {"campaign_id": w.campaign.pk},
    "awards:act": lambda w: {"campaign_id": w.campaign.pk, "action": "vote"},
    "volunteers:task": lambda w: {"task_id": w.task.pk},
    "volunteers:join": lambda w: {"task_id": w.task.pk},
    "wishes:place": UNIT,
    "wishes:export": UNIT,
    "wishes:detail": WISH,
    "wishes:photo": lambda w: {"wish_id": w.fulfilled_wish.pk},
    "wishes:act": lambda w: {"wish_id": w.wish.pk, "action": "claim"},
    "points:member": lambda w: {"person_id": w.member.pk},
    "points:ranking": GRID,
    "points:ranking_export": GRID,
    "resident:detail": ISSUE,
    "public_issues": UNIT,
    "public_photo": lambda w: {"code": w.county.unit_a1_1.code, "photo_id": w.photo.pk},
    "board:place": UNIT,
    "api:get_place": UNIT,
    "api:list_children": UNIT,
    "api:get_coverage": UNIT,
    "api:get_person": lambda w: {"person_id": w.resident.pk},
    "api:get_issue": ISSUE,
    "api:get_meeting": lambda w: {"meeting_id": w.meeting.pk},
    "api:daily": UNIT,
    "api:dashboard": UNIT,
    "api:get_wish": WISH,
    "api:place_ranking": GRID,
    "open311:discovery": lambda w: {"fmt": "json"},
    "open311:services": lambda w: {"fmt": "xml"},
    "open311:service": lambda w: {"code": "sanitation", "fmt": "json"},
    "open311:requests": lambda w: {"fmt": "json"},
    "open311:request": lambda w: {"number": w.issue.number, "fmt": "xml"},
    "open311:token": lambda w: {"token": w.issue.number, "fmt": "json"},
    # party
    "party:organisation": lambda w: {"pk": w.party_group.pk},
    "api:get_party_organisation": lambda w: {"organisation_id": w.party_group.pk},
    # training
    "training:course": lambda w: {"course_id": _training_session(w).course_id},
    "training:session": lambda w: {"session_id": _training_session(w).pk},
    "training:sign_in": lambda w: {"token": _training_session(w).token},
    # partners (共建单位)
    "partners:unit": lambda w: {"unit_id": _partners_agreement(w).unit_id},
    "partners:agreement": lambda w: {"agreement_id": _partners_agreement(w).pk},
    # vetting
    "vetting:detail": lambda w: {"vetting_id": _vetting_in_grid_b(w).pk},
    # evaluations
    "evaluations:results": lambda w: {"period_id": _evaluation(w).pk},
    "evaluations:export": lambda w: {"period_id": _evaluation(w).pk},
}


def _evaluation(w: World) -> Any:
    """The county's open evaluation, in which the resident rated the holder (unit 1's leader)."""
    if "evaluation" not in w.__dict__:
        from sanzhang.evaluations import services as evaluations

        today = timezone.localdate()
        period = evaluations.open_period(
            w.users["office"],
            title="本季度评议",
            starts_on=today - datetime.timedelta(days=1),
            ends_on=today + datetime.timedelta(days=30),
        )
        evaluations.evaluate(w.users["resident"], period, w.tenure, "satisfied")
        w.__dict__["evaluation"] = period
    return w.__dict__["evaluation"]


ROUTES = {route.name: route for route in routes()}


def _fill(path: str, converters: dict[str, str], values: dict[str, Any]) -> str:
    for arg in converters:
        path = re.sub(rf"<(\w+:)?{arg}>", str(values[arg]), path)
    return path


def url_of(route: Route, world: World) -> str:
    """The route's path with its arguments filled from the world."""
    values = ARGS[route.name](world) if route.converters else {}
    assert set(values) == set(route.converters), route.name
    return _fill(route.path, route.converters, values)


# What each role gets. The holder is the unit leader of unit 1 (grid A); the colleague leads
# building 2 of grid A, so unit 1 is outside their subtree and they get what an outsider gets,
# except for things concerning the whole grid; the outsider leads grid B. The office and the
# community's staff see the whole county and community; the resident lives in unit 1, the
# stranger in grid B. 403: the role may not use the page at all (residents at staff pages, a
# capability check); 404: outside the user's area, or a page whose very existence is the
# office's business.
Expect = dict[str, int | tuple[int, ...]]
EVERYONE: Expect = dict.fromkeys(
    ["holder", "colleague", "outsider", "office", "staff", "resident", "stranger"], 200
)
REFUSED = (403, 404)  # no resident view of a staff page: a capability check, before any lookup
FRONT_LINE: Expect = {**EVERYONE, "resident": REFUSED, "stranger": REFUSED}
IN_UNIT_1: Expect = {**FRONT_LINE, "colleague": 404, "outsider": 404}
OFFICE_ONLY: Expect = {**FRONT_LINE, "holder": 404, "colleague": 404, "outsider": 404, "staff": 404}
NOT_LEADERS: Expect = {**FRONT_LINE, "holder": 404, "colleague": 404, "outsider": 404}
RESIDENTS: Expect = {**dict.fromkeys(EVERYONE, 404), "resident": 200, "stranger": 200}
REDIRECT_HOME: Expect = {**FRONT_LINE, **dict.fromkeys(["holder", "colleague", "outsider"], 302)}


def expect(base: Expect, **changes: int | tuple[int, ...]) -> Expect:
    return {**base, **changes}


SEEN_BY = ("holder", "resident")
HIDDEN_FROM = ("colleague", "outsider", "stranger")
# Lists whose thing the holder does not see either (only the staff and the office do).
STAFF_SEE_IT: dict[str, str] = {
    "people:party-members": "members are listed by the community they are registered in, "
    "which lies above a unit leader's post (points:member also looks at where they live)",
}
# Text the holder's page shows and the outsider's and colleague's must not (lists only).
Secret = Callable[[World], str]
ISSUE_NUMBER: Secret = lambda w: w.issue.number  # noqa: E731
OWN_WISH: Secret = lambda w: w.wish.text  # noqa: E731
IN_PEOPLE: Secret = lambda w: w.resident.name  # noqa: E731
MEMBER: Secret = lambda w: w.member.name  # noqa: E731


def ITEM(w: World) -> str:  # a secret, like those above
    assert w.item.issue is not None  # a weekly finding is always about an issue
    return w.item.issue.number


RIDER: Secret = lambda w: w.rider.place.name  # noqa: E731
COUNCIL_NAME: Secret = lambda w: _council_meeting(w).council.name  # noqa: E731

TABLE: list[tuple[str, Expect, Secret | None]] = [
    ("console:home", EVERYONE, None),
    ("password_change", EVERYONE, None),
    ("tokens", EVERYONE, None),  # each lists their own tokens (the office also its systems')
    # The second factor's pages: one's own device, for the roles asked for it (here the office,
    # which has no device yet: the code page leads to the set-up page).
    ("otp", expect(dict.fromkeys(EVERYONE, 404), office=200), None),
    ("otp-setup", expect(dict.fromkeys(EVERYONE, 404), office=200), None),
    ("otp-verify", expect(dict.fromkeys(EVERYONE, 404), office=302), None),
    ("api:list_tokens", EVERYONE, None),
    ("places:browse", EVERYONE, None),
    ("places:search", EVERYONE, None),
    ("places:import", OFFICE_ONLY, None),
    ("places:import-template", OFFICE_ONLY, None),
    ("places:detail", IN_UNIT_1, None),
    ("places:coverage", IN_UNIT_1, None),
    ("places:edit", NOT_LEADERS, None),
    ("people:list", FRONT_LINE, IN_PEOPLE),
    ("people:party-members", FRONT_LINE, MEMBER),
    ("people:detail", IN_UNIT_1, None),
    ("register:import", NOT_LEADERS, None),
    ("register:template", NOT_LEADERS, None),
    ("register:export", NOT_LEADERS, None),
    ("register:household", IN_UNIT_1, None),
    # Leaders see the household but may not change it: 403 for the one who sees it.
    ("register:household-new", NOT_LEADERS, None),
    ("register:household-edit", expect(IN_UNIT_1, holder=403), None),
    ("register:resident-new", expect(IN_UNIT_1, holder=403), None),
    ("register:resident-edit", expect(IN_UNIT_1, holder=403), None),
    ("signup:home", expect(dict.fromkeys(EVERYONE, 404), resident=302, stranger=302), None),
    (
        "signup:requests",
        expect(dict.fromkeys(EVERYONE, 404), holder=200, colleague=200, outsider=200, staff=200),
        None,
    ),
    (
        "signup:invitations",
        expect(dict.fromkeys(EVERYONE, 404), office=200, staff=200),
        None,
    ),
    ("signup:party", EVERYONE, None),  # a member's own registration; no one else's
    ("notifications:inbox", EVERYONE, None),  # each reads their own notices
    (
        "supervision:callbacks",
        expect(dict.fromkeys(EVERYONE, 404), office=200, staff=200),
        None,
    ),
    (
        "signup:party-registrations",
        expect(dict.fromkeys(EVERYONE, 404), office=200, staff=200),
        None,
    ),
    ("posts:list", EVERYONE, None),  # who holds which post is public (the noticeboard shows it)
    ("posts:work-card", IN_UNIT_1, None),
    ("posts:detail", IN_UNIT_1, None),
    ("posts:appoint", NOT_LEADERS, None),
    ("issue_rules", OFFICE_ONLY, None),
    ("issues:work", FRONT_LINE, ISSUE_NUMBER),
    ("issues:record", expect(FRONT_LINE, office=404), None),
    ("issues:places", FRONT_LINE, None),  # the work list's place filter: places in scope by name
    ("issues:meetings", OFFICE_ONLY, None),
    ("issues:meeting", OFFICE_ONLY, None),
    ("issues:detail", expect(IN_UNIT_1, resident=302, stranger=404), None),
    ("issues:photo", expect(IN_UNIT_1, resident=200, stranger=404), None),
    ("supervision:dashboard_home", expect(REDIRECT_HOME, office=302, staff=302), None),
    ("supervision:dashboard", IN_UNIT_1, None),
    ("supervision:dashboard_map", IN_UNIT_1, None),
    ("supervision:dashboard_export", IN_UNIT_1, None),
    ("supervision:daily_home", expect(FRONT_LINE, office=302, staff=302), None),
    ("supervision:daily", IN_UNIT_1, None),
    ("supervision:daily_export", IN_UNIT_1, None),
    ("supervision:weekly", FRONT_LINE, None),
    ("supervision:weekly_mine", FRONT_LINE, ITEM),
    ("supervision:rectification_list", IN_UNIT_1, None),
    ("supervision:rectification_export", IN_UNIT_1, None),
    ("supervision:monthly_list", FRONT_LINE, None),
    ("supervision:monthly", OFFICE_ONLY, None),
    ("supervision:monthly_xlsx", OFFICE_ONLY, None),
    ("supervision:monthly_pdf", OFFICE_ONLY, None),
    ("supervision:notices", FRONT_LINE, None),
    ("supervision:notice_new", OFFICE_ONLY, None),
    # The notice concerns grid A: the colleague in grid A reads it too.
    ("supervision:notice", expect(IN_UNIT_1, colleague=200), None),
    ("supervision:notice_edit", expect(OFFICE_ONLY, office=302), None),  # published: read only
    ("supervision:notice_pdf", expect(IN_UNIT_1, colleague=200), None),
    ("visits:record", expect(FRONT_LINE, office=403), None),
    ("visits:coverage", IN_UNIT_1, None),
    ("awards:list", EVERYONE, None),
    # A campaign is the county's: every front-line user and resident of the county sees it.
    # (Residents see a campaign only once it opens for votes.)
    ("awards:campaign", expect(EVERYONE, resident=404, stranger=404), None),
    ("volunteers:list", FRONT_LINE, None),
    ("volunteers:tasks", FRONT_LINE, None),
    # The rider's own page: the resident is registered as a rider; no one else is one.
    ("volunteers:me", expect(dict.fromkeys(EVERYONE, 404), resident=200), RIDER),
    # A task of grid A is the staff's business; leaders' posts lie under or beside it.
    ("volunteers:task", NOT_LEADERS, None),
    ("wishes:browse", expect(FRONT_LINE, office=403, staff=403), None),
    # The open wishes' place filter: places of the counties whose wishes they may claim.
    ("wishes:places", expect(FRONT_LINE, office=403, staff=403), None),
    ("wishes:claimed", expect(FRONT_LINE, office=403, staff=403), None),
    ("wishes:review", expect(FRONT_LINE, holder=403, colleague=403, outsider=403), None),
    ("wishes:new", FRONT_LINE, None),
    ("wishes:place", IN_UNIT_1, None),
    ("wishes:export", IN_UNIT_1, None),
    # A wish awaiting its check. Once checked, a wish is shown to every claimer in the county
    # (post holders among them) without the household's details, by design.
    ("wishes:detail", expect(IN_UNIT_1, resident=200, stranger=404), None),
    ("wishes:photo", expect(IN_UNIT_1, resident=200, stranger=404), None),
    ("resident_wishes", RESIDENTS, OWN_WISH),
    ("points:mine", EVERYONE, None),
    ("points:member", IN_UNIT_1, None),
    ("points:rules", expect(OFFICE_ONLY, holder=403, colleague=403, outsider=403, staff=403), None),
    ("points:ranking", NOT_LEADERS, None),  # grid A's ranking: above the unit leader's post
    (
        "points:ranking_export",
        expect(FRONT_LINE, holder=403, colleague=403, outsider=403, staff=403),
        None,
    ),
    ("resident:report", RESIDENTS, None),
    ("resident:mine", RESIDENTS, ISSUE_NUMBER),
    ("resident:places", RESIDENTS, None),  # places of their own county by name
    ("resident:map", RESIDENTS, None),  # the grids of their own community or township
    ("resident:similar", RESIDENTS, None),  # reports others allowed to be shown, nearby
    ("resident:detail", expect(RESIDENTS, stranger=404), None),
    ("api:list_places", EVERYONE, None),
    ("api:get_place", IN_UNIT_1, None),
    ("api:list_children", IN_UNIT_1, None),
    ("api:get_coverage", IN_UNIT_1, None),
    ("api:list_people", FRONT_LINE, IN_PEOPLE),
    ("api:get_person", IN_UNIT_1, None),
    ("api:list_holders", EVERYONE, None),
    ("api:list_categories", EVERYONE, None),
    ("api:list_issues", EVERYONE, ISSUE_NUMBER),
    ("api:issue_feed", EVERYONE, ISSUE_NUMBER),
    ("api:get_issue", expect(IN_UNIT_1, resident=200, stranger=404), None),
    ("api:get_meeting", OFFICE_ONLY, None),
    ("api:daily", IN_UNIT_1, None),
    ("api:dashboard", IN_UNIT_1, None),
    ("api:my_items", FRONT_LINE, ITEM),
    ("api:list_notices", FRONT_LINE, None),
    ("api:list_wishes", EVERYONE, OWN_WISH),
    ("api:get_wish", expect(IN_UNIT_1, resident=200, stranger=404), None),
    ("api:my_ledger", EVERYONE, None),
    ("api:place_ranking", NOT_LEADERS, None),
    # Open311 shows what the public board shows, to anyone; only an api_key narrows it (to its
    # account's scope) or posts: a session changes nothing (open311/tests).
    ("open311:discovery", EVERYONE, None),
    ("open311:services", EVERYONE, None),
    ("open311:service", EVERYONE, None),
    ("open311:requests", EVERYONE, None),
    ("open311:request", EVERYONE, None),
    ("open311:token", EVERYONE, None),
    # party: the tree and export show each their own part; a group at unit 1 is the holder's.
    ("party:tree", FRONT_LINE, None),
    ("party:export", FRONT_LINE, None),
    ("party:import", NOT_LEADERS, None),
    ("party:template", NOT_LEADERS, None),
    ("party:organisation", IN_UNIT_1, None),
    ("api:list_party_organisations", FRONT_LINE, None),
    ("api:get_party_organisation", IN_UNIT_1, None),
    # training: the community's evening class, run by its staff (the county office sees it too)
    ("training:home", expect(FRONT_LINE, holder=403, colleague=403, outsider=403), None),
    ("training:course", expect(FRONT_LINE, holder=403, colleague=403, outsider=403), None),
    ("training:session", expect(FRONT_LINE, holder=403, colleague=403, outsider=403), None),
    # The QR code's page: whoever holds the secret sees the class (staff are told they do
    # not sign in); an unknown secret is 404 (training/tests).
    ("training:sign_in", EVERYONE, None),
    ("training:records", expect(FRONT_LINE, holder=403, colleague=403, outsider=403), None),
    ("training:mine", expect(EVERYONE, office=403, staff=403), None),  # one's own classes
    # vetting: confidential. Only the organisation department of the county (no such account
    # here) and the reviewers assigned see a vetting; 404 for everyone else, office included.
    ("vetting:list", dict.fromkeys(EVERYONE, 404), None),
    ("vetting:new", dict.fromkeys(EVERYONE, 404), None),
    ("vetting:export", dict.fromkeys(EVERYONE, 404), None),
    # A cadre living in grid B: its leader (the "outsider") is the reviewer; the stranger, who
    # lives in grid B, and the staff and office over it get 404 like everyone else.
    ("vetting:detail", expect(dict.fromkeys(EVERYONE, 404), outsider=200), None),
    # councils (issue 14): the community's council, where the holder (a 三长 seat) and the
    # resident (a residents' representative) hold seats; leaders and staff see councils of
    # their area, a resident without a seat none.
    ("councils:list", expect(FRONT_LINE, resident=200, stranger=404), COUNCIL_NAME),
    ("councils:council", expect(NOT_LEADERS, holder=200, resident=200, stranger=404), None),
    ("councils:meeting", expect(NOT_LEADERS, holder=200, resident=200, stranger=404), None),
    # evaluations: the periods and results in the user's scope (a county's periods for the
    # holders in it, rows of their own subtrees); the holder's row names them (unit-leader).
    ("evaluations:home", expect(FRONT_LINE, resident=302, stranger=302), None),
    ("evaluations:results", FRONT_LINE, lambda w: w.tenure.person.name),
    ("evaluations:export", FRONT_LINE, None),
    # The phone page where residents and party members evaluate the holders over their home.
    ("evaluations:vote", expect(EVERYONE, office=403, staff=403), None),
    ("evaluations:mine", expect(EVERYONE, office=403, staff=403, resident=403, stranger=403), None),
    # marketplace (服务微平台): a repair shop listed in the community by its staff; the
    # resident (unit 1) booked it. Residents of the community (the stranger lives there too)
    # browse and book; a booking is its resident's (and its merchant's) only; staff of the
    # community and the county office check and list merchants.
    ("marketplace:browse", RESIDENTS, None),
    ("marketplace:book", RESIDENTS, None),
    ("marketplace:mine", RESIDENTS, lambda w: _market_booking(w).listing.merchant.business_name),
    ("marketplace:booking", expect(RESIDENTS, stranger=404), None),
    ("marketplace:booking_photo", expect(RESIDENTS, stranger=404), None),
    ("marketplace:staff", expect(NOT_LEADERS, resident=404, stranger=404), None),
    ("marketplace:application", expect(NOT_LEADERS, resident=404, stranger=404), None),
    ("marketplace:licence", expect(NOT_LEADERS, resident=404, stranger=404), None),
    # partners (共建单位): a hospital bound to the community, seen by its staff and the county
    # office; post holders see the (empty) list of their area and 404 for the unit.
    ("partners:list", FRONT_LINE, None),
    ("partners:unit", NOT_LEADERS, None),
    ("partners:agreement", NOT_LEADERS, None),
    ("partners:overview", FRONT_LINE, None),
]

# Rows that fail today: an outsider gets another area's thing. Production code is not changed
# here; each row turns green (and its strict xfail red) once the page is fixed.
LEAKS: dict[str, str] = {}

POST_ONLY = "POST only: a GET is refused (405) before any lookup; its scope is the writes' tests'"
PUBLIC = "public on purpose, no login (residents scan the code on the noticeboard)"
EXEMPT: dict[str, str] = {
    "/": "redirects to the console",
    "favicon": "redirects to the site's icon, a static file",
    "login": "signing in",
    "logout": "signing out (POST only)",
    "password_change_done": "a fixed message",
    "password_reset": "Django's password reset, by e-mail",
    "password_reset_done": "a fixed message",
    "password_reset_confirm": "Django's signed reset token, no object of ours",
    "password_reset_complete": "a fixed message",
    "set_language": "switches the language",
    "signup:phone": "signing up or in by phone: asks for a number, shows nothing of anyone",
    "signup:code": "signing up or in by phone: the code for the number in the session",
    "notifications:open": "a person's own notice; another's is 404 (tested in notifications)",
    "signup:accept": "an invitation's own token opens it (410 for any other); tested in signup",
    "visits:service_worker": "static JavaScript for offline visits",
    "party:add_member": POST_ONLY,
    "party:remove_member": POST_ONLY,
    "resident:service_worker": "static JavaScript for offline reports",
    "visits:coverage_home": "redirects to the user's own place (visits:coverage is tested)",
    "wishes:home": "redirects by role (the pages it leads to are tested)",
    "points:home": "redirects to the user's own ranking (points:ranking is tested)",
    "public_issues": PUBLIC,
    "public_photo": PUBLIC + "; only photos the reporter allowed to be public",
    "board:place": PUBLIC,
    "api:openapi-json": "the API's shape, no data; a sign-in when DEBUG is off (core/tests)",
    "api:openapi-view": "the browsable API docs, no data; a sign-in when DEBUG is off",
    "api:api-root": "ninja's root: 404 for everyone",
    "api:create_issue": "POST only; a GET on its path is api:list_issues, tested",
    "api:post_wish": "POST only; a GET on its path is api:list_wishes, tested",
    "api:ask_code": "POST only, before sign-in: texts a code (signup/tests/test_api_tokens.py)",
    "api:token_by_phone": "POST only, before sign-in (signup/tests/test_api_tokens.py)",
    "api:token_by_password": "POST only, before sign-in (signup/tests/test_api_tokens.py)",
    "api:revoke_token": "DELETE only, one's own token (signup/tests/test_api_tokens.py)",
    "api:token_by_wechat": "POST only, before sign-in (signup/tests/test_wechat.py)",
    "api:link_wechat": "POST only, links the caller's own account (signup/tests/test_wechat.py)",
    "api:follow_issue": "POST only; a resident, shown reports (issues/tests/test_api.py)",
}
# Pages and API operations that take only POST (a GET gets 405, checked below).
for _name in [
    "people:reveal",
    "register:move",
    "register:moved-away",
    "signup:decide",
    "notifications:read-all",
    "notifications:digest",
    "token-revoke",
    "otp-recovery-codes",
    "otp-reset",
    "resident:follow",
    "supervision:call_back",
    "signup:withdraw",
    "signup:party-decide",
    "posts:stand-down",
    "issues:act",
    "issues:hide",
    "supervision:weekly_draft",
    "supervision:rectification_issue",
    "supervision:rectification_act",
    "supervision:monthly_meeting",
    "supervision:notice_publish",
    "awards:act",
    "volunteers:join",
    "wishes:act",
    "evaluations:open",
    "evaluations:close",
]:
    EXEMPT[_name] = POST_ONLY
EXEMPT["vetting:act"] = POST_ONLY


def _vetting_in_grid_b(world: World) -> Vetting:
    """A vetting of a cadre living in grid B, opened by the county's organisation department."""
    department = make_staff("orgdept", Role.ORG_DEPARTMENT, world.county.county, "department")
    PartyOrganisation.objects.create(
        kind="branch", name="第二网格党支部", place=world.county.grid_b
    )
    return vetting_services.open_vetting(
        department,
        cadre=vetting_services.Cadre("李建国", "县财政局 副局长", "县财政局 局长"),
        households=[make_household(world.county.unit_b1_1, "909", name="李建国")],
        branches=None,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )


ADMIN = "the Django admin: staff accounts only, with Django's own permissions"
for _route in ROUTES.values():
    if _route.methods == frozenset({"POST"}):  # the API says so itself
        EXEMPT.setdefault(_route.name, POST_ONLY)
    if _route.name.startswith(("admin:", "/admin/")):
        EXEMPT.setdefault(_route.name, ADMIN)


# councils (issue 14): the community's council with a meeting, built when a row asks for it.
def _council_meeting(w: World) -> Any:
    from sanzhang.councils import services as councils
    from sanzhang.councils.models import Party

    if "council_meeting" not in w.__dict__:
        staff = w.users["staff"]
        council = councils.set_up(staff, w.county.community)
        holder = w.users["holder"].person
        councils.add_seat(staff, council, party=Party.LEADERS, person=holder)
        councils.add_seat(staff, council, party=Party.RESIDENTS, person=w.resident)
        w.__dict__["council_meeting"] = councils.schedule(
            staff, council, held_on=datetime.date(2026, 11, 20)
        )
    return w.__dict__["council_meeting"]


ARGS.update(
    {
        "councils:council": lambda w: {"council_id": _council_meeting(w).council_id},
        "councils:meeting": lambda w: {"meeting_id": _council_meeting(w).pk},
        "councils:board": lambda w: {"code": w.county.community.code},
    }
)
EXEMPT["councils:board"] = PUBLIC + "; decisions and minutes written for the public"
for _name in ["councils:set-up", "councils:council-act", "councils:meeting-act"]:
    EXEMPT[_name] = POST_ONLY
EXEMPT["partners:agreement-act"] = POST_ONLY  # scoped like the agreement (partners/tests)
EXEMPT["partners:end-binding"] = POST_ONLY  # scoped by the binding's place (partners/tests)

# rotation (双三长, 轮岗): the staff's page of terms and plans (the office sees its county's),
# the county office's terms; leaders and residents may not use them at all.
ARGS["rotation:plan"] = lambda w: {"post_id": w.post.pk}
TABLE.extend(
    [
        ("rotation:home", expect(FRONT_LINE, holder=403, colleague=403, outsider=403), None),
        ("rotation:plan", expect(FRONT_LINE, holder=403, colleague=403, outsider=403), None),
        (
            "rotation:rules",
            expect(FRONT_LINE, holder=403, colleague=403, outsider=403, staff=403),
            None,
        ),
    ]
)
EXEMPT["rotation:cancel"] = POST_ONLY


# marketplace: the repair shop the community's staff listed, and the resident's booking of it.
def _market_booking(w: World) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanzhang.marketplace import bookings as market_bookings
    from sanzhang.marketplace import listing as market_listing

    if "market_booking" not in w.__dict__:
        photo = _jpeg()
        application = market_listing.apply(
            token="every-url",
            business_name="老李家电维修",
            contact_name="李师傅",
            phone="13700001111",
            services=["appliance_repair"],
            prices="上门费30元",
            county=w.county.county,
            communities=[w.county.community],
            licence=SimpleUploadedFile("licence.jpg", photo.read()),
        )
        (shop,) = market_listing.list_merchant(w.users["staff"], application).listings
        w.__dict__["market_booking"] = market_bookings.book(
            w.users["resident"],
            shop,
            token="every-url",
            service="appliance_repair",
            wanted_at=timezone.now() + datetime.timedelta(days=1),
            problem="冰箱不制冷",
            photos=[SimpleUploadedFile("p.jpg", _jpeg().read())],
        )
    return w.__dict__["market_booking"]


ARGS.update(
    {
        "marketplace:book": lambda w: {"listing_id": _market_booking(w).listing_id},
        "marketplace:booking": lambda w: {"booking_id": _market_booking(w).pk},
        "marketplace:booking_photo": lambda w: {
            "booking_id": _market_booking(w).pk,
            "photo_id": _market_booking(w).photos.get().pk,
        },
        "marketplace:application": lambda w: {
            "application_id": _market_booking(w).listing.merchant.application_id
        },
        "marketplace:licence": lambda w: {
            "application_id": _market_booking(w).listing.merchant.application_id
        },
    }
)
EXEMPT["marketplace:apply"] = "public on purpose, no login: merchants apply to be listed"
EXEMPT["marketplace:sign_in"] = "merchants sign in by phone: asks for a number, shows nothing"
EXEMPT["marketplace:sign_in_code"] = "merchants sign in by phone: the code for the session's number"
for _name in ["marketplace:act", "marketplace:decide", "marketplace:suspend"]:
    EXEMPT[_name] = POST_ONLY


# funds (issue 15): grid A's grid branch account with a claim on it, recorded by the staff.
def _fund_spending(w: World) -> Any:
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanzhang.funds import services as funds

    if "fund_spending" not in w.__dict__:
        office, staff = w.users["office"], w.users["staff"]
        funds.add_budget(
            office, fund="grid_branch", year=2026, county=w.county.county, amount=Decimal("100")
        )
        top = funds.account_for("grid_branch", 2026, w.county.county)
        funds.allocate(office, top, w.county.community, Decimal("100"))
        community = funds.account_for("grid_branch", 2026, w.county.community)
        funds.allocate(staff, community, w.county.grid_a, Decimal("100"))
        grid = funds.account_for("grid_branch", 2026, w.county.grid_a)
        w.__dict__["fund_spending"] = funds.record_spending(
            staff,
            grid,
            item="党员活动室茶叶",
            amount=Decimal("12.30"),
            spent_on=timezone.localdate(),
            purpose="主题党日",
            receipt=SimpleUploadedFile("r.jpg", _jpeg().read(), content_type="image/jpeg"),
        )
    return w.__dict__["fund_spending"]


ARGS.update(
    {
        "funds:account": lambda w: {"account_id": _fund_spending(w).account_id},
        "funds:spending": lambda w: {"spending_id": _fund_spending(w).pk},
        "funds:receipt": lambda w: {"spending_id": _fund_spending(w).pk},
    }
)
# The staff and the office (and the auditor) see the funds of their area; leaders do not.
FUNDS_STAFF = expect(FRONT_LINE, holder=403, colleague=403, outsider=403)
TABLE.extend(
    [
        ("funds:home", FUNDS_STAFF, None),
        ("funds:account", FUNDS_STAFF, None),
        ("funds:spendings", FUNDS_STAFF, None),
        ("funds:spending", FUNDS_STAFF, None),
        ("funds:receipt", FUNDS_STAFF, None),
        ("funds:allowances", FUNDS_STAFF, None),
    ]
)


# announcements (issue 15): the community's notice to grid A, where the holder's unit and the
# resident's home lie; leaders of grid A follow it up, the outsider (grid B) does not see it.
def _announcement(w: World) -> Any:
    from sanzhang.announcements import services as announcements

    if "announcement" not in w.__dict__:
        w.__dict__["announcement"] = announcements.post_announcement(
            w.users["staff"], place=w.county.grid_a, title="第一网格防汛通知", body="今晚暴雨"
        ).announcement
    return w.__dict__["announcement"]


ANNOUNCEMENT: Args = lambda w: {"announcement_id": _announcement(w).pk}  # noqa: E731
ARGS.update({"announcements:read": ANNOUNCEMENT, "announcements:detail": ANNOUNCEMENT})
TO_STAFF: Expect = dict.fromkeys(["holder", "colleague", "outsider", "office", "staff"], 302)
TABLE += [
    # A resident's own announcements; those who post are sent to their page.
    (
        "announcements:mine",
        {**TO_STAFF, "resident": 200, "stranger": 200},
        lambda w: _announcement(w).title,
    ),
    (
        "announcements:read",
        {**dict.fromkeys(EVERYONE, 403), "resident": 200, "stranger": 404},
        None,
    ),
    ("announcements:posted", FRONT_LINE, None),
    ("announcements:detail", expect(IN_UNIT_1, colleague=200), None),
]
EXEMPT["announcements:door"] = POST_ONLY


def test_every_url_is_in_the_table() -> None:
    """A new route fails here until it has a row in TABLE or a reason in EXEMPT."""
    covered = {name for name, _expect, _secret in TABLE}
    missing = [name for name in ROUTES if name not in covered and name not in EXEMPT]
    assert not missing, f"routes with no scope test (add a row to TABLE or EXEMPT): {missing}"
    assert not covered & set(EXEMPT), "a route is both tested and exempt"
    assert not (covered | set(EXEMPT)) - set(ROUTES), "the table names a route that is gone"


@pytest.mark.parametrize(
    "name", [n for n, reason in EXEMPT.items() if reason.startswith(POST_ONLY)]
)
def test_a_post_only_url_refuses_a_get(world, client, name) -> None:  # type: ignore[no-untyped-def]
    """Were it to answer a GET, it would need a row in TABLE."""
    route = ROUTES[name]
    values = dict.fromkeys(route.converters, "1")
    client.force_login(world.users["holder"])
    assert client.get(_fill(route.path, route.converters, values)).status_code == 405


def _text(response: Any) -> str:
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return str(response.content.decode())


@pytest.mark.parametrize(
    ("name", "expected", "secret"),
    [
        pytest.param(
            *row,
            id=row[0],
            marks=[pytest.mark.xfail(strict=True, reason=LEAKS[row[0]])] if row[0] in LEAKS else [],
        )
        for row in TABLE
    ],
)
def test_each_role_gets_what_its_scope_allows(world, name, expected, secret) -> None:  # type: ignore[no-untyped-def]
    """Each role's status is the table's; on a list, the holder's thing (its `secret` text) is
    shown to the holder and the resident, never to the colleague, outsider or stranger."""
    url = url_of(ROUTES[name], world)
    client = Client()
    got: dict[str, int] = {}
    hidden = secret(world) if secret else ""  # built before anyone looks
    for role in expected:
        client.force_login(world.users[role])
        response = client.get(url)
        got[role] = response.status_code
        seers = ("staff",) if name in STAFF_SEE_IT else SEEN_BY
        if hidden and response.status_code == 200 and role in seers + HIDDEN_FROM:
            shown = hidden in _text(response)
            assert shown == (role in seers), f"{url}: {role} {'sees' if shown else 'misses'} it"
    wanted = {
        role: allowed if isinstance(allowed, tuple) else (allowed,)
        for role, allowed in expected.items()
    }
    assert all(got[role] in wanted[role] for role in wanted), (
        f"{url}: got {got}, expected {expected}"
    )


def _training_session(w: World) -> Any:
    """The community's evening class now, scheduled by its staff (built once per world)."""
    if "training_session" not in w.__dict__:
        from sanzhang.training import services as training

        course = training.create_course(
            w.users["staff"], place=w.county.community, title="夜间课堂"
        )
        now = timezone.now()
        w.__dict__["training_session"] = training.create_session(
            w.users["staff"],
            course,
            topic="学习基层治理条例",
            where="党群服务中心",
            starts_at=now,
            ends_at=now + datetime.timedelta(hours=1),
        )
    return w.__dict__["training_session"]


def _partners_agreement(w: World) -> Any:
    """The community's hospital (共建单位) and its agreement of last year (built once)."""
    if "partners_agreement" not in w.__dict__:
        from sanzhang.partners import services as partners

        unit = partners.register_unit(
            w.users["staff"],
            place=w.county.community,
            name="县人民医院",
            kind="hospital",
            binding_kind="co_building",
        ).row
        year = timezone.localdate().year - 1
        w.__dict__["partners_agreement"] = partners.record_agreement(
            w.users["staff"],
            unit,
            community=w.county.community,
            year=year,
            signed_on=datetime.date(year, 2, 1),
        ).row
    return w.__dict__["partners_agreement"]
