"""The register's hand-edit pages, for staff who keep it (community staff, the county office):
add a household at a unit or village grid of their area, correct its door and address, add a
resident to it, correct a resident. Leaders see households but change nothing (403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sanzhang.access.roles import Can, require_or_404
from sanzhang.access.scope import get_visible_or_404
from sanzhang.core.errors import Refusal
from sanzhang.core.http import AuthedRequest
from sanzhang.core.masking import mask_address
from sanzhang.people.models import Household
from sanzhang.people.services import masked, people_visible_to

from .editing import (
    add_household,
    add_resident,
    edit_household,
    edit_resident,
    places_to_keep,
    tags_at,
)
from .forms import HouseholdForm, ResidentForm
from .household_views import kept_household
from .households import may_keep

GET_OR_POST = require_http_methods(["GET", "POST"])


def _page(request: AuthedRequest, form: object, title: str, back: str) -> HttpResponse:
    context = {"form": form, "title": title, "back": back}
    return render(request, "register/edit.html", context)


def _done(request: AuthedRequest, household: Household, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("register:household", pk=household.pk)


@login_required
@GET_OR_POST
def household_new(request: AuthedRequest) -> HttpResponse:
    require_or_404(request.user, Can.KEEP_REGISTER)
    form = HouseholdForm(request.POST or None, places=places_to_keep(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household = add_household(
                request.user,
                data["place"],
                door=data["door"],
                address=data["address"],
                request=request,
            )
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            return _done(request, household, _("The household was added."))
    return _page(request, form, _("Add a household"), reverse("register:import"))


@login_required
@GET_OR_POST
def household_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    household = kept_household(request, pk)
    form = HouseholdForm(
        request.POST or None,
        initial={"door": household.door},
        masked_address=mask_address(household.address),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            edit_household(
                request.user, household, door=data["door"], address=data["address"], request=request
            )
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            return _done(request, household, _("The household was saved."))
    back = reverse("register:household", args=[household.pk])
    return _page(request, form, _("Correct the door and address"), back)


@login_required
@GET_OR_POST
def resident_new(request: AuthedRequest, pk: int) -> HttpResponse:
    household = kept_household(request, pk)
    form = ResidentForm(request.POST or None, tags=tags_at(household.place))
    if request.method == "POST" and form.is_valid():
        try:
            add_resident(request.user, household, form.resident(), request=request)
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            return _done(request, household, _("The resident was added."))
    back = reverse("register:household", args=[household.pk])
    return _page(request, form, _("Add a resident"), back)


@login_required
@GET_OR_POST
def resident_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    people = people_visible_to(request.user).filter(household__isnull=False)
    person = get_visible_or_404(people.select_related("household__place"), pk=pk)
    household = person.household
    assert household is not None  # nosec B101 # for mypy: the filter above (household__isnull=False)
    if not may_keep(request.user, household):
        raise PermissionDenied
    initial = {"name": person.name, "relation": person.relation, "tags": person.tags.all()}
    form = ResidentForm(
        request.POST or None,
        initial=initial,
        tags=tags_at(household.place),
        masked=masked(person),
    )
    if request.method == "POST" and form.is_valid():
        try:
            edit_resident(request.user, person, form.resident(), request=request)
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            return _done(request, household, _("The resident was saved."))
    back = reverse("register:household", args=[household.pk])
    return _page(request, form, _("Correct a resident"), back)
