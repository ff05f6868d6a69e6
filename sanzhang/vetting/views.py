"""Cadre vetting pages: the department's list with its figures and Excel, opening a vetting,
a vetting with its views, findings and decision. Confidential: whoever may not see a vetting
gets 404, and every read of a vetting (list, page, export) is written to the audit log."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanzhang.access.roles import Can, can, require_or_404
from sanzhang.access.scope import get_visible_or_404
from sanzhang.audit.services import record
from sanzhang.core.errors import Conflict, NotAllowed, Refusal
from sanzhang.core.forms import valid_data
from sanzhang.core.http import AuthedRequest
from sanzhang.core.xlsx import Column, Sheet, xlsx_response
from sanzhang.party.models import PartyOrganisation
from sanzhang.people.models import Household
from sanzhang.places.models import Place, PlaceKind

from . import access, services
from .forms import DecideForm, FindingsForm, OpenForm, ViewForm
from .models import HEADINGS, Status, Vetting, heading

PAGE_SIZE = 50


def _visible(request: AuthedRequest) -> QuerySet[Vetting]:
    return Vetting.objects.visible_to(request.user).select_related("county")


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """The department's vettings with its figures; a reviewer's vettings to review."""
    department = can(request.user, Can.OPEN_VETTINGS)
    if not department and not access.reviews_any(request.user):
        raise Http404
    vettings = _visible(request)
    page = Paginator(vettings, PAGE_SIZE).get_page(request.GET.get("page"))
    record("vetting.listed", request=request, detail={"ids": [v.pk for v in page]})
    context: dict[str, object] = {"page": page, "department": department}
    if department:
        year = timezone.localdate().year
        context |= {
            "year": year,
            "this_year": services.figures(vettings, year),
            "all_time": services.figures(vettings),
        }
    return render(request, "vetting/index.html", context)


def household_label(household: Household) -> str:
    place = household.place
    above = place.parent.name + " " if place.kind == PlaceKind.UNIT and place.parent else ""
    return f"{above}{place.name} {household.door}".strip()


def _grid_choices(county: Place) -> QuerySet[Place]:
    return Place.objects.under(county.code).active().filter(kind=PlaceKind.GRID)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: AuthedRequest) -> HttpResponse:
    """Open a vetting: choose a grid first, then the cadre's households in it."""
    require_or_404(request.user, Can.OPEN_VETTINGS)
    try:
        county = services.department_county(request.user)
    except NotAllowed as error:  # an account of no organisation
        raise Http404 from error
    grids = _grid_choices(county)
    code = request.POST.get("grid") or request.GET.get("grid", "")
    grid = grids.filter(code=code).first()
    households = Household.objects.none()
    if grid is not None:
        households = Household.objects.filter(
            place__code__under=grid.code, moved_away_on__isnull=True
        ).select_related("place__parent")
    branches = PartyOrganisation.objects.branches().filter(place__code__under=county.code)
    form = OpenForm(
        request.POST or None,
        initial={"grid": code, "token": uuid.uuid4()},
        households=[
            (str(h.pk), household_label(h)) for h in households.order_by("place__code", "door")
        ],
        branches=branches.select_related("place"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            vetting = _open(request, form.cleaned_data, households)
            messages.success(request, _("The vetting is open; its reviewers see it now."))
            return redirect("vetting:detail", vetting_id=vetting.pk)
        except Refusal as error:
            form.add_error(None, error.message)
    return render(request, "vetting/new.html", {"form": form, "grids": grids, "grid": grid})


def _open(request: AuthedRequest, data: dict, households: QuerySet[Household]) -> Vetting:  # type: ignore[type-arg]
    chosen = list(households.filter(pk__in=[int(pk) for pk in data["households"]]))
    cadre = services.Cadre(
        name=data["cadre_name"],
        current_post=data["current_post"],
        proposed_post=data["proposed_post"],
        id_number=data["id_number"],
    )
    return services.open_vetting(
        request.user,
        cadre=cadre,
        households=chosen,
        branches=list(data["branches"]),
        deadline=data["deadline"],
        token=data["token"],
    )


def _vetting(request: AuthedRequest, vetting_id: int) -> Vetting:
    return get_visible_or_404(_visible(request), pk=vetting_id)


@login_required
def detail(request: AuthedRequest, vetting_id: int) -> HttpResponse:
    vetting = _vetting(request, vetting_id)
    record("vetting.read", request=request, obj=vetting)
    moves = services.allowed_moves(request.user, vetting)
    initial = {"version": vetting.version}
    reviewers = vetting.reviewers.filter(ended_at__isnull=True).select_related(
        "person", "post__place"
    )
    context = {
        "vetting": vetting,
        "moves": moves,
        "households": [
            household_label(h) for h in vetting.households.select_related("place__parent")
        ],
        "branches": vetting.branches.all(),
        "reviewers": reviewers,
        "views": vetting.views.all(),
        "findings": [(heading(h), getattr(vetting, h)) for h in HEADINGS],
        "overdue": vetting.status == Status.OPEN and vetting.deadline < timezone.localdate(),
        "view_form": ViewForm(initial=initial),
        "findings_form": FindingsForm(initial=initial),
        "decide_form": DecideForm(initial=initial),
    }
    return render(request, "vetting/detail.html", context)


FORMS = {"view": ViewForm, "submit": FindingsForm, "decide": DecideForm}


def _run(request: AuthedRequest, vetting: Vetting, move: str) -> None:
    if move == "reassign":
        added, ended = services.reassign(vetting, request.user)
        messages.success(
            request, _("Reviewers added: %(a)d; ended: %(e)d.") % {"a": added, "e": ended}
        )
        return
    data = valid_data(FORMS[move](request.POST))
    if data["version"] != vetting.version:
        raise Conflict(services.stale_message())
    if move == "view":
        fields = ("giver_kind", "giver", "relationship", "said")
        services.record_view(vetting, request.user, **{f: data[f] for f in fields})
    elif move == "submit":
        findings = {h: data[h] for h in HEADINGS}
        services.submit_findings(
            vetting,
            request.user,
            findings=findings,
            conclusion=data["conclusion"],
            reasons=data["reasons"],
        )
    else:
        services.decide(vetting, request.user, decision=data["decision"], note=data["note"])
    messages.success(request, _("Saved."))


@login_required
@require_POST
def act(request: AuthedRequest, vetting_id: int, move: str) -> HttpResponse:
    """One move from the vetting's page; the form carries the version the user saw."""
    vetting = _vetting(request, vetting_id)
    if move not in services.MOVES:
        raise Http404
    try:
        _run(request, vetting, move)
    except Refusal as error:
        messages.error(request, error.message)
    return redirect("vetting:detail", vetting_id=vetting.pk)


@login_required
def export(request: AuthedRequest) -> HttpResponse:
    """The concluded vettings in Excel, for the department: the findings and decisions, and
    what was said without who said it."""
    require_or_404(request.user, Can.OPEN_VETTINGS)
    vettings = list(
        _visible(request)
        .filter(status=Status.DECIDED)
        .order_by("decided_at", "pk")
        .prefetch_related(Prefetch("views"))
    )
    record("vetting.exported", request=request, detail={"ids": [v.pk for v in vettings]})
    sheets = [_decisions_sheet(vettings), _views_sheet(vettings)]
    name = _("Cadre vettings %(day)s.xlsx") % {"day": timezone.localdate().isoformat()}
    return xlsx_response(name, sheets)


def _decisions_sheet(vettings: list[Vetting]) -> Sheet:
    columns = [
        Column(_("Number"), 8, "int"),
        Column(_("Cadre"), 10),
        Column(_("Current post and work unit"), 24),
        Column(_("Post considered for"), 24),
        Column(_("Opened at"), 12, "date"),
        *[Column(heading(h), 30) for h in HEADINGS],
        Column(_("Conclusion"), 10),
        Column(_("Reasons"), 30),
        Column(_("The department's decision"), 8),
        Column(_("Decided at"), 12, "date"),
        Column(_("Views heard"), 8, "int"),
    ]
    rows = [
        [
            v.pk,
            v.cadre_name,
            v.current_post,
            v.proposed_post,
            timezone.localdate(v.opened_at),
            *[getattr(v, h) for h in HEADINGS],
            v.get_conclusion_display(),
            v.reasons,
            v.get_decision_display(),
            timezone.localdate(v.decided_at) if v.decided_at else None,
            len(v.views.all()),
        ]
        for v in vettings
    ]
    return Sheet(_("Decisions"), columns, rows)


def _views_sheet(vettings: list[Vetting]) -> Sheet:
    columns = [
        Column(_("Number"), 8, "int"),
        Column(_("Cadre"), 10),
        Column(_("Given by a"), 12),
        Column(_("What they said"), 60),
        Column(_("Recorded on"), 12, "date"),
    ]
    rows = [
        [
            v.pk,
            v.cadre_name,
            view.get_giver_kind_display(),
            view.said,
            timezone.localdate(view.recorded_at),
        ]
        for v in vettings
        for view in v.views.all()
    ]
    return Sheet(_("Views, without who gave them"), columns, rows)
