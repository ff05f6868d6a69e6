"""A body larger than a whole report may be is refused by its announced size, before it is
read: 413 in the API's error shape under /api/, a page in the user's language elsewhere."""

from __future__ import annotations

import socket

import pytest
from django.test import Client

from sanzhang.issues.models import Issue

pytestmark = pytest.mark.django_db


def test_an_oversized_body_is_refused_in_words_before_anything_is_done(settings) -> None:
    settings.MAX_REQUEST_BODY_BYTES = 1024
    client = Client()
    api = client.generic(
        "POST", "/api/issues/", b"text=x", content_type="multipart/form-data; boundary=b",
        CONTENT_LENGTH="999999999",
    )  # fmt: skip
    assert api.status_code == 413 and api["Content-Type"].startswith("application/json")
    assert set(api.json()) == {"detail", "errors"} and "过大" in api.json()["detail"]
    page = client.generic("POST", "/r/", b"text=x", CONTENT_LENGTH="999999999")
    assert page.status_code == 413 and "一次发送的内容过多" in page.content.decode()
    assert not Issue.objects.exists()
    small = client.generic("POST", "/api/issues/", b"{}", content_type="application/json")
    assert small.status_code == 401  # within the limit the request goes on (to the login)


@pytest.mark.django_db(transaction=True)
def test_the_server_answers_without_waiting_for_the_announced_body(live_server) -> None:
    """Only the headers are sent; a server that read the body first would wait for 50 MB."""
    host, port = live_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(
            b"POST /api/issues/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: multipart/form-data; boundary=b\r\n"
            b"Content-Length: 100000000\r\n\r\n--b\r\n"
        )
        answer = conn.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413")
