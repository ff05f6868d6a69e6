"""Two-factor sign-in (promise 4): the county office and the administrators give a code from an
authenticator app after the password; a password alone opens no page and no API call; a code
works once; wrong codes are throttled and audited; a grid leader is never asked.

Every test here runs with the demand on (the `totp` mark; the rest of the suite runs without
it, see sanzhang/conftest.py). Codes are computed from the device's own key at a fixed instant,
so no test leans on today's date."""

from __future__ import annotations

import base64
import datetime
import os
import re
import tempfile
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import PASSWORD, log_in, make_staff
from sanzhang.people.models import Role, User
from sanzhang.security.models import ApiToken
from sanzhang.security.otp import make_recovery_codes

pytestmark = [pytest.mark.django_db, pytest.mark.totp]

START = datetime.datetime(2026, 3, 2, 9, 0, 5, tzinfo=datetime.UTC)  # 5 s into a 30 s step
LOGIN = "/accounts/login/"
# The browser test's screenshots (totp-*.png), looked at by whoever changes these pages.
SHOTS = Path(os.environ.get("SANZHANG_SHOTS") or tempfile.gettempdir())


@pytest.fixture
def clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def code_of(device: TOTPDevice) -> str:
    """The code the phone's app shows now."""
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def device_of(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)


def signed_in(user: User) -> Client:
    """A browser signed in with the password only (the login form)."""
    client = Client()
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def verified(user: User, device: TOTPDevice) -> Client:
    """A browser whose session passed its second factor (for tests about something else)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def actions(name: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=name).order_by("id"))


def test_the_office_is_led_from_its_password_to_setting_up_an_app(clock, county_officer) -> None:
    browser = signed_in(county_officer)
    assert browser.get("/console/")["Location"] == "/accounts/otp/setup/?next=%2Fconsole%2F"
    page = browser.get("/accounts/otp/setup/?next=/console/").content.decode()
    device = TOTPDevice.objects.get(user=county_officer, confirmed=False)
    shown = re.search(r'<code id="otp-secret">([A-Z2-7 ]+)</code>', page)
    assert shown and base64.b32decode(shown.group(1).replace(" ", "")) == device.bin_key
    assert 'src="data:image/svg+xml' in page  # the QR code, allowed by the CSP's img-src
    assert browser.get("/console/").status_code == 302  # the page alone changes nothing
    answer = browser.post("/accounts/otp/setup/", {"code": code_of(device), "next": "/console/"})
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", answer.content.decode())
    assert len(set(codes)) == 10 and answer["Cache-Control"].startswith("max-age=0")
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == 10 and not stored & {c.replace("-", "") for c in codes}  # hashed
    assert browser.get("/console/").status_code == 200
    assert TOTPDevice.objects.get(user=county_officer).confirmed
    assert [e.actor_id for e in actions("otp.set_up")] == [county_officer.pk]


def test_each_session_sets_up_a_secret_of_its_own(clock, county_officer) -> None:
    """Someone else signed in with the password before the owner set up their app cannot copy
    the secret the owner is about to scan; a reload keeps the session's own."""

    def secret(browser: Client) -> str:
        page = browser.get("/accounts/otp/setup/").content.decode()
        shown = re.search(r'<code id="otp-secret">([A-Z2-7 ]+)</code>', page)
        assert shown
        return shown.group(1)

    owner, other = signed_in(county_officer), signed_in(county_officer)
    mine = secret(owner)
    assert secret(owner) == mine and secret(other) != mine
    pending = TOTPDevice.objects.filter(user=county_officer, confirmed=False).order_by("pk")
    owners = pending.first()
    assert owners is not None
    owner.post("/accounts/otp/setup/", {"code": code_of(owners)})
    assert list(TOTPDevice.objects.filter(user=county_officer)) == [owners]
    assert TOTPDevice.objects.get(user=county_officer).confirmed


