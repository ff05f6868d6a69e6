"""A grid leader on a phone (390×844) finds what a resident reported through the notices badge,
opens the issue from the notice and takes the next step: two taps after the inbox. And narrows
the work list to one building by typing part of its name."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sanzhang.conftest import (
    build_county,
    log_in,
    make_household,
    make_leader,
    run_queued_tasks,
)
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Issue, State
from sanzhang.issues.tests.conftest import reseed
from sanzhang.people.models import Organisation, Person, Role, User
from sanzhang.places.models import PlaceKind
from sanzhang.places.services import create_place
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
    run_queued_tasks()  # the worker writes the report's notices

    log_in(page, "grid-leader")
    assert page.inner_text("#notices-link .badge") == "1"
    page.click("#notices-link")
    page.click("#notices a")  # tap 1: the notice opens the issue
    page.wait_for_url(f"**/issues/{issue.number}/")
    assert "楼道堆满杂物" in page.inner_text("main")
    page.click("#act-confirm > button[type=submit]")  # tap 2: the next step, offered first
    page.wait_for_selector(".messages li")
    issue.refresh_from_db()
    assert issue.state == State.ASSIGNED
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert Issue.objects.count() == 1


def test_a_grid_leader_filters_the_work_list_by_a_buildings_name(browser_page) -> None:
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    reseed()
    county = build_county()
    mine = create_place(
        parent=county.grid_a, kind=PlaceKind.BUILDING, segment="B03", name="桂花苑3栋"
    )
    create_place(parent=county.grid_b, kind=PlaceKind.BUILDING, segment="B03", name="桂花苑5栋")
    person = Person.objects.get(household=make_household(county.unit_a1_1, "301"))
    resident = User.objects.create_user("resident", role=Role.RESIDENT, person=person)
    make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-leader")
    there = submit(resident, place=mine, text="桂花苑电梯停了").issue
    elsewhere = submit(resident, place=county.unit_a1_1, text="楼道灯不亮").issue

    log_in(page, "grid-leader")
    page.goto("/issues/?all=1")
    page.wait_for_load_state("load")  # htmx is loaded before anything is typed
    expect(page.locator("tbody")).to_contain_text(elsewhere.number)
    page.fill("#place-q", "桂花")
    offered = page.locator("#place-results label")
    expect(offered).to_have_count(1)  # grid B's 桂花苑5栋 is not the grid leader's
    expect(offered).to_contain_text("桂花苑3栋 莲花社区 › 第一网格")
    offered.click()
    page.click("#filters button[type=submit]")
    page.wait_for_url(f"**under={mine.code}**")
    expect(page.locator("tbody")).to_contain_text(there.number)
    expect(page.locator("tbody")).not_to_contain_text(elsewhere.number)
    expect(page.locator(f"#where input[value='{mine.code}']")).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_grid_leader_records_a_report_at_a_building_found_by_name(browser_page) -> None:
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    reseed()
    county = build_county()
    Organisation.objects.create(
        kind=Organisation.Kind.COUNTY_OFFICE, name="县三长办", place=county.county
    )
    mine = create_place(
        parent=county.grid_a, kind=PlaceKind.BUILDING, segment="B03", name="桂花苑3栋"
    )
    create_place(parent=county.grid_b, kind=PlaceKind.BUILDING, segment="B03", name="桂花苑5栋")
    make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-leader")

    log_in(page, "grid-leader")
    page.goto("/issues/new/")
    page.wait_for_load_state("load")  # htmx is loaded before anything is typed
    page.fill("#place-q", "桂花")
    offered = page.locator("#place-results label")
    expect(offered).to_have_count(1)  # grid B's 桂花苑5栋 is not the grid leader's
    expect(offered).to_contain_text("桂花苑3栋 莲花社区 › 第一网格")
    offered.click()
    page.fill("#id_text", "桂花苑3栋电梯停了，老人下不了楼")
    page.select_option("#id_channel", "patrol")
    page.click("#record-form button[type=submit]:not([form])")
    page.wait_for_url("**/issues/*/")
    issue = Issue.objects.get()
    expect(page.locator("h1")).to_contain_text(issue.number)
    assert issue.place == mine
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
