"""A resident's phone pages: report a problem, follow it, rate the result. Small pages, no
scripts needed (a form posts and the page answers)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import get_visible_or_404
from sanzhang.core.errors import Refusal
from sanzhang.core.http import AuthedRequest
from sanzhang.places.models import Place
from sanzhang.places.outline import outline
from sanzhang.places.tree import normalise_code

from . import workflow
from .access import events_for, issues_visible_to, photos_for, words_for
from .forms import ReportForm
from .intake import submit
from .jurisdiction import home_code
from .models import WORDS_PUBLIC, Channel, Issue
from .resident_places import (
    chosen_place,
    find_places,
    grid_located,
    grid_of,
    map_region,
    map_regions,
    mapped_grids,
    path_of,
    places_near,
)
from .similar import follow, similar_open

if TYPE_CHECKING:
    from sanzhang.access.actor import Visitor


def _resident(request: AuthedRequest) -> None:
    if not can(request.user, Can.ACT_AS_RESIDENT):
        raise Http404


def _home_place(request: AuthedRequest) -> Place | None:
    person = request.user.person
    return person.household.place if person and person.household else None


def _is_volunteer(user: Visitor) -> bool:
    from sanzhang.volunteers.services import volunteer_of

    return volunteer_of(user) is not None


@login_required
@require_http_methods(["GET", "POST"])
def report(request: AuthedRequest) -> HttpResponse:
    _resident(request)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        initial={"intake_key": uuid.uuid4().hex},
        code=home_code(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            place = chosen_place(_home_place(request), data["place"])
            on_rounds = bool(request.POST.get("on_rounds")) and _is_volunteer(request.user)
            intake = submit(
                request.user,
                place=place,
                text=data["text"],
                category=data["category"],
                channel=Channel.VOLUNTEER if on_rounds else Channel.ONLINE,
                public_consent=data["public_consent"],
                intake_key=data["intake_key"],
                photos=data["photos"],
            )
            messages.success(
                request,
                _("Thank you. Your report is number %(number)s.") % {"number": intake.issue.number},
            )
            return redirect("resident:detail", number=intake.issue.number)
        except Refusal as error:
            form.add_error(None, error.message)
    # A grid tapped on the map without scripts comes back as ?place=
    chosen = form.data.get("place", "") if form.is_bound else request.GET.get("place", "")
    context = {
        "form": form,
        "home": _home_place(request),
        "chosen": places_near(_home_place(request)).filter(code=chosen).first() if chosen else None,
        "is_volunteer": _is_volunteer(request.user),
    }
    return render(request, "issues/resident/report.html", context)


@login_required
def similar(request: AuthedRequest) -> HttpResponse:
    """Open reports like the one being typed, in the grid where it is (htmx)."""
    _resident(request)
    home = _home_place(request)
    code = request.GET.get("place", "")
    try:
        place = chosen_place(home, code)
    except Refusal:
        place = None
    found = similar_open(place, request.GET.get("text", "")[:2000]) if place else []
    return render(request, "issues/resident/_similar.html", {"found": found})


@login_required
@require_POST
def follow_issue(request: AuthedRequest, number: str) -> HttpResponse:
    """Follow a report already made instead of making the same one again."""
    _resident(request)
    near = Issue.objects.filter(
        WORDS_PUBLIC, place__in=places_near(_home_place(request))
    )  # only those offered: a report not allowed to be shown is as if it were not there
    issue = get_visible_or_404(near, number=number)
    try:
        follow(request.user, issue)
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("resident:report")
    messages.success(
        request,
        _("You follow report %(number)s: you are told of each of its steps.")
        % {"number": issue.number},
    )
    return redirect("resident:detail", number=issue.number)


@login_required
def place_choices(request: AuthedRequest) -> HttpResponse:
    """Places of the resident's county by name, as choices for the report form (htmx)."""
    _resident(request)
    home = _home_place(request)
    # The place already picked stays picked when the list comes again (typing on, or Enter).
    chosen = request.GET.get("place", "")
    context: dict[str, object] = {"chosen": chosen}
    if "pick" in request.GET or "lat" in request.GET:  # a grid tapped on the map, or located
        located = _picked(home, request.GET)
        if located is not None:
            context.update(chosen=located.code, found=[(located, path_of(located))])
        else:
            context.update(found=[], none_found=_("No grid with a known boundary is there."))
    else:
        context["found"] = find_places(home, request.GET.get("q", ""))
    return render(request, "issues/resident/_places.html", context)


def _picked(home: Place | None, query: QueryDict) -> Place | None:
    if "pick" in query:
        return places_near(home).filter(code=normalise_code(query.get("pick", ""))).first()
    try:
        lat, lng = float(query.get("lat", "")), float(query.get("lng", ""))
    except ValueError:
        return None
    return grid_located(home, lat, lng)


@login_required
def place_map(request: AuthedRequest) -> HttpResponse:
    """The grids of the resident's community or township as a map to tap (htmx)."""
    _resident(request)
    home = _home_place(request)
    region = map_region(home, request.GET.get("region", ""))
    grids = mapped_grids(region).only("code", "name", "boundary") if region else []
    context = {
        "region": region,
        "regions": map_regions(home),
        "map": outline(grids),
        "home_grid": grid_of(home),
    }
    return render(request, "issues/resident/_map.html", context)


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    _resident(request)
    issues = issues_visible_to(request.user).select_related("category", "place")[:100]
    return render(request, "issues/resident/mine.html", {"issues": issues})


@login_required
def detail(request: AuthedRequest, number: str) -> HttpResponse:
    _resident(request)
    issue = get_visible_or_404(
        issues_visible_to(request.user).select_related("category", "place"), number=number
    )
    events = events_for(request.user, issue)
    can_rate = "rate" in workflow.allowed_actions(request.user, issue)
    return render(
        request,
        "issues/resident/detail.html",
        {
            "issue": issue,
            "text": words_for(request.user, issue),
            "events": events,
            "can_rate": can_rate,
            "photos": photos_for(request.user, issue),
        },
    )
