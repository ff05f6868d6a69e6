"""In a real browser: the department opens a vetting on a desktop, the grid leader records a
view and the findings on a phone, the department defers; another grid's leader gets 404."""

from __future__ import annotations

import os

import pytest

from sanzhang.conftest import build_county, log_in, make_household, make_leader, make_staff
from sanzhang.people.models import Role
from sanzhang.posts.models import PostKind
from sanzhang.vetting.models import Decision, Status, Vetting

from .conftest import deadline, make_branch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# SANZHANG_SHOTS=/some/dir keeps the screenshots, to look at them.
SHOTS = os.environ.get("SANZHANG_SHOTS", "")


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/vetting-{name}.png", full_page=True)


def _county() -> None:
    county = build_county()
    department = make_staff("orgdept", Role.ORG_DEPARTMENT, county.county, "department")
    department.organisation.name = "县委组织部"
    department.organisation.save()
    make_branch(county.grid_a)
    make_leader(county.grid_a, PostKind.BRANCH_SECRETARY, "secretary", name="张书记")
    make_leader(county.grid_a, PostKind.GRID_LEADER, "gridleader", name="刘网格长")
    make_leader(county.grid_b, PostKind.GRID_LEADER, "other-grid", name="赵网格长")
    make_household(county.unit_a1_1, "501", name="李建国")
    make_household(county.unit_a1_2, "102", name="钱大爷")


def _department_opens(page) -> int:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, "orgdept")
    page.click("nav.nav >> text=干部考察进网格")
    assert "暂无考察" in page.inner_text("main")
    page.click("main nav.tabs >> text=发起考察")
    page.select_option("#grid-form select[name=grid]", label="第一网格 (GC.C01.G01)")
    page.click("#grid-form button")
    page.fill("#id_cadre_name", "李建国")
    page.fill("#id_current_post", "县财政局 副局长")
    page.fill("#id_proposed_post", "县财政局 局长")
    page.check("#open-form >> text=1栋 1单元 501")
    page.fill("#id_deadline", deadline().isoformat())
    _shot(page, "open")
    page.click("#open-form button[type=submit]")
    assert "考察已发起" in page.inner_text("main")
    assert "刘网格长" in page.inner_text("#cadre") and "张书记" in page.inner_text("#cadre")
    return Vetting.objects.get().pk


def _grid_leader_reviews(page, vetting_id: int) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "gridleader")
    page.click("#menu summary")  # on a phone the menu folds behind one button
    page.click("#menu nav >> text=干部考察进网格")
    assert "请您考察的干部" in page.inner_text("main")
    page.click("#vettings >> text=李建国")
    assert page.url.endswith(f"/vetting/{vetting_id}/")
    page.check("#view-form input[name=giver_kind][value=neighbour]")
    page.fill("#view-form #id_giver", "王阿姨")
    page.fill("#view-form #id_relationship", "对门邻居")
    page.fill("#view-form #id_said", "常为停车与邻居争吵，家中老人无人照顾")
    page.click("#view-form button[type=submit]")
    assert "王阿姨" in page.inner_text("#views")
    page.fill("#id_family_conduct", "对老人照顾不够")
    page.fill("#id_neighbours", "与邻居多次争吵")
    page.fill("#id_law_abiding", "未见违法违纪")
    page.fill("#id_community_affairs", "从未参加社区活动")
    page.check("#findings-form input[name=conclusion][value=not_satisfactory]")
    page.fill("#id_reasons", "邻里关系紧张，家风有待改进")
    _shot(page, "phone-findings")
    page.click("#findings-form button[type=submit]")
    assert "考察情况已提交" in page.inner_text("main")
    assert "不满意" in page.inner_text("#findings")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    _shot(page, "phone-submitted")


def _department_defers(page, vetting_id: int) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, "orgdept")
    page.click("nav.nav >> text=干部考察进网格")
    page.click("#vettings >> text=李建国")
    assert "王阿姨" in page.inner_text("#views")
    page.check("#decide-form input[name=decision][value=defer]")
    page.fill("#decide-form textarea[name=note]", "暂缓提拔，一年后再考察")
    _shot(page, "department-decides")
    page.click("#decide-form button[type=submit]")
    assert "暂缓提拔" in page.inner_text("#decision")
    page.click("main nav.tabs >> text=考察列表")
    figures = page.inner_text("#figures-all").split()
    assert figures == ["已发起", "1", "已办结", "1", "暂缓提拔", "1"]
    _shot(page, "department-list")
    with page.expect_download() as download:
        page.click("main nav.tabs >> text=导出已办结考察")
    assert download.value.suggested_filename.endswith(".xlsx")


def test_a_vetting_from_opening_to_a_deferral(browser_page) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    _county()
    vetting_id = _department_opens(page)
    _grid_leader_reviews(page, vetting_id)
    log_in(page, "other-grid")
    assert page.goto(f"/vetting/{vetting_id}/").status == 404
    assert page.goto("/vetting/").status == 404
    assert "干部考察" not in page.inner_text("nav.nav")
    _department_defers(page, vetting_id)
    vetting = Vetting.objects.get()
    assert (vetting.status, vetting.decision) == (Status.DECIDED, Decision.DEFER)
