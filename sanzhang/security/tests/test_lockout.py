"""Lock-out (promise 2): five failures in 15 minutes lock the user name for 15 minutes; the
responses never tell whether an account exists; every attempt is in the audit log."""

import datetime
import re

import time_machine
from django.test import Client

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import PASSWORD, County

LOGIN = "/accounts/login/"


def attempt(username: str, password: str = "wrong-Password-1") -> tuple[int, str]:
    response = Client().post(LOGIN, {"username": username, "password": password})
    return response.status_code, response.content.decode()


def test_the_sixth_attempt_is_refused_even_with_the_right_password(county: County, unit_leader):
    for _ in range(5):
        status, _body = attempt("unit-leader")
        assert status in {200, 429}  # refused; the fifth failure answers with the lock
    status, body = attempt("unit-leader", PASSWORD)
    assert status == 429
    assert "15 分钟" in body


def comparable(body: str, username: str) -> str:
    """The page without what differs on every request anyway (CSRF tokens) or by design."""
    body = re.sub(r'csrfmiddlewaretoken" value="[^"]+"', "", body)
    body = re.sub(r'"X-CSRFToken": "[^"]+"', "", body)
    return body.replace(username, "NAME")


def test_real_and_unknown_names_get_identical_responses(county: County, unit_leader):
    for _ in range(6):
        real = attempt("unit-leader")
        unknown = attempt("nobody-here")
        assert real[0] == unknown[0]
        assert comparable(real[1], "unit-leader") == comparable(unknown[1], "nobody-here")


def test_the_lock_lifts_after_15_minutes(county: County, unit_leader):
    start = datetime.datetime(2026, 11, 24, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            attempt("unit-leader")
        assert attempt("unit-leader", PASSWORD)[0] == 429
    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        status = Client().post(LOGIN, {"username": "unit-leader", "password": PASSWORD})
        assert status.status_code == 302


def test_every_attempt_is_audited_without_the_password(county: County, unit_leader):
    attempt("unit-leader")
    attempt("nobody-here")
    Client().post(LOGIN, {"username": "unit-leader", "password": PASSWORD})
    rows = list(AuditEvent.objects.order_by("id").values_list("action", "outcome", "detail"))
    auth_rows = [row for row in rows if row[0].startswith("auth.")]
    assert auth_rows == [
        ("auth.login_failed", "refused", {"username": "unit-leader"}),
        ("auth.login_failed", "refused", {"username": "nobody-here"}),
        ("auth.login", "ok", {}),
    ]
    assert all(PASSWORD not in str(row) and "wrong-Password" not in str(row) for row in rows)


def test_lock_out_is_audited(county: County, unit_leader):
    for _ in range(6):
        attempt("unit-leader")
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()


def test_each_attempt_and_logout_writes_exactly_one_audit_row(county: County, unit_leader):
    auth_rows = AuditEvent.objects.filter(action__startswith="auth.").order_by("id")
    for _ in range(7):
        attempt("nobody-here")
    actions = list(auth_rows.values_list("action", flat=True))
    assert actions == ["auth.login_failed"] * 4 + ["auth.locked_out"] * 3
    client = Client()
    client.post(LOGIN, {"username": "unit-leader", "password": PASSWORD})
    client.post("/accounts/logout/")
    rows = auth_rows.values_list("action", "actor_name", "ip")[7:]
    assert list(rows) == [
        ("auth.login", "unit-leader", "127.0.0.1"),
        ("auth.logout", "unit-leader", "127.0.0.1"),
    ]
