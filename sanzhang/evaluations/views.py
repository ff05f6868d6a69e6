"""Public evaluation pages: the periods and the office's form to open one, the phone page where
a resident or party member evaluates the holders over their home, each period's results per
holder (in the viewer's scope) with Excel, and a holder's own results.

No page shows who gave an evaluation: votes are read only as counts, and comments only by the
holder they are about, without names and in an order that says nothing of when they came."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from sanzhang.access.roles import Can, can, require
from sanzhang.access.scope import get_visible_or_404, scope_filter
from sanzhang.audit.services import record
from sanzhang.core.errors import Refusal
from sanzhang.core.http import AuthedRequest
from sanzhang.core.xlsx import Column, Sheet, xlsx_response
from sanzhang.posts.models import Tenure

from . import services
from .forms import OpenForm, VoteForm
from .models import Choice, Period

PAGE_SIZE = 200


def _period(request: AuthedRequest, period_id: int) -> Period:
    require(request.user, Can.VIEW_EVALUATIONS)
    periods = services.periods_visible_to(request.user).select_related("place")
    return get_visible_or_404(periods, pk=period_id)


def _results(request: AuthedRequest, period: Period) -> list[services.HolderResult]:
    within = scope_filter(request.user, "tenure__post__place__code")
    return services.results_for(period, period.place.code, within=within)


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """The periods the user may read; the county office opens one here."""
    if not can(request.user, Can.VIEW_EVALUATIONS):
        if can(request.user, Can.EVALUATE_POST_HOLDERS):
            return redirect("evaluations:vote")
        raise PermissionDenied
    periods = services.periods_visible_to(request.user).select_related("place")
    return render(
        request,
        "evaluations/home.html",
        {
            "periods": periods,
            "form": OpenForm() if can(request.user, Can.RUN_EVALUATIONS) else None,
            "may_vote": can(request.user, Can.EVALUATE_POST_HOLDERS),
            "holds_posts": can(request.user, Can.HOLD_POSTS),
        },
    )


@login_required
@require_POST
def open_new(request: AuthedRequest) -> HttpResponse:
    require(request.user, Can.RUN_EVALUATIONS)
    form = OpenForm(request.POST)
    if form.is_valid():
        try:
            period = services.open_period(request.user, request=request, **form.cleaned_data)
            messages.success(request, _("The evaluation is open."))
            return redirect("evaluations:results", period_id=period.pk)
        except Refusal as error:
            form.add_error(None, error.message)
    periods = services.periods_visible_to(request.user).select_related("place")
    context = {"periods": periods, "form": form, "may_vote": False, "holds_posts": False}
    return render(request, "evaluations/home.html", context, status=422)


@login_required
@require_POST
def close(request: AuthedRequest, period_id: int) -> HttpResponse:
    period = _period(request, period_id)
    require(request.user, Can.RUN_EVALUATIONS)
    try:
        services.close_period(period, request.user, request=request)
        messages.success(request, _("The evaluation is closed; its results are final."))
    except Refusal as error:
        messages.error(request, error.message)
    return redirect("evaluations:results", period_id=period.pk)


@login_required
def results(request: AuthedRequest, period_id: int) -> HttpResponse:
    """Each holder's counts and satisfaction rate in the user's scope, a page at a time (a
    count and one page of rows: two queries, however many the votes)."""
    period = _period(request, period_id)
    within = scope_filter(request.user, "tenure__post__place__code")
    page = Paginator(services.result_rows(period, period.place.code, within), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "evaluations/results.html",
        {
            "period": period,
            "page": page,
            "rows": services.as_results(page.object_list),
            "may_close": period.is_open and can(request.user, Can.RUN_EVALUATIONS),
        },
    )


@login_required
def export(request: AuthedRequest, period_id: int) -> HttpResponse:
    """The results in Excel (counts only, never voters); the download is audited."""
    period = _period(request, period_id)
    rows = [
        [
            r.name,
            r.post_label,
            r.place_code,
            r.place_name,
            r.satisfied,
            r.basic,
            r.unsatisfied,
            r.total,
            r.rate,
        ]
        for r in _results(request, period)
    ]
    columns = [
        Column(pgettext("evaluation results", "Holder"), 12),
        Column(_("Post"), 18),
        Column(_("Place code"), 22),
        Column(_("Place"), 14),
        Column(_("Satisfied"), 8, "int"),
        Column(_("Basically satisfied"), 10, "int"),
        Column(_("Not satisfied"), 8, "int"),
        Column(_("Evaluations"), 8, "int"),
        Column(_("Satisfaction rate"), 10, "percent"),
    ]
    record("evaluation.exported", request=request, obj=period, detail={"rows": len(rows)})
    sheet = Sheet(_("Public evaluation"), columns, rows)
    return xlsx_response(_("Public evaluation %(title)s.xlsx") % {"title": period.title}, [sheet])


@login_required
@require_http_methods(["GET", "POST"])
def vote(request: AuthedRequest) -> HttpResponse:
    """The phone page: the holders over my home, three buttons each, once per period."""
    require(request.user, Can.EVALUATE_POST_HOLDERS)
    person = request.user.person
    if request.method == "POST":
        form = VoteForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Please choose one of the three answers."))
            return redirect("evaluations:vote")
        data = form.cleaned_data
        period = services.periods_over(person).filter(pk=data["period"]).first()
        tenure = Tenure.objects.select_related("person").filter(pk=data["tenure"]).first()
        try:
            if period is None or tenure is None:
                raise Http404
            services.evaluate(request.user, period, tenure, data["choice"], data["comment"])
            messages.success(
                request,
                _("Thank you. Your evaluation of %(name)s is recorded: %(choice)s.")
                % {"name": tenure.person.name, "choice": Choice(data["choice"]).label},
            )
        except Refusal as error:
            messages.error(request, error.message)
        return redirect("evaluations:vote")
    rounds = []
    for period in services.open_periods_for(person):
        assert person is not None  # nosec B101 # for mypy: open periods need a home
        answers = services.answers_of(person, period)
        holders = [
            (t, answers.get(t.pk), Choice(answers[t.pk]).label if t.pk in answers else "")
            for t in services.holders_over(person, period)
        ]
        rounds.append((period, holders))
    return render(
        request,
        "evaluations/vote.html",
        {
            "rounds": rounds,
            "has_home": services.home_code(person) is not None,
            "choices": Choice.choices,
        },
    )


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    """A holder's own results in closed periods, with the comments, never who gave them."""
    require(request.user, Can.HOLD_POSTS)
    person = request.user.person
    found = services.own_results(person) if person is not None else []
    return render(request, "evaluations/mine.html", {"found": found})
