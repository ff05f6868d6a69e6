"""On phones (390×844): the community's staff see a unit leader's term ending, stand the holder
down with the reserve taking over (双三长), and the reserve, signed in, finds the post theirs
with its duty list; a rotation planned for another post waits on the staff's page."""

from __future__ import annotations

import datetime
import os

import pytest
from django.utils import timezone

from sanzhang.conftest import PASSWORD, build_county, log_in, make_leader, make_staff
from sanzhang.people.models import Person, Role, User
from sanzhang.posts.models import Post, PostKind, PostRule, Tenure
from sanzhang.posts.services import appoint
from sanzhang.rotation.models import RotationPlan
from sanzhang.rotation.terms import add_months

SHOTS = os.environ.get("SANZHANG_SHOTS", "")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/rotation-{name}.png", full_page=True)


def test_the_reserve_takes_over_when_the_holder_stands_down(browser_page) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    county = build_county()
    make_staff("staff", Role.COMMUNITY_STAFF, county.community, "committee")
    holder = make_leader(county.unit_a1_1, PostKind.UNIT_LEADER, "holder", name="李卫东")
    post = Post.objects.get(place=county.unit_a1_1, kind=PostKind.UNIT_LEADER)
    # The holder's two-year term ends in ten days, whatever today is.
    today = timezone.localdate()
    Tenure.objects.filter(person=holder.person).update(
        started_on=add_months(today + datetime.timedelta(days=10), -24)
    )
    PostRule.objects.create(county=county.county, kind=PostKind.UNIT_LEADER, term_months=24)
    reserve_person = Person.objects.create(name="赵小红", phone="13900002222")
    appoint(post, reserve_person, role=Tenure.Role.RESERVE, start=datetime.date(2025, 6, 1))
    User.objects.create_user(
        username="reserve", password=PASSWORD, role=Role.LEADER, person=reserve_person
    )
    other = make_leader(county.unit_a1_2, PostKind.UNIT_LEADER, "other", name="王建设")
    Tenure.objects.filter(person=other.person).update(
        started_on=add_months(today + datetime.timedelta(days=20), -24)
    )

    log_in(page, "staff")
    page.goto("/rotation/")
    ending = page.inner_text("#ending")
    assert "李卫东" in ending and "王建设" in ending and "赵小红" in ending
    _shot(page, "terms")

    # A rotation for the other unit: someone new follows on the term's last day.
    page.click("#ending tr:has-text('王建设') a:has-text('安排轮岗')")
    page.check("input[name=who][value=other]")
    page.fill("input[name=name]", "孙建国")
    page.fill("input[name=phone]", "13900004444")
    with page.expect_navigation():
        page.click("#plan-form button[type=submit]")
    # Someone the register does not know, and no party member: the county's rule is shown, and
    # the plan is made only when the staff tick that they plan despite it.
    assert "不是" in page.inner_text("#concerns") or "没有" in page.inner_text("#concerns")
    _shot(page, "plan-concerns")
    page.check("input[name=despite_concerns]")
    with page.expect_navigation():
        page.click("#plan-form button[type=submit]")
    assert "已安排轮岗" in page.inner_text("main")
    assert "孙建国" in page.inner_text("#plans")
    plan = RotationPlan.objects.get()
    assert plan.state == RotationPlan.State.PLANNED and plan.incoming.name == "孙建国"

    # The holder of unit 1 stands down; the reserve takes over.
    page.goto(f"/posts/{post.pk}/")
    holding = Tenure.objects.current().get(post=post, role=Tenure.Role.HOLDER)
    form = page.locator(f"form[action='/posts/tenure/{holding.pk}/stand-down/']")
    form.locator("input[name=reason]").fill("工作调动")
    # The reserve is no party member the register shows living here: the box waits for a tick.
    box = form.locator("input[name=reserve_takes_over]")
    assert not box.is_checked() and form.locator(".concerns li").count() >= 1
    box.check()
    _shot(page, "stand-down")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "赵小红" in page.inner_text(".messages, main")
    _shot(page, "taken-over")
    current = Tenure.objects.current().filter(post=post)
    assert list(current.values_list("person__name", "role")) == [("赵小红", "holder")]

    # The new holder signs in on the phone: the post is theirs, with its duty list.
    log_in(page, "reserve")
    page.goto("/")
    home = page.inner_text("main")
    assert "单元长" in home and "后备" not in home
    page.click(f"main a[href='/posts/{post.pk}/']")
    assert "职责清单" in page.inner_text("main")
    _shot(page, "duties")
    page.goto("/issues/")
    assert page.url.endswith("/issues/")
