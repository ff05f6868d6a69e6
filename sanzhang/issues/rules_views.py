"""The county office's page for the issue loop's rules: routing, step deadlines, holidays.

It shows the rules in force at the office's own jurisdiction (its county), with where each
comes from, and changes that county's (see `rules`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sanzhang.access.roles import Can, require_or_404
from sanzhang.core.errors import Refusal
from sanzhang.core.forms import valid_data
from sanzhang.core.http import AuthedRequest

from . import rules
from .deadlines import working_days_for
from .forms import DeadlinesForm, RemoveRuleForm, RulesActionForm
from .jurisdiction import code_of, in_force, layered, own_place
from .models import Category, Holiday, RoutingRule, State, Tier
from .rules_forms import CategoryForm, HolidayForm, RoutingRuleForm


def _deadline_rows(code: str | None) -> list[tuple[str, list[tuple[str, str, int | None]]]]:
    return [
        (
            str(Tier(tier).label),
            [
                (f"{tier}:{state}", str(State(state).label), working_days_for(tier, state, code))
                for state in rules.TIMED_STATES
            ],
        )
        for tier in Tier.values
    ]


# Actions that save one form's data through one service.
FORM_ACTIONS: dict[str, Callable[..., object]] = {
    "save_rule": rules.save_routing_rule,
    "save_holiday": rules.save_holiday,
    "save_category": rules.save_category,
}


def _apply(request: AuthedRequest, action: str, forms: dict[str, Form]) -> bool:
    """Run the posted change; False (with the error on the form or as a message) if refused."""
    user = request.user
    code = code_of(own_place(user))
    if action in FORM_ACTIONS:
        if not forms[action].is_valid():
            return False
        FORM_ACTIONS[action](user, **forms[action].cleaned_data)
    elif action == "delete_rule":
        picked = valid_data(RemoveRuleForm(request.POST))["rule"]
        rule = in_force(RoutingRule.objects.all(), code).filter(pk=picked).first()
        if rule is None:
            raise Http404
        rules.delete_routing_rule(user, rule)
    elif action == "set_deadlines":
        deadlines = DeadlinesForm(request.POST, states=rules.TIMED_STATES)
        if not deadlines.is_valid():
            # (every field's error is the same "whole numbers" message)
            messages.error(request, str(next(iter(deadlines.errors.values()))[0]))
            return False
        for tier, state, days in deadlines.days():
            if days != working_days_for(tier, state, code):
                rules.set_step_deadline(user, tier=tier, state=state, working_days=days)
    elif action == "delete_holiday":
        picked = valid_data(RemoveRuleForm(request.POST))["holiday"]
        holiday = layered(Holiday.objects.all(), code).filter(pk=picked).first()
        if holiday is None:
            raise Http404
        rules.delete_holiday(user, holiday)
    else:
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def rules_page(request: AuthedRequest) -> HttpResponse:
    require_or_404(request.user, Can.CHANGE_ISSUE_RULES)
    action = RulesActionForm(request.POST).chosen()
    code = code_of(own_place(request.user))

    def data(name: str) -> Any:
        return request.POST if action == name else None

    forms: dict[str, Form] = {
        "save_rule": RoutingRuleForm(data("save_rule"), prefix="rule", code=code),
        "save_holiday": HolidayForm(data("save_holiday"), prefix="holiday"),
        "save_category": CategoryForm(data("save_category"), prefix="category"),
    }
    if request.method == "POST":
        try:
            if _apply(request, action, forms):
                messages.success(request, _("Saved."))
                return redirect("issue_rules")
        except Refusal as error:
            messages.error(request, error.message)
    today = timezone.localdate()
    context = {
        "rules": in_force(RoutingRule.objects.select_related("category", "place"), code).order_by(
            "tier", "category__code", "place_kind"
        ),
        "rule_form": forms["save_rule"],
        "deadline_rows": _deadline_rows(code),
        "holidays": layered(
            Holiday.objects.filter(date__gte=today.replace(month=1, day=1)).select_related("place"),
            code,
        ).order_by("date", F("place__depth").asc(nulls_first=True)),
        "own_place": own_place(request.user),
        "holiday_form": forms["save_holiday"],
        "categories": in_force(Category.objects.select_related("place"), code),
        "category_form": forms["save_category"],
    }
    return render(request, "issues/rules.html", context)
