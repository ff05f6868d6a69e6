"""Signing up and in with a phone code (residents, on their phones), naming one's home when the
register does not know the phone, and the leaders' list of new residents to confirm."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from cryptography.fernet import InvalidToken
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanzhang.access.roles import Can, can, require_or_404
from sanzhang.access.scope import get_visible_or_404
from sanzhang.audit.services import client_ip, record
from sanzhang.core.crypto import decrypt, encrypt
from sanzhang.core.errors import Refusal
from sanzhang.core.http import AuthedRequest
from sanzhang.core.masking import mask_phone
from sanzhang.places.models import Place
from sanzhang.places.tree import normalise_code
from sanzhang.register.importing.checking import holds_households

from .accounts import account_for, ask_link, requests_for
from .accounts import decide as decide_link
from .codes import check_code, normalise_phone, send_code
from .forms import CodeForm, DecideForm, HomeForm, PhoneForm
from .models import LinkRequest
from .sms import can_text

NEXT_KEY = "signup_next"  # the page that sent the visitor to sign in (same site only)
PHONE_KEY = "signup_phone"  # the number a code was sent to, encrypted in the session
VERIFIED_KEY = "signup_verified"  # "account id:number" proven by a code, encrypted
BACKEND = "sanzhang.access.backends.ScopedModelBackend"


@require_http_methods(["GET", "POST"])
def phone(request: HttpRequest) -> HttpResponse:
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            number = normalise_phone(form.cleaned_data["phone"])
            if not can_text():
                form.add_error(None, _("Text messages are not set up yet; ask your community."))
            else:
                if not send_code(number, client_ip(request)):
                    messages.info(request, _("A code was sent a moment ago; it is on its way."))
                request.session[PHONE_KEY] = encrypt(number)
                wanted = request.GET.get("next", "")
                if _safe(request, wanted):
                    request.session[NEXT_KEY] = wanted
                return redirect("signup:code")
        except Refusal as refusal:
            form.add_error(None, refusal.message)
    return render(request, "signup/phone.html", {"form": form})


def _safe(request: HttpRequest, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def _session_value(request: HttpRequest, key: str) -> str | None:
    token = request.session.get(key)
    if not token:
        return None
    try:
        return decrypt(token)
    except InvalidToken:
        return None


def _session_phone(request: HttpRequest) -> str | None:
    return _session_value(request, PHONE_KEY)


def _verified_phone(request: AuthedRequest) -> str | None:
    """The number this account proved with a code in this session (never one merely asked
    for: a signed-in resident must not attach someone else's number)."""
    value = _session_value(request, VERIFIED_KEY) or ""
    user_id, _sep, number = value.partition(":")
    return number if number and user_id == str(request.user.pk) else None


@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    number = _session_phone(request)
    if number is None:
        return redirect("signup:phone")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check_code(number, form.cleaned_data["code"])
            user = account_for(number)
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            login(request, user, backend=BACKEND)  # a new session key
            request.session.pop(PHONE_KEY, None)
            request.session[VERIFIED_KEY] = encrypt(f"{user.pk}:{number}")
            record("signup.signed_in", request=request, actor=user)
            wanted = request.session.pop(NEXT_KEY, "")
            if user.person_id is None:
                return redirect("signup:home")
            return redirect(wanted if _safe(request, wanted) else "console:home")
    masked = f"{number[:3]}****{number[-4:]}"
    return render(request, "signup/code.html", {"form": form, "phone": masked})


def _children(place: Place | None) -> list[Place]:
    places = Place.objects.active()
    places = places.filter(parent=place) if place else places.filter(parent__isnull=True)
    return list(places.order_by("code"))


@login_required
@require_http_methods(["GET", "POST"])
def home(request: AuthedRequest) -> HttpResponse:
    """The resident the register does not know picks their unit (or village group) by its
    name, step by step down the tree, then gives their name and door."""
    user = request.user
    if not can(user, Can.ACT_AS_RESIDENT):
        raise Http404
    if user.person_id is not None:
        return redirect("console:home")
    at = normalise_code(request.GET.get("at", ""))
    place = Place.objects.active().filter(code=at).first() if at else None
    context: dict[str, Any] = {
        "place": place,
        "trail": place.ancestors() if place else [],
        "pending": LinkRequest.objects.filter(user=user).order_by("-created_at").first(),
    }
    if place is not None and holds_households(place):
        form = HomeForm(request.POST or None)
        number = _verified_phone(request)
        if number is None:  # the number was proven in another session: once more
            return redirect("signup:phone")
        if request.method == "POST" and form.is_valid():
            try:
                ask_link(user, place, phone=number, **form.cleaned_data)
            except Refusal as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("Sent: a leader of your building will confirm it."))
                return redirect("signup:home")
        context["form"] = form
    else:
        context["children"] = _children(place)
    return render(request, "signup/home.html", context)


@login_required
def requests(request: AuthedRequest) -> HttpResponse:
    require_or_404(request.user, Can.CONFIRM_RESIDENTS)
    pending = requests_for(request.user).order_by("created_at")[:200]
    rows = [(link, mask_phone(link.phone)) for link in pending]
    return render(request, "signup/requests.html", {"rows": rows, "form": DecideForm()})


def apply_decision(
    request: AuthedRequest, decide: Callable[..., object], *, done: str, invalid: str
) -> None:
    """Read a confirm-or-refuse form and hand it to `decide` (a service taking `confirm` and
    `reason`); its refusal, or `done`, is what the page says next."""
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, invalid)
        return
    try:
        decide(
            confirm=form.cleaned_data["decision"] == "confirm",
            reason=form.cleaned_data["reason"],
        )
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done)


@login_required
@require_POST
def decide(request: AuthedRequest, pk: int) -> HttpResponse:
    require_or_404(request.user, Can.CONFIRM_RESIDENTS)
    link = get_visible_or_404(requests_for(request.user, pending=False), pk=pk)
    apply_decision(
        request,
        partial(decide_link, request.user, link),
        done=_("The request was decided."),
        invalid=_("Say why, so that the resident can put it right."),
    )
    return redirect("signup:requests")
