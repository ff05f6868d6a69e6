"""On a phone (390×844): a resident evaluates their grid leader once and is thanked in Chinese;
after the office closes the evaluation, the grid leader reads their own results, which name
nobody who evaluated."""

from __future__ import annotations

import datetime
import os

import pytest
from django.utils import timezone

from sanzhang.conftest import PASSWORD, build_county, log_in, make_leader, make_staff
from sanzhang.evaluations import services
from sanzhang.evaluations.models import Evaluation
from sanzhang.people.models import Role
from sanzhang.posts.models import PostKind

from .conftest import make_resident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Screenshots to look at, when asked for: SANZHANG_SHOTS=/some/folder.
SHOTS = os.environ.get("SANZHANG_SHOTS", "")


def shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/evaluations-{name}.png", full_page=True)


def fits_the_screen(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_resident_evaluates_their_grid_leader_who_reads_the_result(browser_page) -> None:
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    county = build_county()
    office = make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")
    leader = make_leader(county.grid_a, PostKind.GRID_LEADER, "grid-leader", name="李网格")
    leader.set_password(PASSWORD)
    leader.save()
    make_leader(county.building_a1, PostKind.BUILDING_LEADER, "building-leader", name="赵楼栋")
    resident = make_resident(county.unit_a1_1, "resident", "301", "王秀英")
    resident.set_password(PASSWORD)
    resident.save()
    today = timezone.localdate()
    period = services.open_period(
        office,
        title="2026年第四季度",
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=30),
    )

    log_in(page, "resident")
    page.click("#menu summary")  # on a phone the rest of the menu is behind one button
    page.click("#menu nav >> text=评议三长")
    card = page.locator(".card.item", has_text="李网格")
    assert "网格长" in card.inner_text()
    assert page.locator(".card.item").count() == 2  # the building leader too
    shoot(page, "vote")
    assert fits_the_screen(page)
    card.locator("input[name=comment]").fill("很负责，常来走访")
    card.locator("button", has_text="基本满意").click()
    page.wait_for_load_state()
    assert "谢谢！您对李网格的评价已记录：基本满意。" in page.inner_text(".messages")
    card = page.locator(".card.item", has_text="李网格")
    assert "您的评价：基本满意" in card.inner_text()
    assert card.locator("button").count() == 0  # no second answer
    shoot(page, "voted")
    assert Evaluation.objects.filter(voter=resident.person).count() == 1

    services.close_period(period, office)
    page.context.clear_cookies()
    log_in(page, "grid-leader")
    page.goto("/evaluations/")
    page.click("text=我的评议结果")
    result = page.inner_text("main")
    assert "2026年第四季度" in result and "基本满意" in result and "100.0%" in result
    assert "很负责，常来走访" in result
    assert "王秀英" not in result and "resident" not in result
    shoot(page, "mine")
    assert fits_the_screen(page)
    # The results of their grid: counts per holder, nobody who voted.
    page.goto(f"/evaluations/{period.pk}/")
    table = page.inner_text("#results")
    assert "李网格" in table and "100.0%" in table and "王秀英" not in table
    shoot(page, "results")
    assert fits_the_screen(page)  # a wide table scrolls in its own box on a phone
