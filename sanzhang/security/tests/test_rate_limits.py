"""Request rates (promise 15): per address on sign-in and sign-up, per account on reports and
uploads; the refusal is 429 with Retry-After, as a page or in the API's error shape, and
nothing of the refused request is stored. An office behind one address is not shut out by
one person, and nobody can lock another person's account from elsewhere."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client, override_settings

from sanzhang.conftest import PASSWORD, County
from sanzhang.issues.models import Issue
from sanzhang.issues.tests.test_api import jpeg
from sanzhang.security import counters as counter_store
from sanzhang.security import ratelimits
from sanzhang.security.models import RateCounter
from sanzhang.security.tokens import issue as issue_token

LOGIN = "/accounts/login/"
OFFICE_ADDRESS = "10.20.30.40"


@pytest.fixture(autouse=True)
def _fresh_rules():
    # The rules are read once per process; each test's settings are its own.
    ratelimits.rules.cache_clear()
    yield
    ratelimits.rules.cache_clear()


def limits(**rates: str) -> dict[str, dict[str, str]]:
    from django.conf import settings

    rules = {name: dict(rule) for name, rule in settings.RATE_LIMITS.items()}
    for name, rate in rates.items():
        rules[name.replace("_", "-")]["rate"] = rate
    return rules


def sign_in(username: str, password: str, address: str = OFFICE_ADDRESS) -> int:
    response = Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password})
    return response.status_code


def test_sign_in_attempts_from_one_address_are_limited(county: County, unit_leader) -> None:
    with override_settings(RATE_LIMITS=limits(login="3/10m")):
        assert [sign_in("nobody", "wrong-Password-1") for _ in range(3)] == [200, 200, 200]
        refused = Client(REMOTE_ADDR=OFFICE_ADDRESS).post(
            LOGIN, {"username": "unit-leader", "password": PASSWORD}
        )
        assert refused.status_code == 429
        assert 0 < int(refused["Retry-After"]) <= 600
        assert "请求过于频繁" in refused.content.decode()
        assert "_auth_user_id" not in refused.wsgi_request.session  # not signed in
        # Another address is counted apart.
        assert sign_in("unit-leader", PASSWORD, address="10.20.30.41") == 302


def test_an_office_on_one_address_is_not_shut_out_by_one_person(
    county: County, unit_leader, colleague
) -> None:
    # One person mistypes until their name is locked (from this address) ...
    for _ in range(5):
        sign_in("unit-leader", "wrong-Password-1")
    assert sign_in("unit-leader", PASSWORD) == 429
    # ... their colleague at the next desk signs in at once, and so does a whole morning's
    # office under the default limits.
    assert sign_in(colleague.username, PASSWORD) == 302
    for _ in range(30):
        assert sign_in(colleague.username, PASSWORD) == 302


def test_nobody_can_lock_an_account_from_elsewhere(county: County, unit_leader) -> None:
    for _ in range(10):
        sign_in("unit-leader", "wrong-Password-1", address="203.0.113.9")
    assert sign_in("unit-leader", PASSWORD, address="203.0.113.9") == 429
    assert sign_in("unit-leader", PASSWORD) == 302  # from the leader's own office


def test_reports_are_limited_per_account_and_the_refused_one_is_not_stored(
    loop, resident, unit_leader
) -> None:
    _row, token = issue_token(resident, name="手机")
    _row, other = issue_token(resident, name="平板")
    with override_settings(RATE_LIMITS=limits(report="2/h")):
        for text in ("路灯坏了", "井盖松动"):
            created = Client().post(
                "/api/issues/", {"text": text}, HTTP_AUTHORIZATION=f"Bearer {token}"
            )
            assert created.status_code == 201, created.content
        # The same account on its other device is the same account.
        refused = Client().post(
            "/api/issues/",
            {"text": "垃圾没人清", "photos": [jpeg()]},
            HTTP_AUTHORIZATION=f"Bearer {other}",
        )
        assert refused.status_code == 429
        assert refused.json() == {
            "detail": f"请求过于频繁，请 {refused['Retry-After']} 秒后再试。",
            "errors": [],
        }
        assert Issue.objects.count() == 2
        # A leader typing reports at the door from the same address is not limited per
        # account (a paper list of a meeting), only with the address's generous rate.
        client = Client()
        client.force_login(unit_leader)
        assert client.post("/issues/new/", {"text": "路灯坏了"}).status_code != 429


def test_uploads_are_counted_per_account(county: County, unit_leader, colleague) -> None:
    rules = limits(upload="2/h")
    with override_settings(RATE_LIMITS=rules):
        client = Client()
        client.force_login(unit_leader)
        answers = [
            client.post("/issues/new/", {"text": "x", "photos": [jpeg()]}).status_code
            for _ in range(3)
        ]
        assert 429 not in answers[:2] and answers[2] == 429
        # A form without files is not an upload.
        assert client.post("/issues/new/", {"text": "x"}).status_code != 429
        other = Client()
        other.force_login(colleague)
        assert other.post("/issues/new/", {"text": "x", "photos": [jpeg()]}).status_code != 429


def _in_threads(threads: int, times: int, count: Callable[[], object]) -> None:
    """`count` called `times` times in each of `threads` threads at once, each thread on its
    own connection, closed when it ends (kept otherwise: CONN_MAX_AGE)."""

    def run() -> None:
        try:
            for _ in range(times):
                count()
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_are_all_counted(county: County) -> None:
    counters = caches["ratelimit"]
    assert counters.add("k", 0, 60)
    per_thread, threads = 10, 6
    _in_threads(threads, per_thread, lambda: counters.incr("k"))
    assert counters.get("k") == per_thread * threads
    assert RateCounter.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_counted_in_one_statement_are_all_counted(county: County) -> None:
    counters = caches["ratelimit"]
    per_thread, threads = 10, 6
    _in_threads(threads, per_thread, lambda: counters.count_each({"k": 60, "address": 60}))
    assert counters.get("k") == counters.get("address") == per_thread * threads


@pytest.mark.django_db(transaction=True)
def test_a_requests_counts_are_written_in_one_statement(loop, resident, monkeypatch) -> None:
    """On SQLite each statement of its own took the one write lock again, and a transaction
    around them held it while Python ran in between: a report's counts against its two rules
    are one statement, in a transaction of its own (autocommit)."""
    from sanzhang.issues.tests.conftest import reseed

    reseed()  # the categories the migrations seed, flushed by the test before
    monkeypatch.setattr(counter_store, "PURGE_EVERY", 10**12)  # no purge of old counters here
    client = Client()
    client.force_login(resident)
    assert client.post("/api/issues/", {"text": "路灯坏了"}).status_code == 201
    seen: list[bool] = []

    def watch(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if "security_ratecounter" in sql:
            seen.append(connection.in_atomic_block)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        assert client.post("/api/issues/", {"text": "井盖松动"}).status_code == 201
    assert seen == [False]
    # Both rules counted both reports.
    assert sorted(RateCounter.objects.values_list("count", flat=True)) == [2, 2]


def test_each_count_starts_at_one_and_an_expired_one_starts_again(county: County) -> None:
    counters = caches["ratelimit"]
    assert counters.count_each({"a": 60, "b": 60}) == {"a": 1, "b": 1}
    assert counters.count_each({"a": 60, "b": 60}) == {"a": 2, "b": 2}
    RateCounter.objects.filter(pk__endswith=":a").update(expires_at="2000-01-01T00:00Z")
    assert counters.count_each({"a": 60, "b": 60}) == {"a": 1, "b": 3}
    assert counters.get("a") == 1  # started again with a live window
    assert counters.count_each({}) == {}


def test_a_refused_report_does_not_spend_the_shared_address(loop, resident) -> None:
    """Counted rule by rule up to the first exceeded, as Redis counts: a resident over their
    own limit does not use up the address an office shares."""
    client = Client(REMOTE_ADDR=OFFICE_ADDRESS)
    client.force_login(resident)
    with override_settings(RATE_LIMITS=limits(report="2/h")):
        codes = [
            client.post("/api/issues/", {"text": f"路灯坏了 {i}"}).status_code for i in range(5)
        ]
    assert codes == [201, 201, 429, 429, 429]
    # The account's counter saw all five; the address's only the two it let through.
    assert sorted(RateCounter.objects.values_list("count", flat=True)) == [2, 5]


def test_the_database_counts_what_django_ratelimit_counts(loop, resident) -> None:
    """The same window and key as django-ratelimit's own get_usage (its private helpers are
    used for the one-statement count): a count made either way is the other's."""
    from django.conf import settings
    from django.test import RequestFactory
    from django_ratelimit.core import get_usage

    request = RequestFactory().post("/api/v1/issues/", REMOTE_ADDR=OFFICE_ADDRESS)
    request.user = resident
    rule = settings.RATE_LIMITS["report"]
    get_usage(
        request, group="sanzhang.report", key=ratelimits.KEYS["account"], rate=rule["rate"],
        method="POST", increment=True,
    )  # fmt: skip
    assert ratelimits.over_limit(request) is None
    # The account's counter, counted once each way, and the address's, once.
    assert sorted(RateCounter.objects.values_list("count", flat=True)) == [1, 2]


