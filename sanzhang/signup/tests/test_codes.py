"""One-time codes resist abuse: guessing is cut off after a few tries, a code works once and
not after ten minutes, a phone and an address may ask only so often, and no code reaches a
log, an audit row or the database in clear."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.test import Client
from django.utils import timezone

from sanzhang.audit.models import AuditEvent
from sanzhang.core.errors import Invalid, NotAllowed
from sanzhang.signup.codes import (
    MAX_GUESSES,
    PER_ADDRESS_PER_HOUR,
    PER_PHONE_PER_HOUR,
    check_code,
    normalise_phone,
    send_code,
)
from sanzhang.signup.models import PhoneCode

from .conftest import last_code

pytestmark = pytest.mark.django_db
PHONE = "13700001234"


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_a_code_works_once(outbox) -> None:
    send_code(PHONE, "10.0.0.1")
    code = last_code(outbox, PHONE)
    check_code(PHONE, code)
    with pytest.raises(Invalid):
        check_code(PHONE, code)


def test_a_code_expires_after_ten_minutes(outbox) -> None:
    sent = timezone.now()
    send_code(PHONE, "10.0.0.1", now=sent)
    with pytest.raises(Invalid):
        check_code(PHONE, last_code(outbox, PHONE), now=sent + datetime.timedelta(minutes=10))


def test_guessing_is_cut_off_and_then_even_the_right_code_is_refused(outbox) -> None:
    send_code(PHONE, "10.0.0.1")
    code = last_code(outbox, PHONE)
    for _ in range(MAX_GUESSES):
        with pytest.raises(Invalid):
            check_code(PHONE, wrong(code))
    with pytest.raises(NotAllowed):
        check_code(PHONE, code)
    # A new code starts afresh (and is limited per hour, below).
    send_code(PHONE, "10.0.0.1")
    check_code(PHONE, last_code(outbox, PHONE))


def test_only_the_latest_code_counts(outbox) -> None:
    start = timezone.now()
    send_code(PHONE, "10.0.0.1", now=start)
    first = last_code(outbox, PHONE)
    send_code(PHONE, "10.0.0.1", now=start + datetime.timedelta(seconds=61))
    second = last_code(outbox, PHONE)
    later = start + datetime.timedelta(seconds=62)
    if first != second:
        with pytest.raises(Invalid):
            check_code(PHONE, first, now=later)
    check_code(PHONE, second, now=later)


def test_a_double_tap_within_a_minute_sends_no_second_code(outbox) -> None:
    start = timezone.now()
    assert send_code(PHONE, "10.0.0.1", now=start) is True
    assert send_code(PHONE, "10.0.0.1", now=start + datetime.timedelta(seconds=30)) is False
    assert PhoneCode.objects.count() == 1 and len(outbox.read_text().splitlines()) == 1
    check_code(PHONE, last_code(outbox, PHONE), now=start + datetime.timedelta(seconds=40))


def test_full_width_digits_are_read_as_digits(outbox) -> None:
    assert normalise_phone("１３７００００１２３４") == PHONE
    send_code(PHONE, "10.0.0.1")
    code = last_code(outbox, PHONE)
    check_code(PHONE, code.translate(str.maketrans("0123456789", "０１２３４５６７８９")))


def test_a_phone_may_ask_five_times_an_hour(outbox) -> None:
    start = timezone.now()
    for i in range(PER_PHONE_PER_HOUR):
        send_code(PHONE, f"10.0.0.{i}", now=start + datetime.timedelta(minutes=i))
    with pytest.raises(NotAllowed):
        send_code(PHONE, "10.0.0.99", now=start + datetime.timedelta(minutes=10))
    send_code(PHONE, "10.0.0.99", now=start + datetime.timedelta(minutes=61))


def test_an_address_may_ask_twenty_times_an_hour_for_any_phones(outbox) -> None:
    start = timezone.now()
    for i in range(PER_ADDRESS_PER_HOUR):
        send_code(f"1370000{i:04d}", "10.0.0.1", now=start)
    with pytest.raises(NotAllowed):
        send_code("13800000000", "10.0.0.1", now=start)
    send_code("13800000000", "10.0.0.2", now=start)  # another network is not held up


def test_phone_numbers_are_read_as_people_type_them() -> None:
    assert normalise_phone("+86 137-0000 1234") == PHONE
    for bad in ("", "1370000123", "23700001234", "137000012345", "一三七"):
        with pytest.raises(Invalid):
            normalise_phone(bad)


def test_no_code_in_a_log_an_audit_row_or_the_database(outbox, county, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    client = Client()
    client.post("/signup/", {"phone": PHONE})
    code = last_code(outbox, PHONE)
    client.post("/signup/code/", {"code": wrong(code)})
    response = client.post("/signup/code/", {"code": code})
    assert response.status_code == 302
    assert code not in caplog.text
    for event in AuditEvent.objects.all():
        assert code not in str(event.detail) and code not in event.object_repr
    for row in PhoneCode.objects.values():
        assert code not in str(row) and PHONE not in str(row)
