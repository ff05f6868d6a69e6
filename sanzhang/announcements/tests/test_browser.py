"""On phones (390×844): a grid leader posts an urgent flood warning to the grid; one resident
reads it on the phone (first on the home page); the grid leader's list of unread households
shows the other two with their doors, and one is marked told at the door."""

from __future__ import annotations

import os

import pytest

from sanzhang.announcements.models import Announcement, Receipt
from sanzhang.conftest import PASSWORD, build_county, log_in, make_household, make_leader
from sanzhang.people.models import Role, User
from sanzhang.posts.models import PostKind

SHOTS = os.environ.get("SANZHANG_SHOTS", "")  # a folder to keep screenshots in
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_urgent_announcement_and_the_grid_leaders_unread_households(browser_page):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    county = build_county()
    make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-leader", name="刘建华")
    reader = make_household(county.unit_a1_1, "101", name="王秀英")
    make_household(county.unit_a1_2, "202", name="李国强")
    make_household(county.unit_a2_1, "303", name="张桂兰")
    make_household(county.unit_b1_1, "101", name="赵大妈")  # grid B: not told
    User.objects.create_user(
        username="wang", password=PASSWORD, role=Role.RESIDENT, person=reader.members.get()
    )

    log_in(page, "grid-leader")
    page.goto("/announcements/posted/")
    page.select_option("#announcement-form select[name=place]", str(county.grid_a.pk))
    page.fill("#announcement-form input[name=title]", "防汛紧急通知")
    page.fill(
        "#announcement-form textarea[name=body]",
        "今晚至明晨有大暴雨，低洼地带和一楼住户请做好转移准备，如需帮助请联系网格长。",
    )
    page.check("#announcement-form input[name=urgent]")
    _shot(page, "form")
    with page.expect_navigation():
        page.click("#announcement-form button[type=submit]")
    assert "通知已发布给居民" in page.inner_text(".messages")
    assert "0/3" in page.inner_text("#read-count")
    announcement = Announcement.objects.get()
    assert announcement.urgent and announcement.audience_size == 3

    page.context.clear_cookies()
    log_in(page, "wang")
    page.goto("/console/")
    assert "防汛紧急通知" in page.inner_text("#home-announcements")
    _shot(page, "resident-home")
    with page.expect_navigation():
        page.click("#home-announcements a:has-text('防汛紧急通知')")
    assert "大暴雨" in page.inner_text("#announcement")
    _shot(page, "resident-reads")
    page.goto("/announcements/")
    assert page.locator("#announcements [data-unread]").count() == 0
    assert Receipt.objects.filter(announcement=announcement, household=reader).exists()

    page.context.clear_cookies()
    log_in(page, "grid-leader")
    page.goto(f"/announcements/posted/{announcement.pk}/")
    assert "1/3" in page.inner_text("#read-count")
    doors = page.inner_text("#unread")
    assert "1栋 2单元 202" in doors and "李**" in doors
    assert "2栋 1单元 303" in doors and "张**" in doors
    assert "101" not in doors and "李国强" not in doors
    _shot(page, "unread")
    with page.expect_navigation():
        page.click("#unread li:has-text('202') button")
    assert "已记为上门告知" in page.inner_text(".messages")
    assert "2/3" in page.inner_text("#read-count")
    assert "202" not in page.inner_text("#unread")
    _shot(page, "told")
    assert Receipt.objects.filter(how=Receipt.How.AT_THE_DOOR).count() == 1


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/announcements-{name}.png", full_page=True)
