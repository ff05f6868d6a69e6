"""Request rates limited per address and per account (promise 15), with django-ratelimit.

The rules are in settings.RATE_LIMITS: which POSTs they count (a path pattern, or every
upload), whose (`address` or `account`) and how many in what time. Addresses are counted
generously, since a township office reaches us through one shared address and one person's
mistakes must not shut its colleagues out; accounts are counted tightly. A request over a
limit is refused with 429 and Retry-After, as a page or in the API's error shape, before its
view runs, so nothing it carries is half stored.
"""

from __future__ import annotations

import ipaddress
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

# Its windows and keys, so the database's counts and Redis's are the same counts (private:
# the version is pinned in pyproject.toml, and a test compares the two).
from django_ratelimit.core import (
    EXPIRATION_FUDGE,
    _get_window,
    _make_cache_key,
    _split_rate,
    get_usage,
)

from sanzhang.audit.services import client_ip
from sanzhang.core.error_pages import refuse

from . import tokens
from .counters import DatabaseCounterCache
from .models import ApiToken


@dataclass(frozen=True)
class Rule:
    name: str
    per: str  # "address" or "account"
    rate: str  # django-ratelimit's "count/period", e.g. "30/h", "100/10m"
    paths: re.Pattern[str] | None  # None: every upload (a POST with files), wherever it goes

    def counts(self, request: HttpRequest) -> bool:
        if self.paths is None:
            # Forms are multipart whether or not a file was chosen: what counts is a file.
            # (The body's size was checked before; the view would parse it anyway.)
            return request.content_type == "multipart/form-data" and bool(request.FILES)
        return bool(self.paths.search(request.path_info))


@cache
def rules() -> tuple[Rule, ...]:
    return tuple(
        Rule(
            name=name,
            per=rule["per"],
            rate=rule["rate"],
            paths=re.compile(rule["paths"]) if rule.get("paths") else None,
        )
        for name, rule in settings.RATE_LIMITS.items()
    )


def address_key(group: str, request: HttpRequest) -> str:
    """The client's address; an IPv6 client by its /64, which one household or phone holds."""
    address = client_ip(request) or "unknown"
    parsed = ipaddress.ip_address(address) if address != "unknown" else None
    if parsed is not None and parsed.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return address


def _token(request: HttpRequest) -> str:
    """The bearer token, or an Open311 client's api_key (a form field or query parameter)."""
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and secret.strip():
        return secret.strip()
    if request.path_info.startswith("/open311/"):
        return str(request.POST.get("api_key") or request.GET.get("api_key") or "").strip()
    return ""


def is_system(request: HttpRequest) -> bool:
    """Another system's account (a department's, a 12345 platform's) speaks for many people:
    its reports are not counted as one person's, only by its address."""
    secret = _token(request)
    return bool(secret) and tokens.user_for(secret, kinds=[ApiToken.Kind.SYSTEM]) is not None


def account_key(group: str, request: HttpRequest) -> str:
    """The signed-in account, or the token's; a request with neither is counted by its
    address (it will be refused as anonymous anyway, or it is a sign-in)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    secret = _token(request)
    bearer = tokens.user_for(secret) if secret else None
    if bearer is not None:
        return f"user:{bearer.pk}"
    return f"address:{address_key(group, request)}"


KEYS: dict[str, Callable[[str, HttpRequest], str]] = {
    "address": address_key,
    "account": account_key,
}


def over_limit(request: HttpRequest) -> int | None:
    """Count this request against every rule it falls under; the seconds until the first
    exceeded rule's window ends, or None when it is within all of them."""
    if request.method != "POST" or not getattr(settings, "RATELIMIT_ENABLE", True):
        return None
    applying = [rule for rule in rules() if rule.counts(request)]
    if any(rule.per == "account" for rule in applying) and is_system(request):
        applying = [rule for rule in applying if rule.per != "account"]
    if not applying:
        return None
    counters = caches[settings.RATELIMIT_USE_CACHE]
    if isinstance(counters, DatabaseCounterCache):
        return _count_in_database(counters, request, applying)
    return _count(request, applying)


def _count(request: HttpRequest, applying: list[Rule]) -> int | None:
    for rule in applying:
        usage = get_usage(
            request,
            group=f"sanzhang.{rule.name}",
            key=KEYS[rule.per],
            rate=rule.rate,
            method="POST",
            increment=True,
        )
        if usage is not None and usage["should_limit"]:
            return max(int(usage["time_left"]), 1)
    return None


def _count_in_database(
    counters: DatabaseCounterCache, request: HttpRequest, applying: list[Rule]
) -> int | None:
    """The same counts as django-ratelimit's (its windows and keys), every rule's in one
    statement: on SQLite each statement of its own took the one write lock again (four a
    report), and a transaction around them held it while Python ran in between."""
    windows: dict[str, tuple[int, int]] = {}  # key: (limit, the window's end)
    timeouts: dict[str, int] = {}
    for rule in applying:
        group = f"sanzhang.{rule.name}"
        limit, period = _split_rate(rule.rate)
        value = KEYS[rule.per](group, request)
        window = _get_window(value, period)
        key = _make_cache_key(group, window, rule.rate, value, "POST")
        windows[key] = (limit, window)
        timeouts[key] = period + EXPIRATION_FUDGE
    counts = counters.count_each(timeouts)
    now = int(time.time())
    keys = list(windows)  # the rules' order
    for index, key in enumerate(keys):
        limit, window = windows[key]
        if counts[key] > limit:
            # Counted as Redis counts, rule by rule up to the first exceeded: a resident over
            # their own limit must not go on spending the address an office shares.
            counters.uncount(keys[index + 1 :])
            return max(window - now, 1)
    return None


class RateLimitMiddleware:
    """After authentication (accounts are known), before the views and axes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        wait = over_limit(request)
        if wait is None:
            return self.get_response(request)
        minutes = max((wait + 59) // 60, 1)
        response = refuse(
            request,
            429,
            _("Too many requests"),
            _(
                "Too many requests came from here in a short time. Nothing was saved. "
                "Try again in %(minutes)d minutes."
            )
            % {"minutes": minutes},
            api_detail=_("Too many requests. Try again in %(seconds)d seconds.")
            % {"seconds": wait},
        )
        response["Retry-After"] = str(wait)
        return response
