"""On a phone (390×844, headless Chromium): a party member registers at their community and the
community's staff confirm it; the staff invite a new building leader, who opens the link and
sets their own password."""

from __future__ import annotations

import pytest

from sanzhang.conftest import PASSWORD, build_county, log_in, make_household, make_staff
from sanzhang.people.models import Organisation, PartyMember, Person, Role, User
from sanzhang.signup.models import Invitation, PartyRegistration

from .conftest import last_code
from .test_browser import PHONE, fits_the_screen, shot, sign_in_by_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page) -> None:  # type: ignore[no-untyped-def]
    page.click("#logout-form button")
    page.wait_for_url("**/accounts/login/**")


def test_a_party_member_registers_and_the_staff_confirm(browser_page, outbox) -> None:
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    county = build_county()
    Organisation.objects.create(
        kind=Organisation.Kind.COUNTY_OFFICE, name="县三长办", place=county.county
    )
    make_staff("staff", Role.COMMUNITY_STAFF, county.community, "committee")
    household = make_household(county.unit_a1_1, "502", name="陈志刚")
    person = Person.objects.get(household=household)
    person.phone = PHONE  # the field is encrypted: saved through the model
    person.save()

    # From the registration page, signed out: sign in by code and come back to it
    page.goto("/signup/party/")
    page.wait_for_url("**/accounts/login/**")
    page.click("#phone-sign-in")
    page.fill("#id_phone", PHONE)
    page.click("#phone-form button[type=submit]")
    page.wait_for_selector("#code-form")
    page.fill("#id_code", last_code(outbox, PHONE))
    page.click("#code-form button[type=submit]")
    page.wait_for_selector("#party-form")
    assert page.input_value("#id_community") == str(county.community.pk)
    page.fill("#id_work_unit", "县财政局")
    page.fill("#id_party_organisation", "县财政局机关党支部")
    page.click("#party-form button[type=submit]")
    page.wait_for_selector("#registration-status")
    assert "等待莲花社区工作人员确认" in page.inner_text("#registration-status")
    assert fits_the_screen(page)
    shot(page, "party-waiting")
    assert PartyRegistration.objects.get().person == person
    log_out(page)

    log_in(page, "staff", PASSWORD)
    page.click("#waiting >> text=名党员报到待确认")
    page.wait_for_selector("#registrations")
    assert "县财政局机关党支部" in page.inner_text("#registrations")
    shot(page, "party-registrations")
    page.click("#registrations button[value=confirm]")
    page.wait_for_selector("text=报到已审核")
    assert "莲花社区" in page.inner_text("#registered-counts")
    member = PartyMember.objects.get(person=person)
    assert (member.community, member.party_organisation) == (county.community, "县财政局机关党支部")
    log_out(page)

    sign_in_by_code(page, outbox)
    page.goto("/signup/party/")
    assert "在莲花社区报到" in page.inner_text("#member-status")
    shot(page, "party-registered")


def test_an_invited_leader_sets_their_own_password(browser_page) -> None:
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    county = build_county()
    make_staff("staff", Role.COMMUNITY_STAFF, county.community, "committee")
    make_household(county.unit_a1_1, "601", name="刘建华")

    log_in(page, "staff", PASSWORD)
    page.click("#invite-accounts")
    page.fill("#find-person input[name=q]", "刘")
    page.click("#find-person button")
    page.wait_for_selector("#found >> text=刘建华")
    page.select_option("#found select[name=role]", Role.LEADER)
    page.click("#found button[type=submit]")
    page.wait_for_selector("#invitation-link")
    link = page.input_value("#link")
    assert "/signup/invite/" in link and fits_the_screen(page)
    shot(page, "invitation-made")
    page.context.clear_cookies()

    page.goto(link)
    assert "刘建华" in page.inner_text("main")
    page.fill("#id_username", "liujianhua")
    page.fill("#id_password1", "short")
    page.fill("#id_password2", "short")
    page.click("#accept-form button[type=submit]")
    page.wait_for_selector(".errorlist")  # the password rules, in Chinese, nothing lost
    assert page.input_value("#id_username") == "liujianhua"
    page.fill("#id_password1", "Lianxiang-2026!")
    page.fill("#id_password2", "Lianxiang-2026!")
    shot(page, "invitation-accept")
    page.click("#accept-form button[type=submit]")
    page.wait_for_selector("text=您的账号已开通")
    user = User.objects.get(username="liujianhua")
    assert (user.role, user.person.name) == (Role.LEADER, "刘建华")
    assert Invitation.objects.get().used_at is not None
    log_out(page)
    log_in(page, "liujianhua", "Lianxiang-2026!")
    page.wait_for_selector("#logout-form")
    page.goto(link)
    assert "邀请链接已失效" in page.inner_text("main")
