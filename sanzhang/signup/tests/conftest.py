from __future__ import annotations

import re

import pytest
from django.conf import settings

from sanzhang.issues.tests.conftest import (  # noqa: F401 (fixtures: the API tokens' tests)
    building_leader,
    department,
    grid_leader,
    loop,
    resident,
)
from sanzhang.signup.sms import DEV_OUTBOX


@pytest.fixture
def outbox(settings, tmp_path):  # type: ignore[no-untyped-def]
    """The development SMS outbox, in a directory of the test's own."""
    settings.SMS_DEV_OUTBOX = True
    settings.VAR_DIR = tmp_path
    return tmp_path / DEV_OUTBOX


def last_code(outbox, phone: str) -> str:  # type: ignore[no-untyped-def]
    """The code in the latest text to `phone`, as the resident reads it on their phone."""
    lines = [line for line in outbox.read_text(encoding="utf-8").splitlines() if phone in line]
    match = re.search(r"验证码 (\d{6})", lines[-1])
    assert match is not None
    return match.group(1)


__all__ = ["last_code", "settings"]
