"""A household's page: its residents with their special groups, its moves; for staff of its
community and the county office, moving it or marking it moved away."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sanzhang.access.scope import get_visible_or_404
from sanzhang.audit.services import record
from sanzhang.core.errors import Refusal
from sanzhang.core.http import AuthedRequest
from sanzhang.core.masking import mask_address
from sanzhang.people.models import Household, User

from .forms import MovedAwayForm, MoveForm
from .households import households_visible_to, mark_moved_away, may_keep, move_household


def _household(request: AuthedRequest, pk: int) -> Household:
    households = households_visible_to(request.user).select_related("place")
    return get_visible_or_404(households, pk=pk)


def kept_household(request: AuthedRequest, pk: int) -> Household:
    """The household, for a change: leaders see it but may not change it (403)."""
    household = _household(request, pk)
    if not may_keep(request.user, household):
        raise PermissionDenied
    return household


def _page(request: AuthedRequest, household: Household, **bound: forms.Form) -> HttpResponse:
    members = household.members.prefetch_related("tags").order_by("birth_year", "pk")
    with_accounts = set(
        User.objects.filter(person__household=household, is_active=True).values_list(
            "person_id", flat=True
        )
    )
    keeps = may_keep(request.user, household)
    context: dict[str, Any] = {
        "household": household,
        "address": mask_address(household.address),
        "members": [(person, person.pk in with_accounts) for person in members],
        "moves": household.moves.select_related("from_place", "to_place", "by"),
        "keeps": keeps,
        "move_form": bound.get("move") or (MoveForm() if keeps else None),
        "away_form": bound.get("away") or (MovedAwayForm() if keeps else None),
    }
    return render(request, "register/household.html", context)


@login_required
@require_GET
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    record("household.viewed", request=request, obj=household)
    return _page(request, household)


@login_required
@require_POST
def move(request: AuthedRequest, pk: int) -> HttpResponse:
    household = kept_household(request, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            move_household(
                request.user,
                household,
                form.cleaned_data["to_code"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The household was moved."))
            return redirect("register:household", pk=household.pk)
    return _page(request, household, move=form)


@login_required
@require_POST
def moved_away(request: AuthedRequest, pk: int) -> HttpResponse:
    household = kept_household(request, pk)
    form = MovedAwayForm(request.POST)
    if form.is_valid():
        try:
            mark_moved_away(
                request.user,
                household,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The household is marked as moved away."))
            return redirect("register:household", pk=household.pk)
    return _page(request, household, away=form)
