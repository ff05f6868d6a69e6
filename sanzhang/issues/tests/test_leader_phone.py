"""A grid leader on a phone (390×844) finds what a resident reported through the notices badge,
opens the issue from the notice and takes the next step: two taps after the inbox."""

from __future__ import annotations

import pytest

from sanzhang.conftest import build_county, log_in, make_household, make_leader
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Issue, State
from sanzhang.issues.tests.conftest import reseed
from sanzhang.people.models import Organisation, Person, Role, User
from sanzhang.posts.models import PostKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_grid_leader_goes_from_the_badge_to_the_next_step(browser_page) -> None:
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    reseed()
    county = build_county()
    Organisation.objects.create(
        kind=Organisation.Kind.COUNTY_OFFICE, name="县三长办", place=county.county
    )
    person = Person.objects.get(household=make_household(county.unit_a1_1, "301"))
    resident = User.objects.create_user("resident", role=Role.RESIDENT, person=person)
    make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-leader")
    issue = submit(resident, place=county.unit_a1_1, text="楼道堆满杂物，老人出入不便").issue

    log_in(page, "grid-leader")
    assert page.inner_text("#notices-link .badge") == "1"
    page.click("#notices-link")
    page.click("#notices a")  # tap 1: the notice opens the issue
    page.wait_for_url(f"**/issues/{issue.number}/")
    assert "楼道堆满杂物" in page.inner_text("main")
    page.click("#act-confirm button[type=submit]")  # tap 2: the next step, offered first
    page.wait_for_selector(".messages li")
    issue.refresh_from_db()
    assert issue.state == State.ASSIGNED
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert Issue.objects.count() == 1
