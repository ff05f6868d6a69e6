"""No full phone or ID numbers in logs (promise 10): people type their phone number as a user
name; the failed attempts, the lock-out and their audit rows show it masked."""

import logging
import re

from django.test import Client

from sanzhang.audit.models import AuditEvent
from sanzhang.security.redact import redact

FULL_NUMBER = re.compile(r"(?<!\d)(1\d{10}|\d{17}[\dXx])(?!\d)")


def test_redact_masks_phone_and_id_numbers_and_leaves_names_alone():
    assert redact("13812345678") == "138****5678"
    assert redact("360000195001011234") == "360000********1234"
    assert redact("wang-138123456789") == "wang-138123456789"  # 12 digits: not a phone number
    assert redact("unit-leader") == "unit-leader"


def test_logins_with_phone_or_id_numbers_leave_no_full_number_in_logs(db, caplog):
    caplog.set_level(logging.DEBUG)
    for username in ("13812345678", "360000195001011234"):
        for _ in range(6):  # five failures and a lock-out
            Client().post("/accounts/login/", {"username": username, "password": "wrong-Pass-1"})
    audit = " ".join(
        str(row) for row in AuditEvent.objects.values_list("actor_name", "object_repr", "detail")
    )
    assert "138****5678" in audit
    assert AuditEvent.objects.filter(action="auth.locked_out").count() >= 2
    assert FULL_NUMBER.findall(audit) == []
    assert "AXES" in caplog.text  # axes did log the attempts, and masked the names
    assert FULL_NUMBER.findall(caplog.text) == []
