"""Input no database keeps gets one answer on SQLite and PostgreSQL, never a 500: NUL in a
path, query or form field (400, nothing stored), NUL or a lone surrogate in the API's JSON
(422), a form not in UTF-8 (400), offsets past any row (422)."""

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
    for body in (json.dumps({"text": "灯坏了\x00"}), '{"text": "灯坏了\\ud800"}'):
        answer = me.post("/api/issues/", body, content_type="application/json")
        assert answer.status_code == 422, body
        assert set(answer.json()) == {"detail", "errors"}
    nul_query = me.get("/api/issues/?q=%00")
    assert nul_query.status_code == 400 and set(nul_query.json()) == {"detail", "errors"}
    assert not Issue.objects.exists()


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
