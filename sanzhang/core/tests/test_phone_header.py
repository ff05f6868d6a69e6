"""The header on a phone (390×844): the brand, the role's first pages and one menu button that
opens the rest; nothing wider than the screen; the header no taller than a few lines."""

from __future__ import annotations

import os

import pytest

from sanzhang.conftest import PASSWORD, build_county, log_in, make_staff
from sanzhang.people.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SANZHANG_SHOTS", "")


def test_staff_menu_folds_behind_one_button_on_a_phone(browser_page) -> None:
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    county = build_county()
    make_staff("staff", Role.COMMUNITY_STAFF, county.community, "committee")
    log_in(page, "staff", PASSWORD)
    page.wait_for_selector("#menu")
    header = page.locator("header.topbar").bounding_box()
    assert header is not None and header["height"] < 140  # was 9 to 12 lines of menu
    visible = page.locator("header .nav a:visible").count()
    assert 1 <= visible <= 3
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/phone-header.png")
    page.click("#menu summary")
    links = page.locator("#menu nav a")
    assert links.count() > visible
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/phone-menu-open.png")
    links.nth(links.count() - 1).click()  # every entry leads somewhere that answers
    page.wait_for_load_state()
    assert "页面不存在" not in page.inner_text("main")


def test_the_desktop_shows_the_whole_menu(browser_page) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 800})
    county = build_county()
    make_staff("staff", Role.COMMUNITY_STAFF, county.community, "committee")
    log_in(page, "staff", PASSWORD)
    assert not page.locator("#menu").is_visible()
    assert page.locator("header .nav a:visible").count() > 3


def test_larger_text_is_chosen_once_and_kept(browser_page) -> None:
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    county = build_county()
    make_staff("staff", Role.COMMUNITY_STAFF, county.community, "committee")
    log_in(page, "staff", PASSWORD)
    size = "parseFloat(getComputedStyle(document.querySelector('main')).fontSize)"
    before = page.evaluate(size)
    page.click("#text-size")
    assert page.evaluate(size) > before * 1.2
    page.reload()  # kept on the phone
    assert page.evaluate(size) > before * 1.2
    assert page.get_attribute("#text-size", "aria-pressed") == "true"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
