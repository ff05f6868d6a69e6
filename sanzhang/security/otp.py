"""Two-factor sign-in (SECURITY.md promise 4): after the password, the county office and the
system, security and audit administrators type a code from an authenticator app (TOTP,
django-otp), or one of ten recovery codes, each used once.

Which roles are asked is `settings.TOTP_REQUIRED_ROLES`; `TOTP_REQUIRED` switches the demand
off as a whole (the test suite does, except for tests marked `totp`). Until a session is
verified every page leads to the set-up or code page and every API call is refused
(`middleware.SecondFactorMiddleware`); a bearer token by password needs a code as well.

Recovery codes are kept as a keyed hash, never as typed: django-otp stores its static tokens in
plain text in a 16-character column, so we hand it the first 16 hex digits of the code's HMAC
(64 bits under the server's key, for codes of about 50 bits).
"""

from __future__ import annotations

import secrets
from base64 import b32encode
from typing import TYPE_CHECKING, Any

import django_otp
import segno
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanzhang.access.roles import Can, require
from sanzhang.audit.services import record
from sanzhang.core.crypto import keyed_hash
from sanzhang.core.errors import Conflict, Invalid, NotAllowed

if TYPE_CHECKING:
    from django_otp.models import Device

    from sanzhang.access.actor import Visitor
    from sanzhang.people.models import User

RECOVERY_CODES = 10
# No 0/o, 1/l/i: a code copied from paper is typed without guessing (31 signs, ~49.5 bits).
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 10


def totp_role(user: Visitor) -> bool:
    """The account's role is one that signs in with a second factor (its pages are theirs), or
    it opens the Django admin (is_staff), whatever its role."""
    return user.is_authenticated and (
        user.role in settings.TOTP_REQUIRED_ROLES or bool(getattr(user, "is_staff", False))
    )


def totp_required(user: Visitor) -> bool:
    """The account must give a second factor before it may use anything."""
    return bool(settings.TOTP_REQUIRED) and totp_role(user)


def needs_second_factor(user: Visitor) -> bool:
    """Signed in by password only, where a second factor is required (`user` is the request's,
    which OTPMiddleware gave `is_verified`)."""
    return totp_required(user) and not user.is_verified()  # type: ignore[union-attr]


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


PENDING = "otp_pending_device"


def pending_device(user: User, session: SessionBase) -> TOTPDevice:
    """The device this session is setting up: the same secret on every visit of the session
    until it is confirmed (a page reloaded after the QR code was scanned still matches the
    phone), and a secret of its own for every other session, so nobody else signed in with the
    password can copy the secret the owner is about to scan. Confirming removes the others."""
    device = TOTPDevice.objects.filter(pk=session.get(PENDING), user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
        session[PENDING] = device.pk
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI as a QR code, an SVG data: URI (the CSP allows data: images and no
    inline style, which an inline SVG might carry)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2))


def _recovery_hash(code: str) -> str:
    return keyed_hash("otp-recovery:" + code)[:16]


def _normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def make_recovery_codes(user: User, *, request: HttpRequest | None = None) -> list[str]:
    """Ten new recovery codes for `user`, replacing the old ones; returned to be shown once."""
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        for _ in range(RECOVERY_CODES)
    ]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="recovery codes")
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=_recovery_hash(code)) for code in codes
        )
        record("otp.recovery_codes_made", actor=user, request=request, obj=user)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def _throttled(why: dict[str, Any] | None) -> str:
    until = (why or {}).get("locked_until") or timezone.now()
    return _("Too many wrong codes: try again after %(time)s.") % {
        "time": time_format(timezone.localtime(until), "H:i:s")
    }


def _verify(
    user: User, device: Device, token: str, *, kind: str, request: HttpRequest | None
) -> Device:
    """django-otp's verification (throttled, one transaction), each failure audited."""
    allowed, why = device.verify_is_allowed()
    verified = django_otp.verify_token(user, device.persistent_id, token) if allowed else None
    if verified is None:
        detail = {"kind": kind, "throttled": not allowed}
        record("otp.failed", actor=user, request=request, outcome="refused", detail=detail)
        if not allowed:
            raise NotAllowed(_throttled(why))
        raise Invalid(_("That code is not right. Type the code the app shows now."))
    return verified


def verify_code(user: User, code: str, *, request: HttpRequest | None = None) -> Device:
    """The device that accepts `code`: six digits from the app, or a recovery code (which is
    then gone). Raises `Invalid` for a wrong code, `NotAllowed` while wrong codes are throttled
    or when the account has no device."""
    typed = _normalised(code)
    if not typed:
        raise Invalid(_("Type the code your authenticator app shows."))
    if len(typed) == 6 and typed.isdigit():
        device = confirmed_device(user)
        if device is None:
            raise NotAllowed(_("Set up two-factor sign-in on the website first."))
        return _verify(user, device, typed, kind="totp", request=request)
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if recovery is None:
        raise NotAllowed(_("This account has no recovery codes."))
    used = _verify(user, recovery, _recovery_hash(typed), kind="recovery", request=request)
    left = recovery_codes_left(user)
    record("otp.recovery_code_used", actor=user, request=request, detail={"left": left})
    return used


def confirm_device(
    device: TOTPDevice, code: str, *, request: HttpRequest | None = None
) -> list[str]:
    """Confirm a device being set up with a code it made now; returns the new recovery codes
    (to be shown once). A second confirmation (another tab) is a `Conflict`."""
    user = device.user
    typed = _normalised(code)
    if not (len(typed) == 6 and typed.isdigit()):
        raise Invalid(_("Type the six digits your authenticator app shows."))
    _verify(user, device, typed, kind="setup", request=request)
    with transaction.atomic():
        # A conditional UPDATE: of two tabs confirming at once, one wins.
        if not TOTPDevice.objects.filter(pk=device.pk, confirmed=False).update(confirmed=True):
            raise Conflict(_("Two-factor sign-in is already set up."))
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        record("otp.set_up", actor=user, request=request, obj=user)
        return make_recovery_codes(user, request=request)


def remember_verified(request: HttpRequest, device: Device) -> None:
    """The session passed its second factor: a new session key (the verified session is a new
    privilege, so a key seen before is not worth it), then django-otp's mark."""
    request.session.cycle_key()
    device.refresh_from_db()  # confirmed just now, for django-otp's check
    django_otp.login(request, device)
    record("otp.verified", request=request)


def reset_second_factor(target: User, *, by: User, request: HttpRequest | None = None) -> None:
    """The security administrator removes an account's TOTP device and recovery codes (a lost
    phone): its next sign-in sets up a new one. Never one's own: another administrator does."""
    require(by, Can.RESET_SECOND_FACTOR)
    if target.pk == by.pk:
        raise NotAllowed(_("Your own two-factor sign-in is reset by another administrator."))
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=target).delete()[0]
        removed += StaticDevice.objects.filter(user=target).delete()[0]
        record("otp.reset", actor=by, request=request, obj=target, detail={"removed": removed})


def demo_device(user: User) -> tuple[TOTPDevice, str]:
    """A demo account's confirmed device (kept across runs, so an app set up once keeps
    working) and one fresh recovery code, for `manage.py demo_accounts` to print."""
    device = confirmed_device(user) or TOTPDevice.objects.create(
        user=user, name="TOTP", confirmed=True
    )
    return device, make_recovery_codes(user)[0]
