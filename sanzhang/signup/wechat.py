"""Signing in with WeChat's mini-program login (wx.login → code2session), off unless the county
configures its mini-program (`WECHAT_APP_ID`, `WECHAT_APP_SECRET`). The provider is a setting
(`WECHAT_PROVIDER`), so another platform's login (or a test's fake) plugs in the same way.

WeChat says who the WeChat user is (their `openid`), not who they are in the county: an openid
opens an account only after that account linked it, signed in by its phone code first."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, can, require
from sanzhang.audit.services import record
from sanzhang.core.crypto import keyed_hash
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.people.models import User

from .models import WeChatLink


class Provider(Protocol):
    def openid_for(self, code: str) -> str:
        """The openid the login `code` stands for; Invalid when the platform refuses it."""
        ...


class MiniProgram:
    """WeChat's `jscode2session` (auth.code2Session): GET with the app's id and secret."""

    def openid_for(self, code: str) -> str:
        query = urllib.parse.urlencode(
            {
                "appid": settings.WECHAT_APP_ID,
                "secret": settings.WECHAT_APP_SECRET,
                "js_code": code,
                "grant_type": "authorization_code",
            }
        )
        url = f"{settings.WECHAT_CODE2SESSION_URL}?{query}"
        try:
            with urllib.request.urlopen(  # noqa: S310 (a URL of the settings, https in production) # nosec B310
                url, timeout=settings.DELIVERY_TIMEOUT_SECONDS
            ) as response:
                answer = json.loads(response.read() or b"{}")
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            raise NotAllowed(_("WeChat did not answer; try again in a moment.")) from error
        if answer.get("errcode") or not answer.get("openid"):
            # 40029: the code is wrong or used; 40226: WeChat holds the user as risky.
            raise Invalid(_("WeChat did not accept this login; open the mini-program again."))
        return str(answer["openid"])


def enabled() -> bool:
    return bool(settings.WECHAT_APP_ID)


def _openid_hash(code: str) -> str:
    if not enabled():
        raise NotAllowed(_("Signing in with WeChat is not set up here."))
    if not code or len(code) > 200:
        raise Invalid(_("WeChat did not accept this login; open the mini-program again."))
    provider: Provider = import_string(settings.WECHAT_PROVIDER)()
    return keyed_hash("wechat:" + provider.openid_for(code))


def account_for_code(code: str) -> User | None:
    """The account linked to the WeChat user of this login code, or None (not linked yet)."""
    link = WeChatLink.objects.filter(openid_hash=_openid_hash(code)).select_related("user")
    found = link.first()
    if found is None or not found.user.is_active or not can(found.user, Can.ACT_AS_RESIDENT):
        return None
    return found.user


def link(user: User, code: str) -> WeChatLink:
    """Link the WeChat user of this login code to `user` (idempotent for the same pair); a
    WeChat user linked to another account is refused, never moved silently."""
    # Residents only: a leader's or staff member's account keeps its password, lockout and
    # expiry (and the TOTP to come); WeChat's login must not stand in for them.
    require(user, Can.ACT_AS_RESIDENT, _("Only residents' accounts sign in with WeChat."))
    openid_hash = _openid_hash(code)
    existing = WeChatLink.objects.filter(openid_hash=openid_hash).first()
    if existing is not None:
        if existing.user_id != user.pk:
            raise Conflict(_("This WeChat is linked to another account."))
        return existing
    try:
        with transaction.atomic():
            made = WeChatLink.objects.create(user=user, openid_hash=openid_hash)
    except IntegrityError as error:  # the same WeChat linked a moment ago from another call
        raise Conflict(_("This WeChat is linked to another account.")) from error
    record("signup.wechat_linked", actor=user, obj=made)
    return made
