"""Bearer tokens for clients that are not browsers (the mini-program, another system): made
with 256 random bits, shown once, kept only as a keyed hash; each expires and can be revoked.
The pages keep their session and CSRF; a request with a token carries no cookie to forge."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Collection

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from sanzhang.audit.services import record
from sanzhang.core.crypto import keyed_hash
from sanzhang.core.errors import Invalid, NotAllowed
from sanzhang.people.models import Role, User

from .models import ApiToken
from .passwords import password_expired

PREFIX = "sz_"
# Writing the last use on every request would make each API call a write; once a minute says
# enough of when a device was last seen.
TOUCH_EVERY = datetime.timedelta(minutes=1)
MAX_PER_USER = 20  # live tokens of a kind per account; the oldest gives way to a new one
# Roles whose accounts get no bearer token: administration stays in the browser, where the
# separation of duties, session limits and (soon) TOTP apply.
NO_TOKENS = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR}


def live(user_id: int | None = None) -> QuerySet[ApiToken]:
    """Tokens not revoked and not expired (of one account, when given)."""
    tokens = ApiToken.objects.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
    return tokens if user_id is None else tokens.filter(user_id=user_id)


def issue(
    user: User,
    *,
    name: str,
    kind: str = ApiToken.Kind.DEVICE,
    by: User | None = None,
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """A new token for `user`: the row, and the token itself (shown once, never stored)."""
    if user.role in NO_TOKENS or not user.is_active:
        raise NotAllowed(_("This account cannot have API tokens."))
    name = " ".join(name.split())[:60]
    if not name:
        raise Invalid(_("Name the device or system the token is for."))
    over = live(user.pk).filter(kind=kind).order_by("created_at", "pk")
    if over.count() >= MAX_PER_USER:
        # A phone signed in again and again (reinstalled, cleared) must not be shut out: the
        # oldest of its kind gives way, as a new sign-in elsewhere would end an old session.
        ApiToken.objects.filter(pk=over.values("pk")[:1], revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    secret = PREFIX + secrets.token_hex(32)
    days = settings.API_TOKEN_DAYS[kind]
    token = ApiToken.objects.create(
        user=user,
        kind=kind,
        name=name,
        key_hash=keyed_hash(secret),
        prefix=secret[: len(PREFIX) + 6],
        created_by=by or user,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    record(
        "token.issued",
        actor=by or user,
        request=request,
        obj=token,
        detail={"for": user.pk, "kind": kind},
    )
    return token, secret


def user_for(secret: str, kinds: Collection[str] = ()) -> User | None:
    """The account a live token (of one of `kinds`, when given) belongs to, or None; notes
    the token's use (at most once a minute, one conditional UPDATE)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    tokens = live().filter(kind__in=kinds) if kinds else live()
    token = (
        tokens.filter(key_hash=keyed_hash(secret), user__is_active=True)
        .exclude(user__role__in=NO_TOKENS)  # an account made an administrator since
        .select_related("user")
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_EVERY), pk=token.pk
    ).update(last_used_at=now)
    return token.user


def revoke(token: ApiToken, by: User) -> bool:
    """Revoke a token (its owner, or the county office for a system's); False if it was not
    live. Idempotent: a second revocation changes nothing."""
    done = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if done:
        record("token.revoked", actor=by, obj=token)
    return bool(done)


class BearerToken(HttpBearer):
    """ninja's `Authorization: Bearer <token>`; the request then acts as the token's user,
    exactly as a signed-in page would (scope, roles and audit read `request.user`)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for(token)
        if user is not None and password_expired(user):  # as the pages (SECURITY.md, 1)
            raise NotAllowed(_("Change your password before using the API."))
        if user is not None:
            request.user = user
        return user


class SessionAuth(NinjaSessionAuth):  # the name the OpenAPI document shows
    """ninja's session authentication (with its CSRF check), for a request that carries a
    session cookie. Without one there is no session to forge a request with and nobody
    signed in: ninja would still check CSRF first and answer an anonymous POST 403 "CSRF
    check Failed" where every other anonymous call gets 401 "Please log in first"."""

    def __call__(self, request: HttpRequest) -> User | None:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super().__call__(request)  # type: ignore[no-any-return]


session_auth = SessionAuth()


def system_accounts(office: User) -> QuerySet[User]:
    """The accounts of the office's county that another system may act as: its departments'
    system accounts, those with no password (made for a system by the administrator), never a
    person's: a token for a colleague's account would act, and be audited, as them."""
    from sanzhang.access.scope import scope_filter  # the scope reads the people's standing

    no_password = Q(password__startswith=UNUSABLE_PASSWORD_PREFIX) | Q(password="")  # nosec B106 # finds accounts with no password
    return (
        User.objects.filter(no_password, is_active=True, role=Role.DEPARTMENT)
        .filter(scope_filter(office, "organisation__place__code"))
        .select_related("organisation")
        .order_by("organisation__name", "username")
    )


def issued_by(office: User) -> QuerySet[ApiToken]:
    """The live system tokens an office issued (its page lists and revokes them)."""
    return live().filter(kind=ApiToken.Kind.SYSTEM, created_by=office).select_related("user")
