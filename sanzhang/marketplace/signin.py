"""Merchants sign in on their phones by a code texted to the number they were listed with.

The codes are signup's (sent, limited and checked there); the account is found here, by the
phone's keyed hash among listed merchants: signup's own lookup opens residents' accounts only.
"""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sanzhang.audit.services import client_ip, record
from sanzhang.core.crypto import decrypt, encrypt, keyed_hash
from sanzhang.core.errors import NotAllowed, Refusal
from sanzhang.people.models import User
from sanzhang.signup.codes import check_code, normalise_phone, send_code
from sanzhang.signup.sms import can_text

from .forms import CodeForm, PhoneForm
from .models import Merchant

PHONE_KEY = "marketplace_phone"  # the number a code was sent to, encrypted in the session
BACKEND = "sanzhang.access.backends.ScopedModelBackend"


def merchant_account(phone: str) -> User:
    """The account of the merchant listed with this phone, or a refusal."""
    merchant = Merchant.objects.select_related("user").filter(phone_hash=keyed_hash(phone)).first()
    if merchant is None:
        raise NotAllowed(_("No merchant is listed with this number."))
    if not merchant.user.is_active:
        raise NotAllowed(_("This account is switched off; ask your community."))
    return merchant.user


@require_http_methods(["GET", "POST"])
def phone(request: HttpRequest) -> HttpResponse:
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            number = normalise_phone(form.cleaned_data["phone"])
            merchant_account(number)  # no code is texted to a number nobody listed
            if not can_text():
                raise NotAllowed(_("Text messages are not set up yet; ask your community."))
            send_code(number, client_ip(request))
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            request.session[PHONE_KEY] = encrypt(number)
            return redirect("marketplace:sign_in_code")
    return render(request, "marketplace/sign_in.html", {"form": form})


@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    token = request.session.get(PHONE_KEY)
    if not token:
        return redirect("marketplace:sign_in")
    number = decrypt(token)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check_code(number, form.cleaned_data["code"])
            user = merchant_account(number)
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            login(request, user, backend=BACKEND)  # a new session key
            request.session.pop(PHONE_KEY, None)
            record("marketplace.signed_in", request=request, actor=user)
            return redirect("marketplace:mine")
    masked = f"{number[:3]}****{number[-4:]}"
    return render(request, "marketplace/sign_in_code.html", {"form": form, "phone": masked})
