"""The call-back list (回访): results fed back that residents have not rated in time; the staff
call and record the resident's answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanzhang.access.roles import Can, require_or_404
from sanzhang.access.scope import get_visible_or_404
from sanzhang.core.errors import Refusal
from sanzhang.core.http import AuthedRequest
from sanzhang.issues import workflow

from .callbacks import callbacks_due
from .forms import CallbackForm


@login_required
def callback_list(request: AuthedRequest) -> HttpResponse:
    require_or_404(request.user, Can.CALL_BACK_RESIDENTS)
    due = list(callbacks_due(request.user)[:200])
    return render(request, "supervision/callbacks.html", {"due": due, "form": CallbackForm()})


@login_required
@require_POST
def call_back(request: AuthedRequest, number: str) -> HttpResponse:
    require_or_404(request.user, Can.CALL_BACK_RESIDENTS)
    issue = get_visible_or_404(callbacks_due(request.user), number=number)
    form = CallbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether the resident is satisfied."))
        return redirect("supervision:callbacks")
    data = form.cleaned_data
    try:
        workflow.rate_on_behalf(
            issue,
            request.user,
            satisfied=data["satisfied"] == "yes",
            reason=data["reason"],
            how=data["how"],
        )
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The resident's answer was recorded for them."))
    return redirect("supervision:callbacks")
