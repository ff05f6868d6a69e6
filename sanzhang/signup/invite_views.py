"""Inviting leaders, staff and departments to their accounts (the staff's page), and the
invited person's page where they choose a user name and set their password."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import InvalidToken
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanzhang.access.roles import Can, require_or_404
from sanzhang.access.scope import get_visible_or_404
from sanzhang.core.crypto import decrypt, encrypt
from sanzhang.core.errors import Refusal
from sanzhang.core.http import AuthedRequest
from sanzhang.core.masking import mask_phone
from sanzhang.people.models import Role

from .forms import AcceptForm, InviteForm
from .invitations import (
    accept,
    invitations_for,
    invite,
    open_invitation,
    organisations_for,
    people_to_invite,
    roles_offered,
    withdraw,
)

LINK_KEY = "invitation_link"  # the link just made, shown once, encrypted in the session
FOUND_LIMIT = 20
BACKEND = "sanzhang.access.backends.ScopedModelBackend"


def _roles(request: AuthedRequest) -> list[tuple[str, str]]:
    labels = dict(Role.choices)
    return [(role, str(labels[role])) for role in roles_offered(request.user)]


@login_required
@require_http_methods(["GET", "POST"])
def invitations(request: AuthedRequest) -> HttpResponse:
    require_or_404(request.user, Can.INVITE_ACCOUNTS)
    user = request.user
    if request.method == "POST":
        form = InviteForm(request.POST, roles=_roles(request))
        if form.is_valid():
            data = form.cleaned_data
            person = get_visible_or_404(people_to_invite(user), pk=data["person"])
            organisation = organisations_for(user).filter(pk=data["organisation"]).first()
            try:
                _invitation, token = invite(
                    user, person, data["role"], organisation, request=request
                )
            except Refusal as refusal:
                messages.error(request, refusal.message)
            else:
                link = request.build_absolute_uri(reverse("signup:accept", args=[token]))
                request.session[LINK_KEY] = encrypt(f"{person.name}\n{link}")
        else:
            messages.error(request, _("Choose the kind of account."))
        return redirect(request.get_full_path())
    query = request.GET.get("q", "").strip()[:50]
    found = []
    if query:
        people = (
            people_to_invite(user).filter(name__contains=query).select_related("household__place")
        )
        found = [(p, mask_phone(p.phone)) for p in people.order_by("name", "pk")[:FOUND_LIMIT]]
    context: dict[str, Any] = {
        "query": query,
        "found": found,
        "roles": _roles(request),
        "organisations": organisations_for(user),
        "invitations": invitations_for(user)[:50],
        "just_made": _just_made(request),
        "now": timezone.now(),
    }
    return render(request, "signup/invitations.html", context)


def _just_made(request: HttpRequest) -> tuple[str, str] | None:
    token = request.session.pop(LINK_KEY, None)
    if not token:
        return None
    try:
        name, _sep, link = decrypt(token).partition("\n")
    except InvalidToken:
        return None
    return name, link


@login_required
@require_POST
def withdraw_view(request: AuthedRequest, pk: int) -> HttpResponse:
    require_or_404(request.user, Can.INVITE_ACCOUNTS)
    found = get_visible_or_404(invitations_for(request.user), pk=pk)
    try:
        withdraw(request.user, found, request=request)
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The invitation was withdrawn."))
    return redirect("signup:invitations")


@require_http_methods(["GET", "POST"])
def accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = open_invitation(token)
    if invitation is None:
        return render(request, "signup/invitation_gone.html", status=410)
    form = AcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = accept(
                token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                request=request,
            )
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, _("Your account is ready."))
            return redirect("console:home")
    context = {
        "invitation": invitation,
        "form": form,
        "role": dict(Role.choices)[invitation.role],
    }
    return render(request, "signup/accept.html", context)
