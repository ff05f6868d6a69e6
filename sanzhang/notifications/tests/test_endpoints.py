"""An outgoing channel's address is http(s) only: the admin's form refuses ftp:// in the
reader's language, and a row written past the form is never fetched."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.forms import modelform_factory
from django.utils import translation

from sanzhang.conftest import County
from sanzhang.notifications.channels import SendFailed, post_json
from sanzhang.notifications.models import Endpoint

pytestmark = pytest.mark.django_db

# The ModelForm the admin builds: the form's own URL check, then the model's validators.
EndpointForm = modelform_factory(Endpoint, fields=["kind", "name", "url", "place", "is_active"])


def form(county: County, url: str):  # type: ignore[no-untyped-def]
    data = {"kind": "wecom_robot", "name": "第一网格群", "url": url, "place": county.grid_a.pk}
    return EndpointForm(data={**data, "is_active": "on"})


@pytest.mark.parametrize("url", ["ftp://files.example/hook", "ftps://files.example/hook"])
def test_the_form_refuses_an_address_that_is_not_http(county: County, url: str) -> None:
    with translation.override("zh-hans"):
        refused = form(county, url)
        assert not refused.is_valid()
        assert refused.errors["url"] == ["请输入以 http:// 或 https:// 开头的网址。"]


@pytest.mark.parametrize("url", ["http://10.0.0.5:8080/hook", "https://qyapi.weixin.qq.com/x"])
def test_the_form_takes_http_and_https(county: County, url: str) -> None:
    accepted = form(county, url)
    assert accepted.is_valid(), accepted.errors
    assert accepted.save().url == url


def test_a_row_written_past_the_form_is_not_fetched(county: County) -> None:
    row = Endpoint.objects.create(
        kind="wecom_robot", name="旧", url="ftp://files.example/hook", place=county.grid_a
    )
    with pytest.raises(SendFailed, match="not an http"):
        post_json(row, {"msgtype": "text"})


class Redirecting(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.send_response(302)
        self.send_header("Location", "ftp://files.example/elsewhere")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_a_redirect_is_not_followed(county: County) -> None:
    """urllib would follow a 302 to ftp:// (or to another host) past the address check."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        row = Endpoint.objects.create(kind="wecom_robot", name="群", url=url, place=county.grid_a)
        with pytest.raises(SendFailed, match="HTTP 302"):
            post_json(row, {"msgtype": "text"})
    finally:
        server.shutdown()
        server.server_close()
