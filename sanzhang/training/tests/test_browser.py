"""On phones (390×844): an organiser schedules an evening class and shows its QR code; a party
member post holder opens the code's address, signs in and is told so in Chinese; a second try
makes nothing, and the ledger holds one training entry."""

from __future__ import annotations

import datetime
import os
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from sanzhang.conftest import build_county, log_in, make_leader, make_staff
from sanzhang.people.models import PartyMember, Role
from sanzhang.points.models import Cause, PointEntry, PointRule
from sanzhang.posts.models import PostKind
from sanzhang.training.models import Attendance, Session

SHOTS = os.environ.get("SANZHANG_SHOTS", "")  # a folder to keep screenshots in
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_post_holder_signs_in_to_a_class_by_its_qr_code_once(browser_page):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    county = build_county()
    make_staff("organiser", Role.COMMUNITY_STAFF, county.community, "committee")
    leader = make_leader(county.building_a1, PostKind.BUILDING_LEADER, "leader", name="李卫东")
    assert leader.person is not None
    PartyMember.objects.create(
        person=leader.person, community=county.community, registered_on=datetime.date(2024, 3, 1)
    )
    PointRule.objects.create(
        cause=Cause.TRAINING_ATTENDED, points=2, valid_from=datetime.date(2025, 1, 1)
    )

    log_in(page, "organiser")
    page.goto("/training/")
    page.select_option("#course-form select[name=place]", str(county.community.pk))
    page.fill("#course-form input[name=title]", "夜间课堂")
    with page.expect_navigation():
        page.click("#course-form button[type=submit]")
    assert "课程已创建" in page.inner_text("main")
    now = timezone.now()
    page.fill("input[name=topic]", "学习基层治理条例")
    page.fill("input[name=where]", "社区党群服务中心二楼")
    page.fill("input[name=starts_at]", _local(now - datetime.timedelta(minutes=5)))
    page.fill("input[name=ends_at]", _local(now + datetime.timedelta(minutes=90)))
    page.fill("input[name=trainer]", "县委党校王老师")
    page.fill("textarea[name=materials]", "《基层治理条例》第一章")
    with page.expect_navigation():
        page.click("#session-form button[type=submit]")
    _shot(page, "session")
    session = Session.objects.get()
    assert "扫码签到" in page.inner_text("main")
    assert page.locator("#qr img").evaluate("img => img.naturalWidth") > 0
    sign_in_url = page.get_attribute("#sign-in-link", "href")
    assert sign_in_url is not None and sign_in_url.endswith(f"/training/sign-in/{session.token}/")

    # Every link the class's page shows answers the organiser.
    own = urlsplit(page.url).netloc
    for href in page.locator("main a").evaluate_all("links => links.map(a => a.href)"):
        if urlsplit(href).netloc == own:
            assert page.request.get(href).status == 200, href

    page.goto("/training/records/?missing=1")
    assert "未参加培训的三长" in page.inner_text("main")
    _shot(page, "records")
    page.goto("/training/")
    assert "学习基层治理条例" in page.inner_text("#upcoming")
    _shot(page, "home")

    page.context.clear_cookies()
    log_in(page, "leader")
    page.goto(sign_in_url)
    assert "学习基层治理条例" in page.inner_text("main")
    _shot(page, "sign-in")
    # A second scan, opened before the first was sent (a second tab on the same phone).
    again = page.context.new_page()
    again.set_viewport_size({"width": 390, "height": 844})
    again.goto(sign_in_url)
    with page.expect_navigation():
        page.click("#sign-in-form button")
    assert "签到成功" in page.inner_text(".messages")
    assert "您已签到本堂课" in page.inner_text("main")
    _shot(page, "signed-in")

    page.goto(sign_in_url)  # opened again: no button, the class is done
    assert page.locator("#sign-in-form").count() == 0
    with again.expect_navigation():
        again.click("#sign-in-form button")
    assert "您已经签到过本堂课" in again.inner_text(".messages")
    _shot(again, "again")

    assert Attendance.objects.count() == 1
    assert PointEntry.objects.filter(cause=Cause.TRAINING_ATTENDED).count() == 1
    assert PointEntry.objects.get(cause=Cause.TRAINING_ATTENDED).person_id == leader.person_id


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/training-{name}.png", full_page=True)
