"""Assignment meeting pages (交办会) for the county office."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sanzhang.access.roles import Can, require_or_404
from sanzhang.core.errors import Invalid, Refusal
from sanzhang.core.http import AuthedRequest

from . import meetings
from .models import AgendaItem


def _office(request: AuthedRequest) -> None:
    require_or_404(request.user, Can.RUN_MEETINGS)


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise Invalid(_("Give a date as YYYY-MM-DD.")) from None


@login_required
@require_http_methods(["GET", "POST"])
def meeting_list(request: AuthedRequest) -> HttpResponse:
    _office(request)
    if request.method == "POST":
        try:
            meeting = meetings.schedule(
                request.user,
                title=request.POST.get("title", ""),
                held_on=_date(request.POST.get("held_on", "")),
            )
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
        post = request.POST
        try:
            if post.get("action") == "agenda":
                waiting = meetings.waiting_for_meeting(request.user)
                issue = get_object_or_404(waiting, number=post.get("issue"))
                meetings.put_on_agenda(request.user, meeting, issue)
            elif post.get("action") == "assign":
                item = get_object_or_404(AgendaItem, pk=post.get("item"), meeting=meeting)
                lead = get_object_or_404(departments, pk=post.get("lead") or 0)
                helpers = departments.filter(pk__in=post.getlist("helpers"))
                meetings.assign(
                    request.user,
                    item,
                    lead=lead,
                    helpers=list(helpers),
                    due_on=_date(post.get("due_on", "")),
                    note=post.get("note", ""),
                )
            elif post.get("action") == "close":
                meetings.close_meeting(request.user, meeting, record=post.get("record", ""))
            messages.success(request, _("Saved."))
            return redirect("issues:meeting", meeting_id=meeting.pk)
        except Refusal as error:
            messages.error(request, error.message)
    items = meeting.items.select_related("issue__place", "issue__category", "lead_department")
    context = {
        "meeting": meeting,
        "items": items.prefetch_related("helper_departments"),
        "waiting": meetings.waiting_for_meeting(request.user).select_related("place", "category")[
            :200
        ],
        "departments": departments,
    }
    return render(request, "issues/meeting.html", context)