def test_a_wrong_code_does_not_confirm_the_setup(clock, county_officer) -> None:
    browser = signed_in(county_officer)
    browser.get("/accounts/otp/setup/")
    device = TOTPDevice.objects.get(user=county_officer)
    wrong = "000000" if code_of(device) != "000000" else "111111"
    assert browser.post("/accounts/otp/setup/", {"code": wrong}).status_code == 200
    assert not TOTPDevice.objects.get(user=county_officer).confirmed
    assert browser.get("/console/").status_code == 302
    assert actions("otp.failed")[0].detail == {"kind": "setup", "throttled": False}


def test_with_an_app_the_office_types_its_code_and_a_code_works_once(clock, county_officer):  # type: ignore[no-untyped-def]
    device = device_of(county_officer)
    browser = signed_in(county_officer)
    assert browser.get("/people/")["Location"] == "/accounts/otp/verify/?next=%2Fpeople%2F"
    code = code_of(device)
    answer = browser.post("/accounts/otp/verify/", {"code": code, "next": "/people/"})
    assert answer["Location"] == "/people/"
    assert browser.get("/console/").status_code == 200
    thief = signed_in(county_officer)  # the same code, seen over a shoulder, a moment later
    assert thief.post("/accounts/otp/verify/", {"code": code}).status_code == 200
    assert thief.get("/console/").status_code == 302
    assert len(actions("otp.verified")) == 1


def test_a_recovery_code_signs_in_once(clock, county_officer) -> None:
    device_of(county_officer)
    codes = make_recovery_codes(county_officer)
    first = signed_in(county_officer)
    passed = first.post("/accounts/otp/verify/", {"code": codes[0].upper()})
    assert passed["Location"] == "/console/"  # nowhere asked for: the home page
    assert first.get("/console/").status_code == 200
    clock.shift(60)
    second = signed_in(county_officer)
    assert second.post("/accounts/otp/verify/", {"code": codes[0]}).status_code == 200
    assert second.get("/console/").status_code == 302
    assert [e.detail for e in actions("otp.recovery_code_used")] == [{"left": 9}]


def test_wrong_codes_are_throttled_and_audited(clock, county_officer) -> None:
    device = device_of(county_officer)
    browser = signed_in(county_officer)
    wrong = "000000" if code_of(device) != "000000" else "111111"
    assert browser.post("/accounts/otp/verify/", {"code": wrong}).status_code == 200
    # Within a second of a wrong code, even the right one is refused (django-otp's back-off).
    refused = browser.post("/accounts/otp/verify/", {"code": code_of(device)})
    assert refused.status_code == 200 and "17:00:06" in refused.content.decode()  # Shanghai
    assert browser.get("/console/").status_code == 302
    clock.shift(2)
    assert browser.post("/accounts/otp/verify/", {"code": code_of(device)}).status_code == 302
    assert [e.detail for e in actions("otp.failed")] == [
        {"kind": "totp", "throttled": False},
        {"kind": "totp", "throttled": True},
    ]
    assert {e.outcome for e in actions("otp.failed")} == {"refused"}
    assert all(e.ip == "127.0.0.1" for e in actions("otp.failed"))


def test_until_verified_every_page_and_api_call_is_refused(clock, county_officer) -> None:
    device_of(county_officer)
    county_officer.must_change_password = True
    county_officer.save()
    browser = signed_in(county_officer)
    for page in ["/console/", "/people/", "/admin/", "/accounts/tokens/", "/accounts/otp/"]:
        assert browser.get(page)["Location"].startswith("/accounts/otp/verify/"), page
    # The password change comes after the second factor: a password alone changes nothing.
    assert browser.get("/accounts/password_change/")["Location"].startswith("/accounts/otp/")
    posted = browser.post("/accounts/tokens/", {"name": "x"})
    assert posted["Location"] == "/accounts/otp/verify/"
    api = browser.get("/api/issues/")
    assert api.status_code == 403 and set(api.json()) == {"detail", "errors"}
    assert "两步" in api.json()["detail"] or "two-factor" in api.json()["detail"]
    assert browser.get("/accounts/otp/verify/").status_code == 200
    assert browser.get("/static/core/site.css").status_code == 200
    assert browser.post("/accounts/logout/").status_code == 302


