"""WeChat's mini-program login against a local stand-in for its code2session endpoint (a real
HTTP server): off unless configured; an openid opens only the account that linked it after
signing in by phone code; a WeChat linked elsewhere is refused; WeChat's refusals are words."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from sanzhang.signup.models import WeChatLink

from .test_api_tokens import app, bearer, phone_token

pytestmark = pytest.mark.django_db
CODES = {"code-li": "o-li-openid", "code-li-2": "o-li-openid", "code-zhao": "o-zhao-openid"}


@pytest.fixture
def wechat(settings):  # type: ignore[no-untyped-def]
    """A fake jscode2session: known codes answer their openid, others WeChat's errcode 40029."""
    asked: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
            asked.append(query)
            openid = CODES.get(query.get("js_code", ""))
            body = (
                {"openid": openid, "session_key": "k"}
                if openid and query.get("secret") == "app-secret"
                else {"errcode": 40029, "errmsg": "invalid code"}
            )
            payload = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.WECHAT_APP_ID = "wx-app"
    settings.WECHAT_APP_SECRET = "app-secret"
    settings.WECHAT_CODE2SESSION_URL = (
        f"http://127.0.0.1:{server.server_address[1]}/sns/jscode2session"
    )
    yield asked
    server.shutdown()
    server.server_close()


def signin(code: str):  # type: ignore[no-untyped-def]
    return app().post("/api/auth/wechat", {"code": code}, content_type="application/json")


def test_a_linked_wechat_signs_in_without_a_code(outbox, wechat, loop, resident) -> None:
    assert signin("code-li").status_code == 404  # not linked yet: sign in by phone first
    token = phone_token(outbox)
    linked = app().post(
        "/api/auth/wechat/link", {"code": "code-li"}, content_type="application/json",
        **bearer(token),
    )  # fmt: skip
    assert linked.status_code == 200 and linked.json() == {"linked": True}
    answer = signin("code-li-2")  # a fresh wx.login() code of the same WeChat user
    assert answer.status_code == 201 and answer.json()["user_id"] == resident.pk
    assert app().get("/api/issues/", **bearer(answer.json()["token"])).status_code == 200
    assert wechat[-1]["appid"] == "wx-app" and wechat[-1]["grant_type"] == "authorization_code"
    assert "o-li-openid" not in json.dumps(list(WeChatLink.objects.values()), default=str)


def test_a_wechat_linked_elsewhere_is_refused(outbox, wechat, loop, resident) -> None:
    from sanzhang.conftest import make_household
    from sanzhang.people.models import Person, Role, User

    token = phone_token(outbox)
    app().post("/api/auth/wechat/link", {"code": "code-li"}, content_type="application/json",
               **bearer(token))  # fmt: skip
    neighbour = User.objects.create_user(
        "neighbour",
        role=Role.RESIDENT,
        person=Person.objects.get(household=make_household(loop.unit_a1_1, "302", name="赵敏")),
    )
    other = Client()
    other.force_login(neighbour)  # a signed-in page's session may link too
    again = other.post(
        "/api/auth/wechat/link", {"code": "code-li-2"}, content_type="application/json"
    )
    assert again.status_code == 409 and "另一个账号" in again.json()["detail"]
    assert WeChatLink.objects.get().user == resident


def test_wechats_refusal_and_an_unset_wechat_are_words_not_errors(
    outbox, wechat, settings, loop, resident
) -> None:
    refused = signin("forged")
    assert refused.status_code == 422 and "微信" in refused.json()["detail"]
    settings.WECHAT_APP_ID = ""
    off = signin("code-li")
    assert off.status_code == 403 and "未开通" in off.json()["detail"]


def test_only_residents_sign_in_with_wechat(wechat, loop, unit_leader) -> None:
    leader = Client()
    leader.force_login(unit_leader)
    refused = leader.post(
        "/api/auth/wechat/link", {"code": "code-zhao"}, content_type="application/json"
    )
    assert refused.status_code == 403 and not WeChatLink.objects.exists()
    WeChatLink.objects.create(user=unit_leader, openid_hash="x" * 64)  # linked by some old path
    assert signin("code-zhao").status_code == 404
