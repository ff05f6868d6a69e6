"""The mini-program's way in: a code texted to the phone buys a bearer token for the device;
with it the phone reports with photos and rates, with no cookie and no CSRF token; the token
is listed with its last use, revoked, expires, and is kept only as a hash."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from sanzhang.conftest import PASSWORD
from sanzhang.issues import workflow
from sanzhang.issues.models import Issue, State
from sanzhang.issues.tests.test_api import jpeg
from sanzhang.security.models import ApiToken
from sanzhang.security.tokens import issue

from .conftest import last_code

pytestmark = pytest.mark.django_db
PHONE = "13700001234"  # the resident fixture's phone, in the register


def app() -> Client:
    """A client that is not a browser: no cookies kept between calls, CSRF enforced."""
    return Client(enforce_csrf_checks=True)


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def phone_token(outbox, device: str = "小李的手机") -> str:  # type: ignore[no-untyped-def]
    sent = app().post("/api/auth/code", {"phone": PHONE}, content_type="application/json")
    assert sent.status_code == 200 and sent.json() == {"sent": True}
    answer = app().post(
        "/api/auth/token",
        {"phone": PHONE, "code": last_code(outbox, PHONE), "device": device},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    return answer.json()["token"]


def test_the_mini_program_reports_with_photos_and_rates_with_its_token(
    outbox, loop, resident, unit_leader, grid_leader
) -> None:
    token = phone_token(outbox)
    assert token.startswith("sz_") and token not in json.dumps(
        list(ApiToken.objects.values()), default=str
    )  # only its hash is kept
    created = app().post(
        "/api/issues/",
        {"text": "楼下垃圾没人清", "photos": [jpeg(), jpeg(size=(80, 60))]},
        **bearer(token),
    )
    assert created.status_code == 201, created.content
    issue = Issue.objects.get(number=created.json()["number"])
    assert (issue.reporter, issue.place, issue.photos.count()) == (resident, loop.unit_a1_1, 2)
    workflow.confirm(issue, unit_leader, tier="simple")
    workflow.start(issue, unit_leader)
    workflow.handle(issue, unit_leader, note="已清理")
    workflow.pass_inspection(issue, grid_leader)
    workflow.feed_back(issue, unit_leader, message="已清理干净")
    rated = app().post(
        f"/api/issues/{issue.number}/rate",
        {"satisfied": True},
        content_type="application/json",
        **bearer(token),
    )
    assert rated.status_code == 200 and rated.json()["state"] == State.CLOSED
    notices = app().get("/api/notices/", **bearer(token))
    assert notices.status_code == 200 and notices.json()["items"]


def test_tokens_are_listed_with_their_last_use_and_revoked(outbox, loop, resident) -> None:
    phone = phone_token(outbox, "旧手机")
    assert app().get("/api/issues/", **bearer(phone)).status_code == 200
    listed = app().get("/api/tokens/", **bearer(phone)).json()
    assert [(t["name"], t["last_used_at"] is not None) for t in listed] == [("旧手机", True)]
    revoked = app().delete(f"/api/tokens/{listed[0]['id']}", **bearer(phone))
    assert revoked.json() == {"revoked": True}
    assert app().get("/api/issues/", **bearer(phone)).status_code == 401
    assert app().get("/api/issues/", **bearer(phone + "0")).status_code == 401
    assert app().get("/api/issues/", **bearer("not-a-token")).status_code == 401


def test_another_users_token_cannot_be_seen_or_revoked(outbox, loop, resident, unit_leader):  # type: ignore[no-untyped-def]
    phone = phone_token(outbox)
    leader = app().post(
        "/api/auth/token/password",
        {"username": unit_leader.username, "password": PASSWORD, "device": "单元长的手机"},
        content_type="application/json",
    )
    assert leader.status_code == 201, leader.content
    leaders = leader.json()["token"]
    mine = ApiToken.objects.get(user=resident)
    assert app().delete(f"/api/tokens/{mine.pk}", **bearer(leaders)).status_code == 404
    assert [t["name"] for t in app().get("/api/tokens/", **bearer(leaders)).json()] == [
        "单元长的手机"
    ]
    assert app().get("/api/issues/", **bearer(phone)).status_code == 200


def test_a_token_expires(outbox, loop, resident, settings) -> None:
    token = phone_token(outbox)
    later = timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DAYS["device"] + 1)
    with time_machine.travel(later):
        assert app().get("/api/issues/", **bearer(token)).status_code == 401


def test_wrong_passwords_and_codes_buy_nothing(outbox, loop, resident, unit_leader) -> None:
    wrong = app().post(
        "/api/auth/token/password",
        {"username": unit_leader.username, "password": "nope", "device": "x"},
        content_type="application/json",
    )
    assert wrong.status_code == 401 and "不正确" in wrong.json()["detail"]
    app().post("/api/auth/code", {"phone": PHONE}, content_type="application/json")
    guessed = app().post(
        "/api/auth/token",
        {"phone": PHONE, "code": "000000" if last_code(outbox, PHONE) != "000000" else "1",
         "device": "x"},
        content_type="application/json",
    )  # fmt: skip
    assert guessed.status_code == 422
    assert not ApiToken.objects.exists()


def test_the_pages_session_still_needs_its_csrf_token(loop, resident) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(resident)
    refused = browser.post("/api/issues/", {"text": "没有 CSRF 令牌"})
    assert refused.status_code in (401, 403) and not Issue.objects.exists()


def test_an_expired_password_buys_and_uses_no_token(loop, unit_leader) -> None:
    _token, secret = issue(unit_leader, name="单元长的手机")
    unit_leader.must_change_password = True
    unit_leader.save()
    assert app().get("/api/issues/", **bearer(secret)).status_code == 403
    refused = app().post(
        "/api/auth/token/password",
        {"username": unit_leader.username, "password": PASSWORD, "device": "新手机"},
        content_type="application/json",
    )
    assert refused.status_code == 403 and "修改密码" in refused.json()["detail"]
    assert ApiToken.objects.count() == 1


def test_a_new_password_revokes_the_accounts_tokens(loop, unit_leader) -> None:
    _token, secret = issue(unit_leader, name="被偷的手机")
    unit_leader.set_password("Another-Strong-Pass-2026")
    unit_leader.save()
    from django.contrib.auth.password_validation import password_changed

    password_changed("Another-Strong-Pass-2026", unit_leader)  # as the change form does
    assert app().get("/api/issues/", **bearer(secret)).status_code == 401


def test_signing_in_again_and_again_never_shuts_a_phone_out(outbox, loop, resident) -> None:
    from sanzhang.security.tokens import MAX_PER_USER

    for n in range(MAX_PER_USER):
        issue(resident, name=f"重装 {n}")
    newest = phone_token(outbox, "又重装了")
    assert app().get("/api/issues/", **bearer(newest)).status_code == 200
    live = ApiToken.objects.filter(user=resident, revoked_at__isnull=True)
    assert live.count() == MAX_PER_USER and not live.filter(name="重装 0").exists()
