"""The assignment meeting pages read their forms: a mangled date is refused in the page's
words, a mangled id finds nothing (404), an unknown action saves nothing."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils.translation import gettext

from sanzhang.issues import meetings
from sanzhang.issues.models import Meeting

pytestmark = pytest.mark.django_db


def test_mangled_meeting_values(county, county_officer) -> None:
    client = Client()
    client.force_login(county_officer)
    for held_on in ["", "soon", "2026-02-30"]:
        page = client.post("/issues/meetings/", {"title": "交办会", "held_on": held_on})
        assert page.status_code == 200
        assert gettext("Give a date as YYYY-MM-DD.") in page.content.decode()
    assert not Meeting.objects.exists()
    meeting = meetings.schedule(county_officer, title="交办会", held_on=datetime.date(2026, 12, 1))
    url = f"/issues/meetings/{meeting.pk}/"
    for bad in [{"item": "abc"}, {"item": "", "lead": "x"}, {"helpers": ["x"]}]:
        assign = {"action": "assign", "due_on": "2026-12-15", **bad}
        assert client.post(url, assign).status_code == 404  # no such item on the agenda
    assert client.post(url, {"action": "agenda", "issue": "nonsense"}).status_code == 404
    assert client.post(url, {"action": "elsewhere"}).status_code == 302  # saves nothing
    meeting.refresh_from_db()
    assert not meeting.items.exists()
