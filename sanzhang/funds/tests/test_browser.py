"""On phones (390×844): the community's staff record two spendings of grid A with a photo of
each receipt, for 60 yuan each out of 100; two approval pages are open at once, and the first
approval wins: the second is refused for exceeding the balance and the claim stays pending."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from PIL import Image

from sanzhang.conftest import build_county, log_in, make_staff
from sanzhang.funds.models import Account, Spending
from sanzhang.people.models import Role

from .conftest import fund_grid

SHOTS = os.environ.get("SANZHANG_SHOTS", "")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/funds-{name}.png", full_page=True)


def _record(page, account: Account, item: str, photo: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"/funds/accounts/{account.pk}/")
    form = page.locator("#spend-form")
    form.locator("[name=item]").fill(item)
    form.locator("[name=amount]").fill("60")
    form.locator("[name=purpose]").fill("网格支部主题党日活动")
    form.locator("[name=receipt]").set_input_files(photo)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "等待上一级审批" in page.inner_text(".messages")


def test_two_approvals_for_the_last_money_one_wins(browser_page, tmp_path):  # type: ignore[no-untyped-def]
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    county = build_county()
    office = make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")
    staff = make_staff("staff", Role.COMMUNITY_STAFF, county.community, "committee")
    grid = fund_grid(county, office, staff, "100.00")
    photo = tmp_path / "receipt.jpg"
    Image.new("RGB", (600, 800), "white").save(photo, "JPEG")
    log_in(page, "staff")
    _record(page, grid, "党员活动室茶叶", str(photo))
    _record(page, grid, "音响租赁", str(photo))
    _shot(page, "account")
    first, second = Spending.objects.order_by("pk")
    # Four eyes: a colleague of the community approves what "staff" recorded.
    make_staff("staff-2", Role.COMMUNITY_STAFF, county.community, "committee")
    log_in(page, "staff-2")
    other = page.context.new_page()
    other.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/funds/spendings/{first.pk}/")
    other.goto(f"/funds/spendings/{second.pk}/")
    assert page.locator("img[alt='票据照片']").evaluate("img => img.naturalWidth") > 0
    for tab in (page, other):  # both show the approve button: each read 100 yuan left
        assert tab.locator("#approve-form button").is_visible()
    with page.expect_navigation():
        page.locator("#approve-form button").click()
    assert "已批准" in page.inner_text(".messages")
    with other.expect_navigation():
        other.locator("#approve-form button").click()
    assert "超出账户余额" in other.inner_text(".messages")
    assert "待审批" in other.inner_text("#status")
    _shot(page, "approved")
    _shot(other, "refused")
    grid.refresh_from_db()
    assert grid.balance == Decimal("40.00")
    assert sorted(Spending.objects.values_list("status", flat=True)) == ["approved", "pending"]
