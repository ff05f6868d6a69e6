"""Assignment meeting pages (交办会) for the county office."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sanzhang.access.roles import Can, require_or_404
from sanzhang.core.errors import Refusal
from sanzhang.core.forms import valid_data
from sanzhang.core.http import AuthedRequest

from . import meetings
from .forms import AgendaForm, AssignForm, CloseMeetingForm, MeetingActionForm, MeetingForm
from .models import AgendaItem
from .suggest import suggest_lead_department


def _office(request: AuthedRequest) -> None:
    require_or_404(request.user, Can.RUN_MEETINGS)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_list(request: AuthedRequest) -> HttpResponse:
    _office(request)
    if request.method == "POST":
        try:
            data = valid_data(MeetingForm(request.POST))
            meeting = meetings.schedule(request.user, title=data["title"], held_on=data["held_on"])
            return redirect("issues:meeting", meeting_id=meeting.pk)
        except Refusal as error:
            messages.error(request, error.message)
    waiting = meetings.waiting_for_meeting(request.user).count()
    context = {"meetings": meetings.meetings_visible_to(request.user)[:100], "waiting": waiting}
    return render(request, "issues/meetings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    _office(request)
    meeting = get_object_or_404(meetings.meetings_visible_to(request.user), pk=meeting_id)
    departments = meetings.departments_of(request.user)
    if request.method == "POST":
        action = MeetingActionForm(request.POST).chosen()
        try:
            if action == "agenda":
                waiting = meetings.waiting_for_meeting(request.user)
                number = valid_data(AgendaForm(request.POST))["issue"]
                issue = get_object_or_404(waiting, number=number)
                meetings.put_on_agenda(request.user, meeting, issue)
            elif action == "assign":
                form = AssignForm(request.POST)
                form.is_valid()  # the ids are always read: the item and lead before the date
                ids = form.cleaned_data
                item = get_object_or_404(AgendaItem, pk=ids["item"], meeting=meeting)
                lead = get_object_or_404(departments, pk=ids["lead"])
                helpers = departments.filter(pk__in=ids["helpers"])
                data = valid_data(form)
                meetings.assign(
                    request.user,
                    item,
                    lead=lead,
                    helpers=list(helpers),
                    due_on=data["due_on"],
                    note=data["note"],
                )
            elif action == "close":
                record = valid_data(CloseMeetingForm(request.POST))["record"]
                meetings.close_meeting(request.user, meeting, record=record)
            messages.success(request, _("Saved."))
            return redirect("issues:meeting", meeting_id=meeting.pk)
        except Refusal as error:
            messages.error(request, error.message)
    rows = meeting.items.select_related("issue__place", "issue__category", "lead_department")
    items = list(rows.prefetch_related("helper_departments"))
    choices = list(departments)
    for item in items:  # the lead the county's past meetings would pick, preselected
        if item.assigned_at is None:
            suggested = suggest_lead_department(item.issue, choices)
            item.suggested_lead_id = suggested.pk if suggested else None  # type: ignore[attr-defined]
    context = {
        "meeting": meeting,
        "items": items,
        "waiting": meetings.waiting_for_meeting(request.user).select_related("place", "category")[
            :200
        ],
        "departments": choices,
    }
    return render(request, "issues/meeting.html", context)