def test_a_token_by_password_needs_the_code_for_the_office_not_for_a_grid_leader(
    clock, county_officer, outsider
) -> None:
    device = device_of(county_officer)

    def ask(user: User, **more: str):  # type: ignore[no-untyped-def]
        body = {"username": user.username, "password": PASSWORD, "device": "手机", **more}
        return Client().post("/api/auth/token/password", body, content_type="application/json")

    without = ask(county_officer)
    assert without.status_code == 403 and "otp" in without.json()["detail"]
    wrong = "000000" if code_of(device) != "000000" else "111111"
    assert ask(county_officer, otp=wrong).status_code == 401
    clock.shift(2)  # past the back-off of the wrong code
    assert ask(county_officer, otp=code_of(device)).status_code == 201
    assert ask(outsider).status_code == 201  # a grid leader is never asked
    assert sorted(t.user.username for t in ApiToken.objects.all()) == ["office", "outsider"]


def test_a_grid_leader_is_never_asked(clock, outsider) -> None:
    browser = signed_in(outsider)
    assert browser.get("/console/").status_code == 200
    assert browser.get("/api/issues/").status_code == 200
    assert browser.get("/accounts/otp/setup/").status_code == 404
    assert not TOTPDevice.objects.exists()


def test_the_office_renews_its_recovery_codes(clock, county_officer) -> None:
    device = device_of(county_officer)
    old = make_recovery_codes(county_officer)
    browser = verified(county_officer, device)
    own_page = browser.get("/accounts/otp/").content.decode()
    assert 'action="/accounts/otp/recovery-codes/"' in own_page
    page = browser.post("/accounts/otp/recovery-codes/").content.decode()
    new = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", page)
    assert len(new) == 10 and not set(new) & set(old)
    clock.shift(60)
    stale = signed_in(county_officer)
    assert stale.post("/accounts/otp/verify/", {"code": old[0]}).status_code == 200
    assert stale.post("/accounts/otp/verify/", {"code": new[0]}).status_code == 200  # throttled
    clock.shift(2)
    assert stale.post("/accounts/otp/verify/", {"code": new[0]}).status_code == 302


def test_the_security_administrator_resets_a_lost_phone(clock, county, county_officer) -> None:
    secadmin = make_staff("secadmin", Role.SECURITY_ADMIN, county.county, "county_office")
    office_device = device_of(county_officer)
    office = verified(county_officer, office_device)
    admin = verified(secadmin, device_of(secadmin))
    page = admin.get("/accounts/otp/").content.decode()
    assert 'action="/accounts/otp/reset/"' in page
    assert office.post("/accounts/otp/reset/", {"username": "secadmin"}).status_code == 404
    admin.post("/accounts/otp/reset/", {"username": "secadmin"})  # not one's own
    assert TOTPDevice.objects.filter(user=secadmin).exists()
    admin.post("/accounts/otp/reset/", {"username": "office"})
    assert not TOTPDevice.objects.filter(user=county_officer).exists()
    assert [(e.actor_id, e.object_id) for e in actions("otp.reset")] == [
        (secadmin.pk, str(county_officer.pk))
    ]
    # The lost phone's session is verified no longer: it is led to set up a new app.
    assert office.get("/console/")["Location"].startswith("/accounts/otp/setup/")


@pytest.mark.browser
def test_the_office_sets_up_its_app_on_a_phone(browser_page, county_officer) -> None:
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "office")
    page.wait_for_selector("#otp-secret")
    assert "/accounts/otp/setup/" in page.url
    page.screenshot(path=SHOTS / "totp-setup.png", full_page=True)
    secret = page.inner_text("#otp-secret").replace(" ", "")
    key = base64.b32decode(secret)
    page.fill("#id_code", f"{TOTP(key).token():06d}")
    page.click("#otp-form button[type=submit]")
    page.wait_for_selector("#recovery-codes")
    assert page.locator("#recovery-codes li").count() == 10
    page.screenshot(path=SHOTS / "totp-codes.png", full_page=True)
    with page.expect_navigation():
        page.click("#otp-continue")
    assert page.url.endswith("/console/")
    page.screenshot(path=SHOTS / "totp-home.png")