def test_counters_expire_and_start_again(county: County) -> None:
    counters = caches["ratelimit"]
    assert counters.add("w", 5, 60)
    assert not counters.add("w", 0, 60)  # a live counter is not replaced
    assert counters.incr("w") == 6
    RateCounter.objects.filter(pk__endswith="w").update(expires_at="2000-01-01T00:00Z")
    assert counters.get("w", 0) == 0
    assert counters.add("w", 1, 60) and counters.get("w") == 1


def test_an_ipv6_client_is_counted_by_its_64(county: County, unit_leader) -> None:
    with override_settings(RATE_LIMITS=limits(login="2/10m")):
        assert sign_in("nobody", "wrong-Password-1", address="2001:db8:1:2::a") == 200
        assert sign_in("nobody", "wrong-Password-1", address="2001:db8:1:2::b") == 200
        assert sign_in("nobody", "wrong-Password-1", address="2001:db8:1:2:ffff::c") == 429
        assert sign_in("unit-leader", PASSWORD, address="2001:db8:1:3::a") == 302


def test_another_systems_reports_are_counted_by_address_only(
    loop, resident, county_officer, department
) -> None:
    from sanzhang.people.models import Role, User
    from sanzhang.security.models import ApiToken

    system = User.objects.create_user(
        "housing-system", role=Role.DEPARTMENT, organisation=department.organisation
    )
    _row, key = issue_token(system, name="12345平台", kind=ApiToken.Kind.SYSTEM, by=county_officer)
    with override_settings(RATE_LIMITS=limits(report="1/h", report_address="3/h")):
        answers = [
            Client(REMOTE_ADDR="10.9.9.9")
            .post("/open311/v2/requests.json", {"api_key": key, "service_code": "x"})
            .status_code
            for _ in range(4)
        ]
    # Past the person's limit of one, refused only at the address's limit of three.
    assert 429 not in answers[:3] and answers[3] == 429
