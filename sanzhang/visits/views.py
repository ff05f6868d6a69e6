"""The leader's phone page to record visits (it queues them on the phone when there is no
signal), and the coverage pages."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sanzhang.access.roles import Can, require
from sanzhang.access.scope import scope_filter, top_place, visible_place
from sanzhang.core.errors import Refusal
from sanzhang.core.forms import valid_data
from sanzhang.core.http import AuthedRequest, form_id
from sanzhang.core.xlsx import Column, Sheet, xlsx_response
from sanzhang.people.groups import household_heads, special_groups_of
from sanzhang.people.models import Household
from sanzhang.places.models import PlaceKind
from sanzhang.register.importing.tags import TagBook

from .coverage import KEYS, coverage, never_visited
from .forms import VisitForm
from .models import Visit
from .services import record_visit

MAX_HOUSEHOLDS = 3000  # embedded in the page so it can be filled in with no signal


def _households(request: AuthedRequest) -> list[dict]:
    """The households a leader may visit, each labelled by building, unit and door, the head's
    name and their residents' special groups (独居老人, 低保 …: the ones to call on first), so
    the page's filter finds them by any of those, with no signal."""
    households = list(
        Household.objects.filter(
            scope_filter(request.user, "place__code"), moved_away_on__isnull=True
        )
        .select_related("place__parent")
        .order_by("place__code", "door")[:MAX_HOUSEHOLDS]
    )
    ids = [h.pk for h in households]
    groups = special_groups_of(ids)
    heads = household_heads(ids)
    return [
        {
            "id": h.pk,
            "label": " · ".join(
                filter(
                    None,
                    [
                        f"{_where(h)} {h.door}".strip(),
                        heads.get(h.pk, ""),
                        "、".join(groups.get(h.pk, [])),
                    ],
                )
            ),
        }
        for h in households
    ]


def _where(household: Household) -> str:
    """A unit is named with its building ("2栋 1单元"): every building has a 1单元."""
    place = household.place
    if place.kind == PlaceKind.UNIT and place.parent is not None:
        return f"{place.parent.name} {place.name}"
    return place.name


@login_required
@require_http_methods(["GET", "POST"])
def record(request: AuthedRequest) -> HttpResponse:
    require(request.user, Can.RECORD_VISITS)
    if request.method == "POST":  # the page without scripts posts the form itself
        form = VisitForm(request.POST)
        try:
            data = valid_data(form)
            household = Household.objects.filter(
                scope_filter(request.user, "place__code"), pk=data["household"]
            ).first()
            record_visit(
                request.user,
                client_key=data["key"],
                kind=data["kind"],
                household=household,
                met=data["met"],
                heard=data["heard"],
                contact_in_group=form.contact(),
                problem=data["problem"],
            )
            messages.success(request, _("The visit is recorded."))
            return redirect("visits:record")
        except Refusal as error:
            messages.error(request, error.message)
    recent = Visit.objects.filter(leader=request.user).select_related("household__place")[:10]
    context = {
        "households": _households(request),
        "kinds": Visit.Kind.choices,
        "key": uuid.uuid4().hex,
        "recent": recent,
    }
    return render(request, "visits/record.html", context)


@login_required
def coverage_home(request: AuthedRequest) -> HttpResponse:
    require(request.user, Can.VIEW_VISIT_COVERAGE)
    place = top_place(request.user)
    if place is None:
        raise PermissionDenied
    return redirect("visits:coverage", code=place.code)


@login_required
def coverage_page(request: AuthedRequest, code: str) -> HttpResponse:
    require(request.user, Can.VIEW_VISIT_COVERAGE)  # doors are addresses: not for administrators
    place = visible_place(request.user, code)
    try:
        days = max(1, min(int(request.GET.get("days", 30)), 365))
    except ValueError:
        days = 30
    groups = sorted(TagBook().at(place.code).values(), key=lambda tag: tag.name)
    group = next((t for t in groups if t.pk == form_id(request.GET.get("group"))), None)
    result = coverage(place, days, group=group)
    if request.GET.get("format") == "xlsx":
        labels = _labels()
        sheet = Sheet(
            _("Visit coverage"),
            [
                Column(_("Code"), 22),
                Column(_("Place"), 16),
                *(Column(str(labels[k]), 12, "int") for k in KEYS),
            ],
            [
                [row["place"].code, row["place"].name, *(row[k] for k in KEYS)]
                for row in result.children
            ],
        )
        return xlsx_response(_("visit coverage %(place)s.xlsx") % {"place": place.name}, [sheet])
    context = {
        "place": place,
        "result": result,
        "labels": [(k, _labels()[k], result.totals[k]) for k in KEYS],
        "columns": [_labels()[k] for k in KEYS],
        "rows": [(row["place"], [row[k] for k in KEYS]) for row in result.children],
        "never": never_visited(place, group=group)
        if place.kind in ("grid", "building", "unit")
        else [],
        "groups": groups,
        "group": group,
        "query": urlencode({"days": days, **({"group": group.pk} if group else {})}),
        "ancestors": place.ancestors(),
    }
    return render(request, "visits/coverage.html", context)


def _labels() -> dict[str, str]:
    return {
        "households": _("Households"),
        "visited": _("Visited in the period"),
        "never": _("Never visited"),
        "in_group": _("Someone in the contact group"),
        "not_in_group": _("Nobody in the contact group"),
    }
