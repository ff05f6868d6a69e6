"""In headless Chromium: the county office drafts, edits and issues a week's rectification
list, the unit leader answers, the office sends one answer back and verifies it; then the
county dashboard opens with its figures, its charts and the grid map drawn."""

from __future__ import annotations

import datetime
import os
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from sanzhang.conftest import build_county, log_in, make_leader, make_staff
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Issue, State
from sanzhang.issues.tests.conftest import reseed
from sanzhang.issues.workflow import move
from sanzhang.people.models import Role, User
from sanzhang.posts.models import PostKind
from sanzhang.supervision import rectification
from sanzhang.supervision.models import RectificationItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def as_user(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    log_in(page, username)


def test_the_weekly_cycle_and_the_dashboard(browser_page) -> None:
    page = browser_page
    reseed()
    county = build_county()
    leader = make_leader(county.unit_a1_1, PostKind.UNIT_LEADER, "unit-leader")
    make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")
    county.grid_a.boundary = {
        "type": "Polygon",
        "coordinates": [
            [[116.0, 26.0], [116.01, 26.0], [116.01, 26.01], [116.0, 26.01], [116.0, 26.0]]
        ],
    }
    county.grid_a.save()
    # Last week: one report left waiting past its deadline, one declined without inspection.
    monday = rectification.monday_of(timezone.localdate()) - rectification.WEEK
    when = datetime.datetime.combine(monday, datetime.time(9), tzinfo=SHANGHAI)
    with time_machine.travel(when, tick=False):
        late = submit(leader, place=county.unit_a1_1, text="楼道堆放杂物", channel="patrol")
        refused = submit(leader, place=county.unit_a1_1, text="邻居装修太吵", channel="patrol")
        move(refused.issue, None, kind="declined", to_state=State.DECLINED, note="不属于受理范围")

    as_user(page, "office")
    page.goto("/supervision/weekly/")
    page.click("#draft-week")
    page.wait_for_selector(".messages li.success")
    page.click(f"#lists a:has-text('{county.community.name}')")
    assert page.locator(".item").count() == 2
    # Give both items to the unit leader's post with a deadline, then issue the list.
    deadline = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    for n in range(2):
        item = page.locator(".item").nth(n)
        if not item.locator("details").get_attribute("open"):
            item.locator("summary").click()
        item.locator("select[name=responsible_post]").select_option(
            label=f"{county.unit_a1_1.code} 1单元 单元长"
        )
        item.locator("input[name=deadline]").fill(deadline)
        item.locator("button:has-text('保存')").click()
        page.wait_for_selector(".messages li.success")
    page.click("#issue-list")
    page.wait_for_selector(".messages li.success")
    assert page.locator("#list-status").inner_text() == "已下发"

    as_user(page, "unit-leader")
    page.goto("/supervision/weekly/mine/")
    assert page.locator("[id^=mine-]").count() == 2
    for n in range(2):
        page.goto("/supervision/weekly/mine/")
        page.locator("[id^=mine-] a").first.click()
        open_item = page.locator(".item[data-status=open]").first
        open_item.locator("textarea[name=answer]").fill(f"已整改，第{n + 1}项")
        open_item.locator("button:has-text('提交回复')").click()
        page.wait_for_selector(".messages li.success")

    as_user(page, "office")
    items = RectificationItem.objects.order_by("pk")
    list_url = f"/supervision/weekly/{items[0].rectification_list_id}/"
    page.goto(list_url)
    first = page.locator(f"#item-{items[0].pk}")
    first.locator("textarea[name=note]").fill("请补充照片")
    first.locator("button:has-text('退回')").click()
    page.wait_for_selector(".messages li.success")
    second = page.locator(f"#item-{items[1].pk}")
    second.locator("button:has-text('核实通过')").click()
    page.wait_for_selector(".messages li.success")
    statuses = dict(RectificationItem.objects.values_list("pk", "status"))
    assert statuses == {items[0].pk: "open", items[1].pk: "verified"}
    assert RectificationItem.objects.get(pk=items[0].pk).send_backs == 1
    assert Issue.objects.get(pk=late.issue.pk).state == State.REPORTED

    page.goto(f"/supervision/dashboard/{county.county.code}/")
    page.wait_for_selector("#chart-trend[data-ready='1']")
    page.wait_for_selector("#chart-map[data-grids='1']")
    open_now = Issue.objects.filter(state__in=["reported"]).count()
    headline = page.locator("#headline [data-figure=collected] .figure").inner_text()
    assert headline == str(Issue.objects.count()) == "2"
    assert page.locator("#today [data-figure=open] .figure").inner_text() == str(open_now)
    community_row = page.locator(f"#children tr:has-text('{county.community.name}')")
    assert community_row.locator("td").nth(1).inner_text() == "1"

    # On a phone the rings stand one under another, each the screen's width, titles inside
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_selector("#chart-tier[data-ready='1']")
    box = page.locator("#chart-tier").bounding_box()
    assert box is not None and box["width"] > 300
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if os.environ.get("SANZHANG_SHOTS"):
        page.screenshot(path=f"{os.environ['SANZHANG_SHOTS']}/dashboard-phone.png", full_page=True)


def test_the_daily_summary_fits_a_phone(browser_page) -> None:
    from sanzhang.supervision.summaries import produce

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    reseed()
    county = build_county()
    make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")
    make_leader(county.unit_a1_1, PostKind.UNIT_LEADER, "unit-leader")
    day = datetime.date(2026, 6, 1)
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, tzinfo=SHANGHAI), tick=False):
        leader = User.objects.get(username="unit-leader")
        submit(leader, place=county.unit_a1_1, text="楼道灯坏了", channel="patrol")
    produce(day)
    log_in(page, "office")
    page.goto(f"/supervision/daily/{county.county.code}/?day={day.isoformat()}")
    page.wait_for_selector("#figures")
    # Eleven columns: the table scrolls inside its box; the page does not scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
