"""One-time codes for signing up and in by phone: sent, limited per phone and per address,
checked with a cap on guesses, used once. A code is never logged nor stored in clear."""

from __future__ import annotations

import datetime
import hmac
import re
import secrets
import unicodedata

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.core.crypto import keyed_hash
from sanzhang.core.errors import Invalid, NotAllowed

from .models import PhoneCode
from .sms import text_code

LIFETIME = datetime.timedelta(minutes=10)
MAX_GUESSES = 5  # wrong codes before the code is dead
PER_PHONE_PER_HOUR = 5
PER_ADDRESS_PER_HOUR = 20
MOBILE = re.compile(r"^1[3-9][0-9]{9}$")  # ASCII digits only: one number, one hash
RESEND_AFTER = datetime.timedelta(seconds=60)


def _ascii(text: str) -> str:
    # Phones' input methods often type full-width digits (１３７…): read them as 0-9.
    return unicodedata.normalize("NFKC", text)


def normalise_phone(text: str) -> str:
    """An 11-digit mainland mobile number, or Invalid (spaces, dashes and +86 are dropped)."""
    phone = re.sub(r"[\s-]", "", _ascii(text))
    phone = phone.removeprefix("+86").removeprefix("0086")
    if not MOBILE.match(phone):
        raise Invalid(_("Enter an 11-digit mobile number."))
    return phone


def _code_hash(phone_hash: str, code: str) -> str:
    return keyed_hash(f"{phone_hash}:{code}")


def send_code(phone: str, ip: str | None, now: datetime.datetime | None = None) -> bool:
    """Text a new code to `phone`; refused when the phone or the address asked too often.
    False (nothing sent) when a live code went out less than a minute ago: a double tap, or
    a slow text, must not kill the code about to arrive."""
    now = now or timezone.now()
    phone_hash = keyed_hash(phone)
    just_sent = PhoneCode.objects.filter(
        phone_hash=phone_hash,
        created_at__gt=now - RESEND_AFTER,
        used_at__isnull=True,
        attempts__lt=MAX_GUESSES,
    )
    if just_sent.exists():
        return False
    hour_ago = now - datetime.timedelta(hours=1)
    recent = PhoneCode.objects.filter(created_at__gt=hour_ago)
    if recent.filter(phone_hash=phone_hash).count() >= PER_PHONE_PER_HOUR:
        raise NotAllowed(_("Too many codes for this number; try again in an hour."))
    if ip and recent.filter(ip=ip).count() >= PER_ADDRESS_PER_HOUR:
        raise NotAllowed(_("Too many codes from this network; try again in an hour."))
    code = f"{secrets.randbelow(10**6):06d}"
    PhoneCode.objects.create(
        phone_hash=phone_hash,
        code_hash=_code_hash(phone_hash, code),
        ip=ip or None,
        created_at=now,
        expires_at=now + LIFETIME,
    )
    # A resident whose code never arrives asks for another (after a minute).
    text_code(phone, code)
    return True


def check_code(phone: str, code: str, now: datetime.datetime | None = None) -> None:
    """Accept `code` for `phone` once, or refuse: wrong (a guess counted), dead after
    MAX_GUESSES, expired or used. Only the latest code sent counts."""
    now = now or timezone.now()
    phone_hash = keyed_hash(phone)
    latest = (
        PhoneCode.objects.filter(phone_hash=phone_hash, created_at__lte=now)
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is None or latest.used_at is not None or latest.expires_at <= now:
        raise Invalid(_("This code has expired or was used; ask for a new one."))
    # Count the guess first, in its own statement: parallel guesses each count.
    counted = PhoneCode.objects.filter(pk=latest.pk, attempts__lt=MAX_GUESSES).update(
        attempts=F("attempts") + 1
    )
    if not counted:
        raise NotAllowed(_("Too many wrong codes; ask for a new one."))
    given = re.sub(r"\s", "", _ascii(code))
    if not hmac.compare_digest(latest.code_hash, _code_hash(phone_hash, given)):
        raise Invalid(_("The code is not right."))
    used = PhoneCode.objects.filter(pk=latest.pk, used_at__isnull=True).update(used_at=now)
    if not used:  # a second tab sent the same code a moment earlier
        raise Invalid(_("This code has expired or was used; ask for a new one."))
