"""Signing in from a client that is not a browser (the mini-program, another app): a phone code
or a password buys a bearer token for the device, shown once. No session, no cookie."""

from __future__ import annotations

import datetime

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from sanzhang.audit.services import client_ip, record
from sanzhang.core.api_schemas import ErrorOut, error_body
from sanzhang.core.errors import Invalid, NotAllowed
from sanzhang.core.http import AuthedRequest
from sanzhang.people.models import User
from sanzhang.security.otp import totp_required, verify_code
from sanzhang.security.passwords import password_expired
from sanzhang.security.tokens import BearerToken, issue, session_auth

from .accounts import account_for
from .codes import check_code, normalise_phone, send_code
from .sms import can_text
from .wechat import account_for_code, link

router = Router(tags=["sign-in"], auth=None)


class CodeIn(Schema):
    phone: str


class SentOut(Schema):
    sent: bool


class PhoneTokenIn(Schema):
    phone: str
    code: str
    device: str


class PasswordTokenIn(Schema):
    username: str
    password: str
    device: str
    # The county office's (and administrators') second factor: six digits from the
    # authenticator app, or a recovery code.
    otp: str = ""


class WeChatIn(Schema):
    code: str  # from wx.login() in the mini-program
    device: str = "微信小程序"


class WeChatLinkIn(Schema):
    code: str


class LinkedOut(Schema):
    linked: bool


class TokenIssuedOut(Schema):
    token: str
    expires_at: datetime.datetime
    user_id: int
    role: str
    linked: bool  # the account knows its household (a resident not yet linked names it first)


def _issued(user: User, secret: str, expires_at: datetime.datetime) -> dict:
    return {
        "token": secret,
        "expires_at": expires_at,
        "user_id": user.pk,
        "role": user.role,
        "linked": user.person_id is not None,
    }


@router.post("/code", response={200: SentOut, 403: ErrorOut, 422: ErrorOut})
def ask_code(request: HttpRequest, payload: CodeIn) -> dict:
    """Text a sign-in code to a mobile number (limited per number and per address); `sent` is
    false when a code went out less than a minute ago and is still on its way."""
    if not can_text():
        raise NotAllowed(_("Text messages are not set up yet; ask your community."))
    return {"sent": send_code(normalise_phone(payload.phone), client_ip(request))}


@router.post("/token", response={201: TokenIssuedOut, 403: ErrorOut, 422: ErrorOut})
def token_by_phone(request: HttpRequest, payload: PhoneTokenIn) -> Status[dict]:
    """A resident's token for this device, for the code texted to their phone."""
    number = normalise_phone(payload.phone)
    check_code(number, payload.code)
    user = account_for(number)
    token, secret = issue(user, name=payload.device, request=request)
    record("signup.signed_in", request=request, actor=user, detail={"by": "api"})
    return Status(201, _issued(user, secret, token.expires_at))


@router.post(
    "/token/password", response={201: TokenIssuedOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
)
def token_by_password(request: HttpRequest, payload: PasswordTokenIn) -> Status[dict]:
    """A token for this device, for a user name and password (a leader's or staff member's; the
    same lockout as the sign-in page). The county office adds `otp`, its authenticator app's
    code or a recovery code: without it, 403."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        return Status(401, error_body(_("The user name or password is not right.")))
    if totp_required(user):
        if not payload.otp.strip():
            raise NotAllowed(_("This account needs its two-factor code as well: send it as otp."))
        try:
            verify_code(user, payload.otp, request=request)  # type: ignore[arg-type]
        except Invalid as wrong:
            return Status(401, error_body(wrong.message))
    if password_expired(user):
        raise NotAllowed(_("Change your password before using the API."))
    token, secret = issue(user, name=payload.device, request=request)  # type: ignore[arg-type]
    record("auth.login", actor=user, request=request, detail={"by": "api"})
    return Status(201, _issued(user, secret, token.expires_at))  # type: ignore[arg-type]


@router.post("/wechat", response={201: TokenIssuedOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def token_by_wechat(request: HttpRequest, payload: WeChatIn) -> Status[dict]:
    """A token for the WeChat user of a `wx.login()` code, once their account linked WeChat;
    404 when it has not (sign in by phone code, then link)."""
    user = account_for_code(payload.code)
    if user is None:
        return Status(
            404,
            error_body(_("This WeChat is not linked to an account yet: sign in with your phone.")),
        )
    token, secret = issue(user, name=payload.device, request=request)
    record("auth.login", request=request, actor=user, detail={"by": "wechat"})
    return Status(201, _issued(user, secret, token.expires_at))


@router.post(
    "/wechat/link",
    response={200: LinkedOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=[BearerToken(), session_auth],
)
def link_wechat(request: AuthedRequest, payload: WeChatLinkIn) -> dict:
    """Link the caller's account to the WeChat user of a `wx.login()` code, so that the
    mini-program signs in with WeChat from now on."""
    link(request.user, payload.code)
    return {"linked": True}
