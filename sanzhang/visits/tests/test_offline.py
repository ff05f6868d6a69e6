"""In headless Chromium with the network cut: the phone page opens from the phone's copy, and
visits typed on it wait on the phone
(with a visible count), are sent when the network returns, and each is stored exactly once,
even when the server stored one but its answer was lost on the way back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sanzhang.conftest import build_county, log_in, make_household, make_leader, make_staff
from sanzhang.issues.models import Issue
from sanzhang.issues.tests.conftest import reseed
from sanzhang.people.models import Role
from sanzhang.posts.models import PostKind
from sanzhang.visits.models import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def type_visit(page, household: str, heard: str, problem: str = "") -> None:  # type: ignore[no-untyped-def]
    """Find the household by typing (building, unit, door or name), as a leader does."""
    page.fill("#household-filter", household)
    assert page.locator("#household-count").inner_text() == "1 户"
    assert page.input_value("select[name=household]") != ""  # the one match is chosen
    page.fill("[name=heard]", heard)
    page.fill("[name=problem]", problem)
    page.click("#visit-form button[type=submit]")


def test_visits_typed_offline_are_sent_once_when_the_network_returns(browser_page) -> None:
    page = browser_page
    reseed()
    county = build_county()
    make_leader(county.unit_a1_1, PostKind.UNIT_LEADER, "unit-leader")
    make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")  # routes issues
    make_household(county.unit_a1_1, "101")
    make_household(county.unit_a1_1, "102", name="李桂兰")
    log_in(page, "unit-leader")
    page.goto("/visits/")
    # From the first visit the page's service worker keeps a copy: it opens with no signal.
    page.wait_for_selector("#visit-form[data-kept]", timeout=30_000)
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#visit-form")).to_be_visible()
    type_visit(page, "1栋 101", "老人身体还好", problem="楼道灯坏了")
    type_visit(page, "李桂兰", "孩子在外地上学")
    expect(page.locator("#waiting-count")).to_have_text("2")
    assert page.locator("#waiting").is_visible()
    assert Visit.objects.count() == 0

    # The first send reaches the server, but its answer is lost on the way back.
    lost: list[str] = []

    def lose_first_answer(route) -> None:  # type: ignore[no-untyped-def]
        if not lost:
            route.fetch()  # the server stores the visit...
            lost.append(route.request.post_data or "")
            route.abort()  # ...and the phone never hears so
        else:
            route.continue_()

    page.route("**/api/v1/visits/", lose_first_answer)
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#waiting-count")).to_have_text("0", timeout=30_000)
    assert not page.locator("#refused").is_visible()  # nothing was refused
    assert lost and Visit.objects.count() == 2
    assert sorted(Visit.objects.values_list("heard", flat=True)) == [
        "孩子在外地上学",
        "老人身体还好",
    ]
    assert Issue.objects.count() == 1  # the problem found became one issue, not two
    assert not page.locator("#waiting").is_visible()
