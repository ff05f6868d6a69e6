"""In a real browser (headless Chromium): logging in, and browsing the place tree."""

import re

import pytest

from sanzhang.conftest import build_county, log_in, make_household, make_leader, make_staff
from sanzhang.people.models import Role
from sanzhang.posts.models import PostKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_officer_logs_in_and_walks_down_the_tree_to_a_unit(browser_page):
    page = browser_page
    county = build_county()
    make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")
    make_leader(county.unit_a1_1, PostKind.UNIT_LEADER, "unit-leader", name="王单元长")
    make_household(county.unit_a1_1)

    log_in(page, "office")
    assert page.locator("h1").inner_text().startswith("您好")
    page.click("nav.nav >> text=地点")
    page.click("text=广昌县")
    page.click("text=莲花社区")
    page.click("text=第一网格")
    page.click("text=1栋")
    page.click("table >> text=1单元")
    assert page.url.endswith("/places/GC.C01.G01.B01.U1/")
    crumbs = page.locator(".crumbs a").all_inner_texts()
    assert crumbs == ["广昌县", "莲花社区", "第一网格", "1栋"]
    assert "王单元长" in page.locator("table").first.inner_text()
    assert "1 户" in page.inner_text("main")


def test_live_search_finds_a_place_by_code_and_by_name(browser_page):
    page = browser_page
    county = build_county()
    make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")
    log_in(page, "office")
    page.goto("/places/")
    page.fill("#place-q", "城东")
    page.wait_for_selector("#search-results >> text=城东村")
    page.fill("#place-q", "gc.d01.a01.g01")
    page.wait_for_selector("#search-results >> text=上屋组")
    page.click("#search-results >> text=上屋组")
    assert page.url.endswith("/places/GC.D01.A01.G01/")


def test_wrong_password_is_refused_with_a_message_in_chinese(browser_page):
    page = browser_page
    county = build_county()
    make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")
    log_in(page, "office", "not-the-password")
    assert "/accounts/login/" in page.url
    assert re.search("用户名|密码", page.inner_text("main"))


def test_a_unit_leader_on_a_phone_sees_only_their_unit(browser_page):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    county = build_county()
    make_leader(county.unit_a1_1, PostKind.UNIT_LEADER, "unit-leader")
    log_in(page, "unit-leader")
    page.goto("/places/")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert "1单元" in rows.first.inner_text()
    response = page.goto(f"/places/{county.unit_b1_1.code}/")
    assert response is not None and response.status == 404
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # no sideways scrolling on a phone
