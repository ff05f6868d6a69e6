"""The second factor's pages: set up an authenticator app, type its code after the password,
see and renew one's recovery codes; the security administrator resets a lost phone's device.
The work is `otp`'s; these pages read forms and choose what to show."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sanzhang.access.roles import Can, can
from sanzhang.core.errors import Refusal
from sanzhang.core.http import AuthedRequest
from sanzhang.people.models import User

from . import otp


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Two-factor code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class ResetForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150)


def _next(request: AuthedRequest) -> str:
    """Where the user was going (kept through the code page), if it is one of our pages."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe else resolve_url(settings.LOGIN_REDIRECT_URL)


def _totp_user(request: AuthedRequest) -> User:
    if not otp.totp_role(request.user):
        raise Http404  # a grid leader or resident is never asked
    return request.user


@login_required
@never_cache  # the secret and the recovery codes must not be kept by the browser
@require_http_methods(["GET", "POST"])
def setup(request: AuthedRequest) -> HttpResponse:
    user = _totp_user(request)
    if otp.confirmed_device(user) is not None:
        return redirect("otp" if user.is_verified() else "otp-verify")  # type: ignore[attr-defined]
    device = otp.pending_device(user, request.session)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            codes = otp.confirm_device(device, form.cleaned_data["code"], request=request)
        except Refusal as refusal:
            form.add_error("code", refusal.message)
        else:
            otp.remember_verified(request, device)
            return render(
                request, "security/otp_codes.html", {"codes": codes, "next": _next(request)}
            )
    context = {
        "form": form,
        "secret": otp.secret_text(device),
        "qr": otp.qr_data_uri(device),
        "uri": device.config_url,
        "next": _next(request),
    }
    return render(request, "security/otp_setup.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: AuthedRequest) -> HttpResponse:
    user = _totp_user(request)
    if otp.confirmed_device(user) is None:
        return redirect("otp-setup")
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = otp.verify_code(user, form.cleaned_data["code"], request=request)
        except Refusal as refusal:
            form.add_error("code", refusal.message)
        else:
            otp.remember_verified(request, device)
            return redirect(_next(request))
    return render(request, "security/otp_verify.html", {"form": form, "next": _next(request)})


@login_required
@never_cache
@require_http_methods(["GET"])
def manage(request: AuthedRequest) -> HttpResponse:
    user = _totp_user(request)
    device = otp.confirmed_device(user)
    context = {
        "device": device,
        "left": otp.recovery_codes_left(user),
        "resets": can(user, Can.RESET_SECOND_FACTOR),
        "form": ResetForm(),
    }
    return render(request, "security/otp.html", context)


@login_required
@never_cache
@require_POST
def recovery_codes(request: AuthedRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working), shown once."""
    user = _totp_user(request)
    if otp.confirmed_device(user) is None or not user.is_verified():  # type: ignore[attr-defined]
        return redirect("otp-verify")  # only a session that passed its code renews them
    codes = otp.make_recovery_codes(user, request=request)
    return render(request, "security/otp_codes.html", {"codes": codes, "next": reverse("otp")})


@login_required
@require_POST
def reset(request: AuthedRequest) -> HttpResponse:
    """The security administrator removes another account's device (a lost phone)."""
    if not can(request.user, Can.RESET_SECOND_FACTOR):
        raise Http404
    form = ResetForm(request.POST)
    target = User.objects.filter(username=form.data.get("username", "").strip()).first()
    if target is None:
        messages.error(request, _("There is no account of that name."))
        return redirect("otp")
    try:
        otp.reset_second_factor(target, by=request.user, request=request)
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        done = _("Two-factor sign-in of %(name)s was reset: a new app is set up at next sign-in.")
        messages.success(request, done % {"name": target.get_username()})
    return redirect("otp")
