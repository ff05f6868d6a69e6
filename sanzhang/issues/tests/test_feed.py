"""Reading every issue of a county page after page with a cursor: each page begins where the
last ended, issues reported meanwhile neither repeat nor go missing, and a cursor that is not
one we made is refused in the error shape, never a server error."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from sanzhang.issues.intake import submit

pytestmark = pytest.mark.django_db


def office(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_feed_walks_every_issue_once_while_more_arrive(loop, resident, county_officer):
    made = [
        submit(resident, place=loop.unit_a1_1, text=f"第{n}号：楼道灯坏了").issue for n in range(7)
    ]
    client = office(county_officer)
    page = client.get("/api/v1/issues/feed", {"page_size": 3}).json()
    seen = [row["number"] for row in page["results"]]
    submit(resident, place=loop.unit_a1_1, text="读到一半又来一条")  # newer: not in this walk
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [row["number"] for row in page["results"]]
    assert seen == [issue.number for issue in reversed(made)]


def test_a_cursor_we_did_not_make_is_refused(loop, county_officer) -> None:
    client = office(county_officer)
    for cursor in (
        "not base64!",
        base64.b64encode(b"p=abc").decode(),
        base64.b64encode(b"p=1&o=99999").decode(),
        base64.b64encode(b"p=" + b"9" * 40).decode(),
    ):
        answer = client.get("/api/v1/issues/feed", {"cursor": cursor})
        assert answer.status_code == 422, (cursor, answer.content)
        assert set(answer.json()) == {"detail", "errors"}
    assert client.get("/api/v1/issues/feed", {"page_size": 201}).status_code == 422


def test_the_feed_and_the_list_keep_their_own_page_schemas(settings, client) -> None:
    settings.DEBUG = True  # the document is public in development
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert set(schemas["PagedIssueOut"]["properties"]) == {"items", "count"}
    assert set(schemas["PagedFeedIssueOut"]["properties"]) == {"next", "previous", "results"}
