"""Every refusal of the API answers in one documented shape, in the caller's language:
`{"detail": "...", "errors": [{"field": ..., "message": ...}]}`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from sanzhang.api import api
from sanzhang.core.tests.openapi_check import problems, response_schema

pytestmark = pytest.mark.django_db


def client_for(user, language: str = "") -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def conforms(answer: Any, path: str, method: str, status: int) -> dict:
    """The answer's body, after checking it against the document's schema for that status."""
    assert answer.status_code == status, answer.content
    body = answer.json()
    # As served (the served one needs a sign-in; its test is in test_api_document.py).
    document = json.loads(json.dumps(api.get_openapi_schema()))
    assert problems(document, body, response_schema(document, path, method, status)) == []
    return body


def test_a_meeting_without_title_or_date_names_both_fields_in_chinese(county, county_officer):
    answer = client_for(county_officer).post("/api/meetings/", {}, content_type="application/json")
    body = conforms(answer, "/api/meetings/", "post", 422)
    assert body["errors"] == [
        {"field": "title", "message": "此项必填。"},
        {"field": "held_on", "message": "此项必填。"},
    ]
    assert body["detail"].startswith("请更正提交的内容：title: 此项必填。")


def test_a_visit_with_a_wrong_type_names_the_field(county, unit_leader):
    sent = {"key": "k1", "kind": "home", "household": "the blue door"}
    answer = client_for(unit_leader).post("/api/visits/", sent, content_type="application/json")
    body = conforms(answer, "/api/visits/", "post", 422)
    assert body["errors"] == [{"field": "household", "message": "请输入整数。"}]


def test_a_wish_move_with_a_bad_version_in_english(county, community_staff):
    client = client_for(community_staff, "en")
    answer = client.post("/api/wishes/1/claim", {"version": "new"}, content_type="application/json")
    body = conforms(answer, "/api/wishes/{wish_id}/claim", "post", 422)
    assert body["errors"] == [{"field": "version", "message": "Enter a whole number."}]
    assert body["detail"] == "Please correct what was sent: version: Enter a whole number."


def test_a_bad_query_parameter_and_a_bad_path_parameter(county, county_officer):
    client = client_for(county_officer)
    body = conforms(client.get("/api/people/", {"limit": "all"}), "/api/people/", "get", 422)
    assert body["errors"] == [{"field": "limit", "message": "请输入整数。"}]
    body = conforms(client.get("/api/people/x"), "/api/people/{person_id}", "get", 422)
    assert body["errors"] == [{"field": "person_id", "message": "请输入整数。"}]


def test_refusals_that_are_not_about_fields_have_the_same_shape(county, county_officer):
    client = client_for(county_officer)
    missing = conforms(client.get("/api/people/999999"), "/api/people/{person_id}", "get", 404)
    assert missing == {"detail": "未找到。", "errors": []}
    unreadable = client.post("/api/meetings/", "{not json", content_type="application/json")
    body = conforms(unreadable, "/api/meetings/", "post", 400)
    assert body == {"detail": "无法读取请求内容：请提交 JSON 或表单。", "errors": []}
    anonymous = conforms(Client().get("/api/people/"), "/api/people/", "get", 401)
    assert anonymous == {"detail": "请先登录。", "errors": []}


def test_an_anonymous_post_is_asked_to_log_in_and_a_session_still_needs_its_csrf_token(
    county, county_officer
):
    """Without a session cookie there is nothing to forge: 401, as for a GET (it was 403
    "CSRF check Failed", found by test_api_properties.py; the test client skips CSRF)."""
    anonymous = Client(enforce_csrf_checks=True).post("/api/notices/read")
    assert conforms(anonymous, "/api/notices/read", "post", 401)["detail"] == "请先登录。"
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(county_officer)
    assert signed_in.post("/api/notices/read").status_code == 403


def test_a_resident_asking_for_the_register_is_answered_a_documented_404(county, resident):
    answer = client_for(resident).get("/api/people/")
    assert conforms(answer, "/api/people/", "get", 404) == {"detail": "未找到。", "errors": []}


@pytest.mark.parametrize("path", ["/api/issues/", "/api/posts/", "/api/wishes/"])
def test_a_filter_by_what_is_no_place_code_is_refused_not_a_server_error(
    path, county, county_officer
):
    client = client_for(county_officer)
    body = conforms(client.get(path, {"under": "GC/C01"}), path, "get", 422)
    assert body == {"detail": "请输入地点编码，例如 GC.C01.G01。", "errors": []}
    # A code in small letters is still one (normalised, as the pages do).
    assert client.get(path, {"under": " gc.c01 "}).status_code == 200
