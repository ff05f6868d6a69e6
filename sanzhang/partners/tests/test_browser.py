"""On phones (390×844), a unit's year from agreement to the community's rating: the community's
staff register the county hospital, record last year's agreement with two commitments and an
activity (a party member of the hospital registered in the community did volunteer hours that
count by themselves), rate the year once; the county office then sees the rating and how far
each commitment was kept in the overview, and downloads it."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal

import pytest
from django.utils import timezone

from sanzhang.conftest import build_county, log_in, make_staff
from sanzhang.partners.models import Activity, Agreement, Rating, Unit
from sanzhang.people.models import PartyMember, Person, Role
from sanzhang.posts.models import PostKind
from sanzhang.posts.services import open_post
from sanzhang.volunteers.models import Signup, Task, Volunteer

SHOTS = os.environ.get("SANZHANG_SHOTS", "")  # a folder to keep screenshots in
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_units_year_from_agreement_to_the_communitys_rating(browser_page):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    county = build_county()
    make_staff("staff", Role.COMMUNITY_STAFF, county.community, "committee")
    make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")
    year = timezone.localdate().year - 1
    _member_hours(county, year)

    log_in(page, "staff")
    page.goto("/partners/")
    page.select_option("#unit-form select[name=place]", str(county.community.pk))
    page.fill("#unit-form input[name=name]", "县人民医院")
    page.select_option("#unit-form select[name=kind]", "hospital")
    page.fill("#unit-form input[name=party_organisation]", "县人民医院党委")
    page.fill("#unit-form input[name=contact_name]", "周主任")
    page.fill("#unit-form input[name=contact_phone]", "13912345678")
    page.fill("#unit-form input[name=since]", f"{year - 1}-03-01")
    with page.expect_navigation():
        page.click("#unit-form button[type=submit]")
    assert "共建单位已登记并结对" in page.inner_text(".messages")
    assert "13912345678" in page.inner_text("#unit")
    assert f"自 {year - 1}-03-01 起" in page.inner_text("#bindings")
    _shot(page, "unit")

    page.fill("#agreement-form input[name=year]", str(year))
    page.fill("#agreement-form input[name=signed_on]", f"{year}-02-01")
    with page.expect_navigation():
        page.click("#agreement-form button[type=submit]")
    assert f"{year}年共建协议" in page.inner_text("h1")
    _commit(page, "volunteer_hours", "义诊志愿服务", "20", "小时")
    _commit(page, "funds", "助学金", "1000", "元")
    assert "承诺事项已添加" in page.inner_text(".messages")
    # The member's 4.5 hours counted by themselves toward the hours: 22.5 %.
    assert "22.5%" in page.inner_text("#commitments")

    page.select_option("#activity-form select[name=commitment]", label="助学金")
    page.fill("#activity-form input[name=held_on]", f"{year}-09-01")
    page.fill("#activity-form input[name=what]", "开学发放助学金")
    page.fill("#activity-form input[name=amount]", "600.50")
    with page.expect_navigation():
        page.click("#activity-form button[type=submit]")
    assert "活动已记录" in page.inner_text(".messages")
    assert "开学发放助学金" in page.inner_text("#activities")
    assert "60.1%" in page.inner_text("#commitments")  # 600.50 / 1000
    _shot(page, "agreement")

    for name, grade in [("keeping", "3"), ("taking_part", "4"), ("serving", "4"), ("conduct", "4")]:
        page.select_option(f"#rating-form select[name={name}]", grade)
    page.fill("#rating-form textarea[name=comment]", "积极参与社区义诊")
    again = page.context.new_page()  # the same form open in a second tab
    again.set_viewport_size({"width": 390, "height": 844})
    again.goto(page.url)
    with page.expect_navigation():
        page.click("#rating-form button[type=submit]")
    assert "评价已记录" in page.inner_text(".messages")
    assert "优秀" in page.inner_text("#rating")
    assert page.locator("#activity-form").count() == 0  # the rated year is closed
    _shot(page, "rated")
    for name in ("keeping", "taking_part", "serving", "conduct"):
        again.select_option(f"#rating-form select[name={name}]", "1")
    with again.expect_navigation():
        again.click("#rating-form button[type=submit]")
    assert "未作任何更改" in again.inner_text(".messages")
    assert Rating.objects.get().keeping == 3

    page.context.clear_cookies()
    log_in(page, "office")
    page.goto(f"/partners/overview/?year={year}")
    row = page.inner_text("#overview tbody tr")
    assert "县人民医院" in row and "莲花社区" in row and "优秀" in row
    assert "41.3%" in row  # (22.5 % + 60.05 %) / 2
    _shot(page, "overview")
    with page.expect_download() as download:
        page.click("#export")
    assert download.value.suggested_filename.endswith(".xlsx")
    page.goto(f"/partners/units/{Unit.objects.get().pk}/")
    assert "139****5678" in page.inner_text("#unit")  # the office sees the phone masked

    assert Agreement.objects.count() == 1 and Activity.objects.count() == 1


def _commit(page, kind: str, description: str, target: str, measure: str) -> None:  # type: ignore[no-untyped-def]
    page.select_option("#commitment-form select[name=kind]", kind)
    page.fill("#commitment-form input[name=description]", description)
    page.fill("#commitment-form input[name=target]", target)
    page.fill("#commitment-form input[name=measure]", measure)
    with page.expect_navigation():
        page.click("#commitment-form button[type=submit]")


def _member_hours(county, year: int) -> None:  # type: ignore[no-untyped-def]
    """A doctor of the hospital, registered in the community, served 4.5 hours there."""
    person = Person.objects.create(name="周医生")
    PartyMember.objects.create(
        person=person,
        community=county.community,
        work_unit="县人民医院",
        registered_on=datetime.date(year, 1, 5),
    )
    volunteer = Volunteer.objects.create(
        person=person,
        kind="other",
        place=county.community,
        leader_post=open_post(county.grid_a, PostKind.GRID_LEADER),
        registered_on=datetime.date(year, 1, 5),
    )
    when = datetime.datetime(year, 5, 1, 9, tzinfo=timezone.get_current_timezone())
    task = Task.objects.create(place=county.grid_a, title="为独居老人送餐", starts_at=when, slots=3)
    Signup.objects.create(task=task, volunteer=volunteer, hours=Decimal("4.5"))


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/partners-{name}.png", full_page=True)
