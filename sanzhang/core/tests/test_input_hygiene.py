"""Input no database keeps gets one answer on SQLite and PostgreSQL, never a 500: NUL in a
path, query, form field or the API's JSON (400, nothing stored), a lone surrogate in the API's
JSON (422), a form not in UTF-8 (400), offsets past any row (422)."""

from __future__ import annotations

import json
from urllib.parse import quote_from_bytes

import pytest
from django.test import Client

from sanzhang.issues.models import Issue

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_nul_in_a_form_path_or_query_is_refused_in_words(loop, resident, unit_leader) -> None:
    me = signed_in(resident)
    form = me.post("/r/", {"text": "楼道灯坏了\x00", "category": ""})
    assert form.status_code == 400 and "无法保存的字符" in form.content.decode()
    multipart = me.post("/r/", {"text": "楼道灯坏了", "place\x00": "x"})
    assert multipart.status_code == 400
    query = me.get("/r/similar/?text=%00abc&place=")
    assert query.status_code == 400
    leader = signed_in(unit_leader)
    assert leader.get("/issues/%00/").status_code == 400  # a 500 on PostgreSQL before
    assert not Issue.objects.exists()


def test_the_api_refuses_nul_and_lone_surrogates_in_its_shape(loop, resident) -> None:
    me = signed_in(resident)
    for body, status in (
        (json.dumps({"text": "灯坏了\x00"}), 400),
        ('{"text": "灯坏了\\ud800"}', 422),
    ):
        answer = me.post("/api/issues/", body, content_type="application/json")
        assert answer.status_code == status, body
        assert set(answer.json()) == {"detail", "errors"}
    nul_query = me.get("/api/issues/?q=%00")
    assert nul_query.status_code == 400 and set(nul_query.json()) == {"detail", "errors"}
    assert not Issue.objects.exists()


def test_nul_in_json_is_refused_before_a_view_can_query_with_it(loop, resident) -> None:
    """A NUL in a username reached django-axes' lookup first: a 500 on PostgreSQL (found by
    test_api_properties.py). Nested anywhere in the body, it is refused at the door."""
    for sent in (
        {"username": "resident\x00", "password": "x", "device": "phone"},
        {"username": "resident", "password": "x", "device": ["phone", {"k\x00": 1}]},
    ):
        answer = Client(raise_request_exception=False).post(
            "/api/auth/token/password", json.dumps(sent), content_type="application/json"
        )
        assert answer.status_code == 400
        assert "NUL" in answer.json()["detail"]
    # An escaped backslash before "u0000" is no NUL: the API reads it (and refuses the login).
    text = json.dumps({"username": "resident\\u0000", "password": "x", "device": "phone"})
    answer = Client().post("/api/auth/token/password", text, content_type="application/json")
    assert answer.status_code == 401


def test_a_form_not_in_utf8_is_refused_not_misread(loop, resident) -> None:
    body = "text=" + quote_from_bytes("路灯坏了".encode("gbk"))
    answer = signed_in(resident).post(
        "/r/", body, content_type="application/x-www-form-urlencoded; charset=gbk"
    )
    assert answer.status_code == 400 and "<html" in answer.content.decode().lower()
    assert not Issue.objects.exists()


def test_offsets_past_any_number_are_refused(loop, resident, unit_leader) -> None:
    for user in (resident, unit_leader):
        answer = signed_in(user).get("/api/issues/?offset=9223372036854775808")
        assert answer.status_code == 422 and set(answer.json()) == {"detail", "errors"}


def test_a_form_sent_to_a_json_operation_is_400_not_500(loop) -> None:
    """The middlewares read a form's fields before the view; an operation that wants JSON
    then cannot read the body again, which is the caller's mistake, not a server error."""
    answer = Client(raise_request_exception=False).post(
        "/api/auth/token/password", {"username": "x", "password": "y", "device": "d"}
    )
    assert answer.status_code == 400 and set(answer.json()) == {"detail", "errors"}
