"""A new resident on a phone (390×844, headless Chromium): from the log-in page to signing up
with their number and the texted code (read from the development outbox, as from a phone),
landing on their household, reporting a problem, logging out and back in by code."""

from __future__ import annotations

import os

import pytest

from sanzhang.conftest import build_county, make_household, make_leader
from sanzhang.issues.models import Issue
from sanzhang.issues.tests.conftest import reseed
from sanzhang.people.models import Organisation, Person, Role, User
from sanzhang.posts.models import PostKind

from .conftest import last_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SANZHANG_SHOTS", "")
PHONE = "13700001234"


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def sign_in_by_code(page, outbox) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.click("#phone-sign-in")
    page.fill("#id_phone", "137 0000 1234")
    page.click("#phone-form button[type=submit]")
    page.wait_for_selector("#code-form")
    assert "137****1234" in page.inner_text("main")
    page.fill("#id_code", last_code(outbox, PHONE))
    page.click("#code-form button[type=submit]")


def fits_the_screen(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_new_resident_signs_up_reports_and_signs_in_again(browser_page, outbox) -> None:
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    reseed()
    county = build_county()
    Organisation.objects.create(
        kind=Organisation.Kind.COUNTY_OFFICE, name="县三长办", place=county.county
    )
    make_leader(county.unit_a1_1, PostKind.UNIT_LEADER, "unit-leader")
    household = make_household(county.unit_a1_1, "301", name="李桂兰")
    Person.objects.filter(household=household).update(name="李桂兰")
    person = Person.objects.get(household=household)
    person.phone = PHONE
    person.save()

    sign_in_by_code(page, outbox)
    page.wait_for_selector("text=李桂兰")
    assert "1单元" in page.inner_text("main") and fits_the_screen(page)
    shot(page, "signup-home")
    user = User.objects.get(role=Role.RESIDENT)
    assert user.person == person

    page.goto("/r/")
    page.fill("textarea[name=text]", "楼道灯坏了，晚上看不见")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("text=您的反映编号为")
    assert Issue.objects.get().reporter == user

    page.click("#logout-form button")
    page.wait_for_url("**/accounts/login/**")
    sign_in_by_code(page, outbox)
    page.wait_for_selector("text=李桂兰")
    assert User.objects.filter(role=Role.RESIDENT).count() == 1


def test_a_resident_the_register_does_not_know_names_their_home(browser_page, outbox) -> None:
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    county = build_county()
    sign_in_by_code(page, outbox)
    page.wait_for_selector("#choices")
    for name in (county.county.name, county.community.name, county.grid_a.name):
        page.click(f"#choices >> text={name}")
    page.click(f"#choices >> text={county.building_a1.name}")
    page.click(f"#choices >> text={county.unit_a1_1.name}")
    page.fill("#id_name", "赵新")
    page.fill("#id_door", "102")
    page.click("#home-form button[type=submit]")
    page.wait_for_selector("#link-status")
    assert "赵新" in page.inner_text("#link-status") and fits_the_screen(page)
    shot(page, "signup-waiting")
