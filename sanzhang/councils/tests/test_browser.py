"""A resident's issue goes to the community council: staff put it on a meeting's agenda (desktop),
a member signs in on the phone (390×844), the meeting agrees with a vote count, the decision
becomes an issue of the loop, and the decision is published on the noticeboard with no
personal data."""

from __future__ import annotations

import datetime
import os

import pytest

from sanzhang.conftest import log_in
from sanzhang.core.tests.test_accessibility import violations
from sanzhang.councils.models import Attendance, Decision, Meeting
from sanzhang.issues.models import Issue

from .helpers import council_with_member

SHOTS = os.environ.get("SANZHANG_SHOTS", "")  # a folder for the screenshots, when set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _links_answer(page) -> None:  # type: ignore[no-untyped-def]
    """Every link of the page's content answers (no 404 or 500)."""
    hrefs = page.eval_on_selector_all(
        "main a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    for href in set(hrefs):
        if href.startswith(("tel:", "mailto:", "#")):
            continue
        status = page.request.get(href).status
        assert status < 400, f"{page.url}: {href} answered {status}"


def test_an_issue_becomes_a_topic_a_decision_an_issue_and_a_public_notice(  # type: ignore[no-untyped-def]
    browser_page, live_server, county, community_staff, county_officer
):
    setting = council_with_member(county, community_staff)
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, "staff")

    page.goto("/councils/")
    page.click(f"text={setting.council.name}")
    page.fill("#id_reference", setting.issue.number)
    page.select_option("#id_source", "issue")
    page.fill("#id_title", "小区停车难、消防通道被占")
    page.click("#topic-form button[type=submit]")
    assert page.locator(".messages").inner_text().strip() == "议题已提出。"
    _shot(page, "councils-council")
    _links_answer(page)
    page.fill("#id_held_on", "2026-11-20")
    page.fill("#id_venue", "社区党群服务中心")
    page.click("#meeting-form button[type=submit]")
    meeting = Meeting.objects.get()
    assert page.url.endswith(f"/councils/meetings/{meeting.pk}/")
    assert "小区停车难" in page.inner_text("#topic-" + str(meeting.topics.get().pk))
    _links_answer(page)

    # The member, on the phone, signs in.
    phone = page.context.browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}
    ).new_page()
    log_in(phone, "member")
    phone.goto("/councils/")
    phone.click("#my-meetings a")
    phone.click("#sign-in")
    assert "您已签到" in phone.inner_text("#my-sign-in")
    _shot(phone, "councils-phone-sign-in")
    assert violations(phone) == []
    assert Attendance.objects.get(meeting=meeting).how == Attendance.How.PHONE
    _links_answer(phone)

    # Staff mark the property company present and record the decision.
    page.reload()
    assert "手机签到" in page.inner_text("#attendance")
    assert violations(page) == []  # the staff's meeting page, with its forms
    page.click("#attendance button")  # the property company's seat
    topic = meeting.topics.get()
    form = f"#topic-{topic.pk} form.decide-form"
    page.select_option(f"{form} select[name=outcome]", "agreed")
    page.fill(f"{form} textarea[name=text]", "由物业划定夜间临时停车区，每周清理消防通道")
    page.fill(f"{form} input[name=votes_for]", "2")
    page.fill(f"{form} input[name=votes_against]", "0")
    page.fill(f"{form} input[name=votes_abstain]", "0")
    page.fill(f"{form} input[name=owner]", "绿城物业")
    page.fill(f"{form} input[name=due_on]", "2026-12-31")
    page.click(f"{form} button[type=submit]")
    decision = Decision.objects.get()
    assert decision.issue is not None and decision.votes_for == 2
    work = Issue.objects.get(pk=decision.issue.pk)
    assert work.place == setting.council.place and "夜间临时停车区" in work.text
    assert work.number in page.inner_text("#progress")
    assert "事件上报" in page.inner_text("#progress")

    page.fill("#id_minutes", "李建国（居民代表）、张经理（绿城物业）出席；王秀英反映停车难。")
    page.fill("#id_public_minutes", "五方共商小区停车问题，议定临时停车方案。")
    page.click("#minutes-form button[type=submit]")
    page.click("#publish-button")
    assert page.locator(".messages").inner_text().strip() == "已在公示牌公示。"
    _shot(page, "councils-staff-meeting")
    _links_answer(page)

    # The public board, signed out: the decision, no one's name or phone.
    public = page.context.browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    public.goto(f"/councils/board/{setting.council.place.code}/")
    board = public.inner_text("#council-board")
    assert "由物业划定夜间临时停车区" in board and "通过" in board and "赞成2票" in board
    assert "五方共商小区停车问题" in board
    secrets = ["王秀英", "李建国", "张经理", "13812345678", "13700001234", setting.issue.text]
    for secret in secrets:
        assert secret not in public.content()
    _shot(public, "councils-board")
    assert violations(public) == []
    _links_answer(public)
    public.click("text=便民公示牌")
    assert public.url.endswith(f"/board/{setting.council.place.code}/")
    public.click("text=议事公示")  # the noticeboard leads back to the council's record
    assert "由物业划定夜间临时停车区" in public.inner_text("main")

    # The council list: the figures the staff follow.
    page.goto("/councils/")
    figures = page.inner_text("#figures")
    assert "本级议定" in figures and "提交乡镇" in figures and "0 / 1" in figures
    _shot(page, "councils-list")
    _links_answer(page)
    assert datetime.date(2026, 11, 20) == meeting.held_on
