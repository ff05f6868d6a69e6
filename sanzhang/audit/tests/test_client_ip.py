"""Audit rows name the client's address, also behind the TLS proxy, and a forged
X-Forwarded-For header is not believed (promise 8)."""

from django.http import HttpRequest
from django.test import Client, RequestFactory, override_settings

from sanzhang.audit.models import AuditEvent
from sanzhang.audit.services import client_ip


def request(remote: str, forwarded: str | None = None) -> HttpRequest:
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_a_proxy_the_address_is_the_peer_and_forwarded_for_is_ignored():
    assert client_ip(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=1)
def test_behind_one_proxy_the_address_is_the_one_it_appended():
    assert client_ip(request("10.0.0.2", "203.0.113.9")) == "203.0.113.9"
    # The client sent its own header; our proxy appended the real address after it.
    assert client_ip(request("10.0.0.2", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=2)
def test_behind_two_proxies_the_address_is_second_from_the_right():
    assert client_ip(request("10.0.0.2", "1.2.3.4, 203.0.113.9, 10.0.0.1")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=1)
def test_something_that_is_not_an_address_gives_none():
    assert client_ip(request("10.0.0.2", "<script>")) is None
    assert client_ip(request("not-an-ip")) is None


@override_settings(TRUSTED_PROXIES=1)
def test_a_failed_login_through_the_proxy_records_the_clients_address(db):
    proxy = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    proxy.post("/accounts/login/", {"username": "someone", "password": "wrong-Pass-1"})
    assert AuditEvent.objects.get(action="auth.login_failed").ip == "203.0.113.9"
