"""In Chromium: the community's staff upload the party organisation as a file, open the tree,
open a grid's branch and add a registered member; every link the branch page shows answers."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from sanzhang.conftest import build_county, log_in, make_household, make_staff
from sanzhang.party.models import Membership
from sanzhang.people.models import PartyMember, Person, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_import_the_tree_and_place_a_member(browser_page, tmp_path) -> None:
    page = browser_page
    county = build_county()
    make_staff("staff", Role.COMMUNITY_STAFF, county.community, "committee")
    home = make_household(county.unit_a1_1, "601", name="刘建国")
    member = PartyMember.objects.create(
        person=Person.objects.get(household=home),
        community=county.community,
        work_unit="县财政局",
        registered_on=datetime.date(2026, 3, 1),
    )
    upload = tmp_path / "党组织.csv"
    upload.write_text(
        "编号,上级编号,类别,名称,所在地编码,单位\n"
        f"GW-1,,党工委,莲花社区党工委,{county.community.code},\n"
        f"ZB-A,GW-1,党支部,第一网格党支部,{county.grid_a.code},\n"
        f"ZB-B,GW-1,党支部,第二网格党支部,{county.grid_b.code},\n",
        encoding="utf-8-sig",
    )
    log_in(page, "staff")
    page.goto("/party/import/")
    page.set_input_files("input[type=file]", str(upload))
    page.click("main button[type=submit]")
    expect(page.locator("#import-result")).to_contain_text("新增 3")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/party/")
    expect(page.locator("h1")).to_have_text("党组织")
    page.click("text=第一网格党支部")
    expect(page.locator("#secretary")).to_contain_text("空缺")  # nobody appointed yet
    page.select_option("#member", label="刘建国 · 县财政局")
    page.click("#add-member button")
    expect(page.locator("#members table")).to_contain_text("刘建国")
    assert Membership.objects.get(member=member).organisation.ref == "ZB-A"
    page.screenshot(path=str(tmp_path / "branch.png"), full_page=True)

    # Every link the branch page shows answers (no 403/404 behind a link).
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.href)")
    for href in hrefs:
        answer = page.request.get(href)
        assert answer.status == 200, href
