"""The staff's page of terms ending and rotations planned; the county office's rules."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanzhang.access.roles import Can, can, require
from sanzhang.access.scope import get_visible_or_404, in_scope, scope_codes, scope_filter
from sanzhang.core.errors import Refusal
from sanzhang.core.http import AuthedRequest
from sanzhang.places.models import Place, PlaceKind
from sanzhang.posts.fitness import appointment_concerns, concerns_key
from sanzhang.posts.models import Post, Tenure
from sanzhang.posts.services import PostError, current_reserve, find_or_record_person, find_person

from .forms import PlanForm, RulesForm
from .models import RotationPlan
from .plans import cancel_plan, plan_rotation
from .rules import rules_of, set_rules
from .terms import terms_ending

NO_RESERVE_SHOWN = 30
FAILED_SHOWN_FOR = datetime.timedelta(days=60)  # plans that could not be carried out
ENDING_SHOWN = 100  # earliest first: terms over, then those ending soonest


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    require(request.user, Can.MANAGE_ROTATION)
    user = request.user
    plans = (
        RotationPlan.objects.filter(
            scope_filter(user, "post__place__code"), state=RotationPlan.State.PLANNED
        )
        .select_related("post__place", "incoming", "outgoing__person")
        .order_by("on", "pk")
    )
    reserve_now = Tenure.objects.current().filter(
        post_id=OuterRef("post_id"), role=Tenure.Role.RESERVE
    )
    without_reserve = (
        Tenure.objects.current()
        .filter(scope_filter(user, "post__place__code"), role=Tenure.Role.HOLDER)
        .filter(~Exists(reserve_now))
        .select_related("post__place", "person")
        .order_by("post__place__code")
    )
    ending = terms_ending(user)
    failed = (
        RotationPlan.objects.filter(
            scope_filter(user, "post__place__code"),
            state=RotationPlan.State.CANCELLED,
            settled_at__gte=timezone.now() - FAILED_SHOWN_FOR,
        )
        .exclude(outcome="")
        .select_related("post__place", "incoming")
        .order_by("-settled_at")
    )
    context = {
        "failed": failed[:NO_RESERVE_SHOWN],
        "ending": ending[:ENDING_SHOWN],
        "ending_count": len(ending),
        "plans": plans,
        "without_reserve": without_reserve[:NO_RESERVE_SHOWN],
        "without_reserve_count": without_reserve.count(),
        "may_set_terms": can(user, Can.SET_TERMS),
    }
    return render(request, "rotation/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_page(request: AuthedRequest, post_id: int) -> HttpResponse:
    require(request.user, Can.MANAGE_ROTATION)
    posts = Post.objects.filter(scope_filter(request.user, "place__code")).select_related("place")
    post = get_visible_or_404(posts, pk=post_id)
    holder = Tenure.objects.current().filter(post=post, role=Tenure.Role.HOLDER).first()
    reserve = current_reserve(post)
    initial: dict[str, object] = {
        "who": "reserve" if reserve else "other",
        "reason": _("Term served (任期届满轮岗)"),
    }
    ending = next((t for t in terms_ending(request.user) if t.tenure.post_id == post.pk), None)
    today = timezone.localdate()
    initial["on"] = max(ending.ends_on, today) if ending else today
    form = PlanForm(request.POST or None, initial=initial)
    concerns: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["who"] == "reserve" and reserve is None:
                raise PostError(_("This post has no reserve holder."))
            known = reserve.person if data["who"] == "reserve" and reserve else None
            if data["who"] == "other":
                known = find_person(data["name"], data["phone"])
            name = known.name if known is not None else data["name"].strip()
            concerns = appointment_concerns(
                known, name, post.place, sees=lambda code: in_scope(request.user, code)
            )
            # As on the appointment page: "despite" holds only for the concerns it was ticked under.
            if not concerns or (
                data["despite_concerns"] and data["concerns_seen"] == concerns_key(concerns)
            ):
                with transaction.atomic():  # a refused plan leaves no new person behind
                    incoming = known or find_or_record_person(data["name"], data["phone"])
                    plan = plan_rotation(
                        request.user, post, incoming, on=data["on"], reason=data["reason"]
                    )
                if plan.state == RotationPlan.State.CARRIED_OUT:
                    messages.success(
                        request, _("Rotated: %(name)s holds the post.") % {"name": incoming.name}
                    )
                elif plan.state == RotationPlan.State.CANCELLED:
                    messages.error(request, plan.outcome)
                else:
                    messages.success(request, _("Rotation planned."))
                return redirect("rotation:home")
        except (PostError, Refusal) as error:
            form.add_error(None, str(error))
    if concerns:  # shown now: the next send may plan despite exactly these
        shown = request.POST.copy()
        shown["concerns_seen"] = concerns_key(concerns)
        shown["despite_concerns"] = ""
        form.data = shown
    context = {
        "post": post,
        "holder": holder,
        "reserve": reserve,
        "form": form,
        "ending": ending,
        "concerns": concerns,
    }
    return render(request, "rotation/plan.html", context)


@login_required
@require_POST
def cancel_page(request: AuthedRequest, pk: int) -> HttpResponse:
    require(request.user, Can.MANAGE_ROTATION)
    plans = RotationPlan.objects.filter(scope_filter(request.user, "post__place__code"))
    plan = get_visible_or_404(plans, pk=pk)
    if cancel_plan(request.user, plan):
        messages.success(request, _("Rotation cancelled."))
    else:
        messages.error(request, _("This rotation was carried out or cancelled meanwhile."))
    return redirect("rotation:home")


@login_required
@require_http_methods(["GET", "POST"])
def rules_page(request: AuthedRequest) -> HttpResponse:
    require(request.user, Can.SET_TERMS)
    counties = Place.objects.filter(kind=PlaceKind.COUNTY)
    codes = scope_codes(request.user)
    if codes is not None:
        counties = counties.filter(scope_filter(request.user, "code"))
    counties = counties.order_by("code")
    wanted = request.GET.get("county") or request.POST.get("county")
    county = counties.filter(code=wanted).first() if wanted else counties.first()
    if county is None:
        raise Http404
    rules = rules_of(county)
    initial = {}
    for kind, rule in rules.items():
        initial[f"term_{kind}"] = rule.term_months
        initial[f"act_{kind}"] = rule.reserves_act
    form = RulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = {
            name.removeprefix("term_"): (
                data[name],
                data[f"act_{name.removeprefix('term_')}"],
            )
            for name in data
            if name.startswith("term_")
        }
        try:
            set_rules(request.user, county, chosen)
        except Refusal as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Terms saved."))
            return redirect(f"{request.path}?county={county.code}")
    context = {"form": form, "county": county, "counties": counties}
    return render(request, "rotation/rules.html", context)
