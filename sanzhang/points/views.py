"""Points pages: my ledger, a member's ledger (with corrections), rankings and their Excel
export, and the county office's rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, QuerySet, Sum, Window
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sanzhang.access.roles import Can, can, require
from sanzhang.access.scope import get_visible_or_404
from sanzhang.audit.services import record
from sanzhang.core.errors import Refusal
from sanzhang.core.http import AuthedRequest
from sanzhang.core.xlsx import Column, Sheet, xlsx_response
from sanzhang.issues.jurisdiction import code_of, layered, own_place
from sanzhang.people.models import Person

from . import periods, services
from .access import home_place, members_visible_to, ranked_place
from .forms import CorrectionForm, RuleForm
from .links import link_of
from .models import Cause, PointEntry, PointRule
from .ranking import ranking

PAGE_SIZE = 50


def _ledger(request: AuthedRequest, person: Person) -> dict[str, Any]:
    """A person's entries, newest first, each with the balance after it."""
    entries = (
        PointEntry.objects.filter(person=person)
        .annotate(running=Window(Sum("points"), order_by=[F("at").asc(), F("id").asc()]))
        .select_related("source_type", "rule")
        .order_by("-at", "-id")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.link = link_of(entry)  # type: ignore[attr-defined]
    by_cause = dict(
        PointEntry.objects.filter(person=person)
        .order_by()
        .values_list("cause")
        .annotate(total=Sum("points"))
    )
    causes = [(label, by_cause[value]) for value, label in Cause.choices if value in by_cause]
    return {
        "person": person,
        "page": page,
        "causes": causes,
        "total": sum(by_cause.values()),
        "this_year": services.balance(person, periods.year(timezone.localdate().year)),
    }


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    person = request.user.person
    if person is None:
        return render(request, "points/no_ledger.html")
    return render(request, "points/ledger.html", {**_ledger(request, person), "own": True})


@login_required
@require_http_methods(["GET", "POST"])
def member(request: AuthedRequest, person_id: int) -> HttpResponse:
    """A party member's ledger, for those above them; the county office may correct it."""
    found = get_visible_or_404(members_visible_to(request.user), person_id=person_id)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST":
        require(request.user, Can.MANAGE_POINTS)
        if form.is_valid():
            try:
                services.correct(
                    found.person,
                    form.cleaned_data["points"],
                    form.cleaned_data["reason"],
                    actor=request.user,
                    request=request,
                )
            except Refusal as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The correction is recorded."))
                return redirect("points:member", person_id=person_id)
    context = _ledger(request, found.person)
    return render(request, "points/ledger.html", {**context, "member": found, "form": form})


def _period(request: AuthedRequest) -> periods.Period:
    key = request.GET.get("p", "")
    first, last = request.GET.get("start", ""), request.GET.get("end", "")
    if first or last:
        key = f"{first}..{last}"
    if not key:
        today = timezone.localdate()
        return periods.month(today.year, today.month)
    period = periods.parse(key[:40])
    if period is None:
        raise Http404(_("Not a period: %(period)s") % {"period": key[:40]})
    return period


@login_required
def ranking_home(request: AuthedRequest) -> HttpResponse:
    place = home_place(request.user) if can(request.user, Can.VIEW_RANKINGS) else None
    if place is None:
        return redirect("points:mine")
    ranked_place(request.user, place.code)
    return redirect("points:ranking", code=place.code)


def _ranking_context(request: AuthedRequest, code: str) -> dict[str, Any]:
    place = ranked_place(request.user, code)
    period = _period(request)
    return {"place": place, "period": period, "rows": ranking(place, period)}


@login_required
def ranking_page(request: AuthedRequest, code: str) -> HttpResponse:
    context = _ranking_context(request, code)
    page = Paginator(context["rows"], PAGE_SIZE).get_page(request.GET.get("page"))
    children = (
        context["place"]
        .children.active()
        .filter(kind__in=["community", "district", "area", "grid"])
    )
    return render(
        request,
        "points/ranking.html",
        {
            **context,
            "page": page,
            "children": children.order_by("code"),
            "ancestors": context["place"].ancestors(),
            "choices": periods.choices(timezone.localdate()),
            "is_office": can(request.user, Can.MANAGE_POINTS),
        },
    )


@login_required
def ranking_export(request: AuthedRequest, code: str) -> HttpResponse:
    """The period's points of every party member under the place (organisation department)."""
    require(request.user, Can.MANAGE_POINTS)
    context = _ranking_context(request, code)
    place, period = context["place"], context["period"]
    rows: QuerySet = context["rows"]
    sheet = Sheet(
        _("Points"),
        [
            Column(_("Rank"), 8, "int"),
            Column(_("Name"), 12),
            Column(_("Registered at"), 16),
            Column(_("Work unit"), 20),
            Column(_("Points"), 10, "int"),
            Column(_("From"), 12, "date"),
            Column(_("To"), 12, "date"),
        ],
        [
            [
                m.rank,
                m.person.name,
                m.community.name,
                m.work_unit,
                m.total,
                period.start,
                period.last_day,
            ]
            for m in rows
        ],
    )
    record(
        "points.exported",
        request=request,
        obj=place,
        detail={"period": period.key, "rows": len(sheet.rows)},  # type: ignore[arg-type]
    )
    filename = _("points %(place)s %(period)s.xlsx") % {"place": place.name, "period": period.key}
    return xlsx_response(filename, [sheet])


@login_required
@require_http_methods(["GET", "POST"])
def rules_page(request: AuthedRequest) -> HttpResponse:
    require(request.user, Can.MANAGE_POINTS)
    form = RuleForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_rule(**form.cleaned_data, actor=request.user, request=request)
        except Refusal as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The new version of the rule is saved."))
            return redirect("points:rules")
    today = timezone.localdate()
    code = code_of(own_place(request.user))
    # The office's own versions and those it inherits (its province's, the defaults).
    rules = list(
        layered(PointRule.objects.select_related("created_by", "place"), code).order_by(
            "cause", "-valid_from"
        )
    )
    in_force = {
        cause: rule.pk
        for cause in Cause.values
        if (rule := services.rule_in_force(cause, today, code))
    }
    return render(
        request, "points/rules.html", {"form": form, "rules": rules, "in_force": in_force}
    )
