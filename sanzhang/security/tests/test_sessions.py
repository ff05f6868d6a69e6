"""Sessions (promise 3): 30 minutes idle or 12 hours in all end them; logout ends them on the
server; a deactivated user loses a live session."""

import datetime

import time_machine
from django.test import Client

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import PASSWORD, County

T0 = datetime.datetime(2026, 11, 24, 8, 0, tzinfo=datetime.UTC)


def logged_in_client(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_in(client: Client) -> bool:
    return client.get("/console/").status_code == 200


def test_31_minutes_idle_logs_out(county: County, unit_leader):
    with time_machine.travel(T0, tick=False) as clock:
        client = logged_in_client("unit-leader")
        clock.shift(datetime.timedelta(minutes=29))
        assert is_in(client)
        clock.shift(datetime.timedelta(minutes=31))
        assert not is_in(client)
    ended = AuditEvent.objects.filter(action__startswith="auth.").latest("id")
    assert (ended.action, ended.actor_name) == ("auth.session_expired", "unit-leader")


def test_twelve_hours_of_activity_still_end_the_session(county: County, unit_leader):
    with time_machine.travel(T0, tick=False) as clock:
        client = logged_in_client("unit-leader")
        ended_after = None
        for step in range(1, 40):  # a request every 20 minutes, never idle
            clock.shift(datetime.timedelta(minutes=20))
            if not is_in(client):
                ended_after = step * 20
                break
        assert ended_after is not None
        assert 12 * 60 < ended_after <= 12 * 60 + 20


def test_a_replayed_cookie_after_logout_is_refused(county: County, unit_leader):
    client = logged_in_client("unit-leader")
    cookie = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    replay = Client()
    replay.cookies["sessionid"] = cookie
    assert not is_in(replay)


def test_a_deactivated_user_loses_a_live_session(county: County, unit_leader):
    client = logged_in_client("unit-leader")
    assert is_in(client)
    unit_leader.is_active = False
    unit_leader.save()
    assert not is_in(client)
