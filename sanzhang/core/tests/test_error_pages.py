"""Refusals people understand: pages in Chinese with the header and a way back, the API's in
JSON; a form sent after its page expired says so and loses nothing already saved."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import path

from sanzhang.core import error_pages
from sanzhang.people.models import Role, User

pytestmark = pytest.mark.django_db


def broken(request):  # type: ignore[no-untyped-def]
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", broken), path("api/v1/boom/", broken)]
handler500 = error_pages.server_error
handler404 = error_pages.not_found


def test_a_missing_page_is_in_chinese_with_the_header_and_a_way_home() -> None:
    client = Client()
    client.force_login(User.objects.create_user(username="r", role=Role.RESIDENT))
    response = client.get("/no/such/page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and "返回我的首页" in page and 'class="topbar"' in page
    assert "Not Found" not in page


def test_a_role_refused_a_page_reads_why() -> None:
    client = Client()
    client.force_login(User.objects.create_user(username="r", role=Role.RESIDENT))
    response = client.get("/admin/")  # the admin sends non-staff to its own login
    assert response.status_code in (302, 200)
    response = client.get("/signup/party/registrations/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_the_api_refuses_in_json() -> None:
    client = Client()
    client.force_login(User.objects.create_user(username="r", role=Role.RESIDENT))
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "未找到。", "errors": []}  # the API's one shape


def test_an_expired_form_says_so_in_chinese() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期" in page and "CSRF verification failed" not in page


@override_settings(ROOT_URLCONF=__name__)
def test_a_bug_shows_a_calm_page_and_the_api_json() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500 and "系统出了点问题" in response.content.decode()
    api = client.get("/api/boom/")
    assert api.status_code == 500 and api.json() == {"detail": "系统出了点问题", "errors": []}


def test_a_static_file_missing_from_the_manifest_keeps_its_plain_name(tmp_path) -> None:
    from sanzhang.core.storage import StaticStorage

    storage = StaticStorage(location=str(tmp_path), base_url="/static/")
    assert storage.url("core/site.css") == "/static/core/site.css"  # collectstatic never ran
