"""On phones (390×844): a repair shop applies on the public page with a photo of its licence;
the community's staff list it; a resident books a repair with two photos; the merchant signs in
by phone code, accepts and marks it done; the resident rates it and complains, and the complaint
is an issue of the loop."""

from __future__ import annotations

import datetime
import io
import os
import re

import pytest
from django.utils import timezone
from PIL import Image

from sanzhang.conftest import PASSWORD, build_county, log_in, make_household, make_staff
from sanzhang.issues.models import Issue
from sanzhang.issues.tests.conftest import reseed
from sanzhang.marketplace.models import Booking
from sanzhang.people.models import Role, User
from sanzhang.signup.sms import DEV_OUTBOX

SHOTS = os.environ.get("SANZHANG_SHOTS", "")  # a folder to keep screenshots in
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = "13700001111"


def _photo(folder, name: str, colour: str) -> str:  # type: ignore[no-untyped-def]
    path = folder / name
    out = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return str(path)


def _submit(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        page.click(selector)


def test_a_resident_books_a_repair_rates_it_and_complains(browser_page, settings, tmp_path):  # type: ignore[no-untyped-def]
    reseed()  # the loop's categories and rules: an earlier transactional test emptied them
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SMS_DEV_OUTBOX = True
    settings.VAR_DIR = tmp_path
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    county = build_county()
    make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")
    make_staff("lotus-staff", Role.COMMUNITY_STAFF, county.community, "committee")
    home = make_household(county.unit_a1_1, "301")
    User.objects.create_user(
        username="resident", password=PASSWORD, role=Role.RESIDENT, person=home.members.get()
    )

    # The shop applies, with no account.
    page.goto(f"/services/apply/?county={county.county.code}")
    page.fill("#id_business_name", "老李家电维修")
    page.fill("#id_contact_name", "李师傅")
    page.fill("#id_phone", PHONE)
    page.check("#apply-form input[value=appliance_repair]")
    page.fill("#id_prices", "上门费30元，换件另计")
    page.check(f"#apply-form input[name=communities][value='{county.community.pk}']")
    page.set_input_files("#id_licence", _photo(tmp_path, "licence.jpg", "orange"))
    _shot(page, "apply")
    _submit(page, "#apply-form button[type=submit]")
    assert "申请已提交" in page.inner_text("main")

    # The community's staff check it and list it.
    log_in(page, "lotus-staff")
    page.goto("/services/merchants/")
    assert "服务商家" in page.inner_text("body")
    _submit(page, "#pending a")
    assert PHONE in page.inner_text("main")
    assert page.locator("main img").evaluate("img => img.naturalWidth") > 0
    _shot(page, "application")
    _submit(page, "#list")
    assert "老李家电维修" in page.inner_text("#listings")

    # The resident books a repair with two photos.
    page.context.clear_cookies()
    log_in(page, "resident")
    page.goto("/services/")
    assert "便民服务" in page.inner_text("body")
    page.click("#kinds >> text=家电维修")
    page.wait_for_url("**/services/?kind=appliance_repair")
    _shot(page, "browse")
    _submit(page, "#listings a.button")
    wanted = timezone.localtime(timezone.now() + datetime.timedelta(days=2)).replace(hour=10)
    page.fill("#id_wanted_at", wanted.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_problem", "冰箱不制冷，冷藏室有水")
    page.set_input_files(
        "#id_photos",
        [_photo(tmp_path, "fridge.jpg", "white"), _photo(tmp_path, "water.jpg", "blue")],
    )
    _shot(page, "book")
    _submit(page, "#book-form button[type=submit]")
    assert "已预约" in page.inner_text(".messages")
    assert "待商家确认" in page.inner_text("#state")
    booking = Booking.objects.get()
    assert booking.photos.count() == 2

    # The merchant signs in by phone code, accepts, and marks the work done.
    page.context.clear_cookies()
    page.goto("/services/sign-in/")
    page.fill("#id_phone", PHONE)
    _submit(page, "#phone-form button")
    outbox = (tmp_path / DEV_OUTBOX).read_text(encoding="utf-8")
    code = re.findall(r"验证码 (\d{6})", outbox)[-1]
    page.fill("#id_code", code)
    _submit(page, "#code-form button")
    assert "我的预约" in page.inner_text("main h1")
    _submit(page, "#bookings a")
    assert "冰箱不制冷" in page.inner_text("main")
    assert page.locator("main section img").first.evaluate("img => img.naturalWidth") > 0
    _shot(page, "merchant-booking")
    _submit(page, "#accept")
    assert "已接受" in page.inner_text("#state")
    _submit(page, "#done")
    assert "已完工" in page.inner_text("#state")
    _shot(page, "merchant-done")

    # The resident rates it, then complains: an issue of the loop.
    page.context.clear_cookies()
    log_in(page, "resident")
    page.goto(f"/services/bookings/{booking.pk}/")
    page.check("#rate-form input[name=stars][value='2']")
    page.fill("#rate-form textarea", "修好了但多收了钱")
    _submit(page, "#rate-form button")
    assert "感谢您的评价" in page.inner_text(".messages")
    assert page.locator("#rate-form").count() == 0
    page.click("#complain summary")
    page.fill("#complain-form textarea", "说好30元上门费，实际收了80元")
    _submit(page, "#complain-form button")
    issue = Issue.objects.get()
    assert issue.number in page.inner_text("#complaint")
    _shot(page, "complained")
    assert issue.reporter is not None and issue.reporter.username == "resident"
    assert issue.household_id == home.pk and "老李家电维修" in issue.text
    booking.refresh_from_db()
    assert (booking.state, booking.stars, booking.complaint_id) == ("rated", 2, issue.pk)


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/marketplace-{name}.png", full_page=True)
