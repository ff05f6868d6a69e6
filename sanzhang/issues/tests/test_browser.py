"""One issue through every step in a real browser (headless Chromium), as the resident, the
unit leader, the grid leader, the county office and a department: escalated to a hard issue,
assigned at a meeting, rated dissatisfied (which reopens it), then satisfied."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from PIL import Image

from sanzhang.conftest import (
    PASSWORD,
    build_county,
    log_in,
    make_household,
    make_leader,
    make_staff,
)
from sanzhang.issues.models import Issue, State
from sanzhang.issues.tests.conftest import reseed
from sanzhang.people.models import Organisation, Person, Role, User
from sanzhang.posts.models import PostKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_user(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    log_in(page, username)


def act(page, number: str, action: str, fields: dict[str, str] | None = None) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"/issues/{number}/")
    form = page.locator(f"#act-{action}")
    folded = page.locator(f"#other-actions:not([open]) #act-{action}")
    if folded.count():  # the steps other than the next one are folded
        page.click("#other-actions summary")
    for name, value in (fields or {}).items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".messages li.success")


def test_one_issue_walks_the_whole_loop(browser_page, tmp_path) -> None:
    page = browser_page
    reseed()
    county = build_county()
    household = make_household(county.unit_a1_1, "301", name="李桂兰")
    person = Person.objects.create(name="李桂兰", household=household)
    User.objects.create_user("resident", password=PASSWORD, role=Role.RESIDENT, person=person)
    make_leader(county.unit_a1_1, PostKind.UNIT_LEADER, "unit-leader")
    make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-leader")
    make_staff("office", Role.COUNTY_OFFICE, county.county, Organisation.Kind.COUNTY_OFFICE)
    make_staff("housing", Role.DEPARTMENT, county.county, Organisation.Kind.DEPARTMENT)

    # The resident reports on the phone page.
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, "resident")
    page.goto("/r/")
    page.select_option("#id_category", label="其他")
    page.fill("#id_text", "小区门口路面塌陷，雨天积水很深")
    photos = []
    for name, colour in (("road.jpg", (90, 90, 90)), ("water.jpg", (40, 80, 160))):
        Image.new("RGB", (1024, 768), colour).save(tmp_path / name, format="JPEG")
        photos.append(tmp_path / name)
    page.set_input_files("#id_photos", photos)  # two photos picked at once
    page.wait_for_selector(".thumbs li:nth-child(2)")  # made smaller and shown
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("text=您的反映编号为")
    number = Issue.objects.get().number
    assert Issue.objects.get().photos.count() == 2
    assert page.locator("main img").count() >= 2
    page.set_viewport_size({"width": 1200, "height": 800})

    # The unit leader sees it waiting, and escalates it to the grid.
    as_user(page, "unit-leader")
    page.goto("/issues/")
    page.wait_for_selector(f"text={number}")
    act(page, number, "escalate", {"reason": "路面塌陷需要网格协调"})
    # The grid leader judges it hard: up to the county office.
    as_user(page, "grid-leader")
    act(page, number, "escalate", {"reason": "需要住建部门维修"})
    assert Issue.objects.get().tier == "hard"

    # The county office puts it on a meeting's agenda and gives it to the department.
    as_user(page, "office")
    page.goto("/issues/meetings/")
    page.fill("#new-meeting [name=title]", "第一次交办会")
    page.fill("#new-meeting [name=held_on]", timezone.localdate().isoformat())
    page.click("#new-meeting button")
    page.click(f"li:has-text('{number}') button")
    page.wait_for_selector("#agenda select[name=lead]")
    page.select_option("#agenda select[name=lead]", label="广昌县department")
    due = timezone.localdate() + datetime.timedelta(days=20)
    page.fill("#agenda [name=due_on]", due.isoformat())
    page.click("#agenda button[type=submit]")
    page.wait_for_selector("#agenda >> text=广昌县department")
    assert Issue.objects.get().state == State.ASSIGNED

    def department_handles(note: str) -> None:
        as_user(page, "housing")
        page.goto("/issues/")
        page.wait_for_selector(f"text={number}")
        if Issue.objects.get().state == State.ASSIGNED:
            act(page, number, "start")
        act(page, number, "handle", {"note": note})

    def office_inspects_and_feeds_back(message: str) -> None:
        as_user(page, "office")
        act(page, number, "pass_inspection")
        act(page, number, "feed_back", {"message": message})

    def resident_rates(satisfied: bool, reason: str = "") -> None:
        as_user(page, "resident")
        page.goto("/r/mine/")
        page.click("main a:has-text('小区门口路面塌陷')")  # a resident finds it by its words
        page.check(f"#rate-form [name=satisfied][value={'true' if satisfied else 'false'}]")
        page.fill("#rate-form [name=reason]", reason)
        page.click("#rate-form button[type=submit]")
        page.wait_for_selector(".messages li.success")

    department_handles("已回填路面")
    office_inspects_and_feeds_back("路面已修复")
    resident_rates(False, "积水问题还在")
    issue = Issue.objects.get()
    assert (issue.state, issue.reopen_count) == (State.IN_PROGRESS, 1)
    assert issue.owner_organisation.name == "广昌县department"  # reopened to the same owner

    department_handles("加装了排水管")
    office_inspects_and_feeds_back("排水已疏通")
    resident_rates(True, "谢谢")
    page.wait_for_selector("text=评议满意，已办结")
    kinds = list(Issue.objects.get().events.values_list("kind", flat=True))
    assert kinds == [
        "reported",
        "escalated",
        "escalated",
        "assigned",
        "started",
        "handled",
        "inspected",
        "fed_back",
        "rated_dissatisfied",
        "handled",
        "inspected",
        "fed_back",
        "rated_satisfied",
    ]
