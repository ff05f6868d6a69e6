"""A party member's registration at their community (在职党员进社区报到), and the staff's list
of registrations to confirm with each community's count."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanzhang.access.actor import standing
from sanzhang.access.roles import Can, require_or_404
from sanzhang.access.scope import get_visible_or_404
from sanzhang.core.errors import Refusal
from sanzhang.core.http import AuthedRequest

from .forms import PartyRegistrationForm
from .models import PartyRegistration
from .party import (
    ask_registration,
    communities_for,
    decide_registration,
    home_community,
    registered_counts,
    registrations_for,
)
from .views import apply_decision


@login_required
@require_http_methods(["GET", "POST"])
def register(request: AuthedRequest) -> HttpResponse:
    user = request.user
    member = standing(user).party_member
    context: dict[str, object] = {
        "member": member,
        "latest": PartyRegistration.objects.filter(user=user).order_by("-created_at").first(),
    }
    if user.person_id is not None:
        initial: dict[str, object] = {"community": home_community(user)}
        if member is not None:
            initial |= {"work_unit": member.work_unit}
            initial |= {"party_organisation": member.party_organisation}
        form = PartyRegistrationForm(
            request.POST or None, communities=communities_for(user), initial=initial
        )
        if request.method == "POST" and form.is_valid():
            try:
                ask_registration(user, **form.cleaned_data)
            except Refusal as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("Sent: the community's staff will confirm it."))
                return redirect("signup:party")
        context["form"] = form
    return render(request, "signup/party.html", context)


@login_required
def registrations(request: AuthedRequest) -> HttpResponse:
    require_or_404(request.user, Can.CONFIRM_PARTY_MEMBERS)
    pending = registrations_for(request.user).order_by("created_at")[:200]
    context = {"pending": pending, "counts": registered_counts(request.user)}
    return render(request, "signup/party_registrations.html", context)


@login_required
@require_POST
def decide(request: AuthedRequest, pk: int) -> HttpResponse:
    require_or_404(request.user, Can.CONFIRM_PARTY_MEMBERS)
    registration = get_visible_or_404(registrations_for(request.user, pending=False), pk=pk)
    apply_decision(
        request,
        partial(decide_registration, request.user, registration),
        done=_("The registration was decided."),
        invalid=_("Choose to confirm or to refuse."),
    )
    return redirect("signup:party-registrations")
