"""The co-building pages: the units of the user's area (and registering one), a unit's page
with its bindings and agreements, an agreement's page with its commitments, what was done
toward each, the activities and the year-end rating, and the county's overview with its Excel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanzhang.access.roles import Can, can, require
from sanzhang.access.scope import get_visible_or_404, scope_filter
from sanzhang.audit.services import record as audit
from sanzhang.core.errors import Invalid, Refusal
from sanzhang.core.forms import valid_data
from sanzhang.core.http import AuthedRequest
from sanzhang.core.masking import mask_phone
from sanzhang.places.models import Place

from . import overview as summary
from . import progress, services
from .forms import (
    ActivityForm,
    AgreementForm,
    CommitmentForm,
    EndBindingForm,
    RatingForm,
    UnitForm,
)
from .models import Activity, Agreement, Binding, BindingKind, CommitmentKind, Grade, UnitKind
from .rating import heading_labels


def _bound_places(request: AuthedRequest):  # type: ignore[no-untyped-def]
    return (
        Place.objects.visible_to(request.user)
        .active()
        .filter(kind__in=services.BOUND_PLACE_KINDS)
        .order_by("code")
    )


def _place(request: AuthedRequest, place_id: int, message: str) -> Place:
    place = _bound_places(request).filter(pk=place_id).first()
    if place is None:
        raise Invalid(message)
    return place


@login_required
@require_http_methods(["GET", "POST"])
def unit_list(request: AuthedRequest) -> HttpResponse:
    require(request.user, Can.VIEW_PARTNERS)
    if request.method == "POST":
        require(request.user, Can.KEEP_PARTNERS)
        try:
            data = valid_data(UnitForm(request.POST))
            place = _place(request, data.pop("place"), _("Choose the community or village."))
            done = services.register_unit(request.user, place=place, **data, request=request)
            if done.created:
                messages.success(request, _("The unit is registered and bound."))
            else:
                messages.info(request, _("The unit was registered and bound already."))
            return redirect("partners:unit", unit_id=done.row.pk)
        except Refusal as error:
            messages.error(request, error.message)
    units = services.units_visible_to(request.user).select_related("county").order_by("name")
    context = {
        "units": units[:500],
        "may_keep": can(request.user, Can.KEEP_PARTNERS),
        "places": _bound_places(request),
        "kinds": UnitKind.choices,
        "binding_kinds": BindingKind.choices,
    }
    return render(request, "partners/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unit_page(request: AuthedRequest, unit_id: int) -> HttpResponse:
    require(request.user, Can.VIEW_PARTNERS)
    unit = get_visible_or_404(services.units_visible_to(request.user), pk=unit_id)
    if request.method == "POST":
        require(request.user, Can.KEEP_PARTNERS)
        try:
            data = valid_data(AgreementForm(request.POST))
            community = _place(request, data.pop("community"), _("Choose the community."))
            done = services.record_agreement(
                request.user, unit, community=community, **data, request=request
            )
            if not done.created:
                messages.info(request, _("That year's agreement was recorded already."))
            return redirect("partners:agreement", agreement_id=done.row.pk)
        except Refusal as error:
            messages.error(request, error.message)
    bindings = unit.bindings.filter(scope_filter(request.user, "place__code")).select_related(
        "place"
    )
    agreements = services.agreements_visible_to(request.user).filter(unit=unit)
    shown = services.sees_contact(request.user, unit)
    if shown and unit.contact_phone:  # a person's full phone number: every showing is logged
        audit("partners.contact_shown", request=request, obj=unit)
    context = {
        "unit": unit,
        "phone": unit.contact_phone if shown else mask_phone(unit.contact_phone),
        "bindings": bindings,
        "agreements": agreements.select_related("community", "rating"),
        "may_keep": can(request.user, Can.KEEP_PARTNERS),
        "communities": [b.place for b in bindings if b.until is None],
        "this_year": timezone.localdate().year,
        "today": timezone.localdate(),
    }
    return render(request, "partners/unit.html", context)


@login_required
@require_POST
def end_binding(request: AuthedRequest, binding_id: int) -> HttpResponse:
    require(request.user, Can.KEEP_PARTNERS)
    bindings = Binding.objects.filter(scope_filter(request.user, "place__code"))
    binding = get_visible_or_404(bindings.select_related("unit", "place"), pk=binding_id)
    try:
        until = valid_data(EndBindingForm(request.POST))["until"]
        if services.end_binding(request.user, binding, until=until, request=request):
            messages.success(request, _("The binding is ended; its agreements stay."))
        else:
            messages.info(request, _("The binding had ended already."))
    except Refusal as error:
        messages.error(request, error.message)
    return redirect("partners:unit", unit_id=binding.unit_id)


def _agreement(request: AuthedRequest, agreement_id: int) -> Agreement:
    require(request.user, Can.VIEW_PARTNERS)
    agreements = services.agreements_visible_to(request.user).select_related("unit", "community")
    return get_visible_or_404(agreements, pk=agreement_id)


@login_required
def agreement_page(request: AuthedRequest, agreement_id: int) -> HttpResponse:
    agreement = _agreement(request, agreement_id)
    found = progress.progress_of(agreement)
    rating = getattr(agreement, "rating", None)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "agreement": agreement,
        "progress": found,
        "activities": Activity.objects.filter(commitment__agreement=agreement).select_related(
            "commitment"
        ),
        "rating": rating,
        "grades": [],
        "may_keep": can(request.user, Can.KEEP_PARTNERS) and rating is None,
        "may_rate": rating is None and services.may_rate(request.user, agreement),
        "rating_open": today >= services.rating_opens(agreement.year),
        "rating_opens": services.rating_opens(agreement.year),
        "headings": heading_labels(),
        "grade_choices": Grade.choices,
        "commitment_kinds": CommitmentKind.choices,
        "hours_per_wish": progress.HOURS_PER_WISH,
    }
    if rating is not None:
        context["grades"] = [
            (label, Grade(getattr(rating, name)).label) for name, label in heading_labels()
        ]
    return render(request, "partners/agreement.html", context)


@login_required
@require_POST
def agreement_act(request: AuthedRequest, agreement_id: int, action: str) -> HttpResponse:
    agreement = _agreement(request, agreement_id)
    acts = {"commitment": _add_commitment, "activity": _record_activity, "rate": _rate}
    if action not in acts:
        raise Http404
    try:
        acts[action](request, agreement)
    except Refusal as error:
        messages.error(request, error.message)
    return redirect("partners:agreement", agreement_id=agreement.pk)


def _add_commitment(request: AuthedRequest, agreement: Agreement) -> None:
    data = valid_data(CommitmentForm(request.POST))
    done = services.add_commitment(request.user, agreement, **data, request=request)
    if done.created:
        messages.success(request, _("The commitment is added."))
    else:
        messages.info(request, _("That commitment was in the agreement already."))


def _record_activity(request: AuthedRequest, agreement: Agreement) -> None:
    data = valid_data(ActivityForm(request.POST))
    commitment = agreement.commitments.filter(pk=data.pop("commitment")).first()
    if commitment is None:
        raise Invalid(_("Choose the commitment the activity counts toward."))
    done = services.record_activity(request.user, commitment, **data, request=request)
    if done.created:
        messages.success(request, _("The activity is recorded."))
    else:
        messages.info(request, _("That activity was recorded already."))


def _rate(request: AuthedRequest, agreement: Agreement) -> None:
    data = valid_data(RatingForm(request.POST))
    comment = data.pop("comment")
    done = services.rate(request.user, agreement, grades=data, comment=comment, request=request)
    if done.created:
        messages.success(request, _("The rating is recorded."))
    else:
        messages.info(request, _("The unit was rated for this year already: nothing changed."))


def _year(request: AuthedRequest) -> int:
    this_year = timezone.localdate().year
    value = request.GET.get("year", "")
    year = int(value) if value.isascii() and value.isdigit() else this_year - 1
    return year if 2000 <= year <= this_year + 1 else this_year


@login_required
def overview(request: AuthedRequest) -> HttpResponse:
    """Every unit's rating and how far it kept its commitments, for a year (default: the last)."""
    require(request.user, Can.VIEW_PARTNERS)
    year = _year(request)
    rows = summary.rows_for(request.user, year)
    if request.GET.get("format") == "xlsx":
        audit("partners.overview_exported", request=request, detail={"year": year})
        return summary.workbook_response(year, rows)
    context = {"year": year, "rows": rows, "headings": heading_labels()}
    return render(request, "partners/overview.html", context)
