"""The announcement pages: residents' own (theirs, unread first; opening one reads it for the
household), and those who post: their area's announcements with read counts, a form to post,
and for an urgent one the households of their area that have not read it, to knock on."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanzhang.access.roles import Can, can, require
from sanzhang.access.scope import get_visible_or_404
from sanzhang.audit.services import record as audit
from sanzhang.core.errors import Invalid, Refusal
from sanzhang.core.forms import valid_data
from sanzhang.core.http import AuthedRequest
from sanzhang.people.groups import household_heads
from sanzhang.people.models import Household

from . import audience, services
from .forms import AnnouncementForm, DoorForm
from .models import Announcement, Receipt

PAGE = 30  # announcements listed on a page
MAX_UNREAD = 500  # households in the door list (a grid has a few hundred)


def mask_name(name: str) -> str:
    """王秀英 → 王**: enough for a leader at the door who knows the family."""
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    """A resident's announcements: unread first, then the newest."""
    if not can(request.user, Can.READ_ANNOUNCEMENTS) and can(request.user, Can.POST_ANNOUNCEMENTS):
        return redirect("announcements:posted")
    require(request.user, Can.READ_ANNOUNCEMENTS)
    household = services.household_of(request.user)
    rows: list[Announcement] = []
    if household is not None:
        receipt = Receipt.objects.filter(announcement=OuterRef("pk"), household=household)
        rows = list(
            audience.for_household(household)
            .annotate(has_read=Exists(receipt))
            .order_by("has_read", "-urgent", "-published_at", "-id")[:100]
        )
    return render(request, "announcements/mine.html", {"rows": rows, "household": household})


@login_required
def read_page(request: AuthedRequest, announcement_id: int) -> HttpResponse:
    """Opening it reads it for the household (once; a receipt, not a change of anything)."""
    require(request.user, Can.READ_ANNOUNCEMENTS)
    household = services.household_of(request.user)
    if household is None:
        raise Http404
    found = audience.for_household(household).select_related("place")
    announcement = get_visible_or_404(found, pk=announcement_id)
    services.read(request.user, announcement)
    return render(request, "announcements/read.html", {"a": announcement})


@dataclass(frozen=True)
class Row:
    announcement: Announcement
    read: int
    total: int


def _offered_tags(request: AuthedRequest):  # type: ignore[no-untyped-def]
    places = services.places_for(request.user)
    top = places.order_by("depth").first()
    return services.tags_for(top) if top is not None else []


@login_required
@require_http_methods(["GET", "POST"])
def posted(request: AuthedRequest) -> HttpResponse:
    require(request.user, Can.POST_ANNOUNCEMENTS)
    if request.method == "POST":
        try:
            posted = _post(request)
            if posted.created:
                messages.success(request, _("The announcement is posted to the residents."))
            return redirect("announcements:detail", announcement_id=posted.announcement.pk)
        except Refusal as error:
            messages.error(request, error.message)
    found = audience.visible_to(request.user).select_related("place", "tag")[:PAGE]
    rows = [Row(a, *audience.counts(request.user, a)) for a in found]
    context = {
        "rows": rows,
        "places": services.places_for(request.user),
        "tags": _offered_tags(request),
        "post_key": uuid.uuid4().hex,
        "form": request.POST if request.method == "POST" else {},
    }
    return render(request, "announcements/posted.html", context)


def _post(request: AuthedRequest) -> services.Posted:
    data = valid_data(AnnouncementForm(request.POST))
    place = services.places_for(request.user).filter(pk=data["place"]).first()
    if place is None:
        raise Invalid(_("Choose the place whose residents it is for."))
    tag = None
    if data["tag"]:
        tag = services.tags_for(place).filter(pk=data["tag"]).first()
        if tag is None:
            raise Invalid(_("Choose a special group of this place, or every household."))
    return services.post_announcement(
        request.user,
        place=place,
        title=data["title"],
        body=data["body"],
        urgent=data["urgent"],
        tag=tag,
        until=data["until"],
        post_key=data["post_key"],
        request=request,
    )


@dataclass(frozen=True)
class Door:
    household: Household
    where: str
    head: str


def _doors(request: AuthedRequest, announcement: Announcement) -> list[Door]:
    households = list(
        audience.unread(request.user, announcement)
        .select_related("place__parent")
        .order_by("place__code", "door", "pk")[:MAX_UNREAD]
    )
    heads = household_heads([h.pk for h in households])
    audit(
        "announcement.unread_listed",
        request=request,
        obj=announcement,
        detail={"households": len(households)},
    )
    return [Door(h, _where(h), mask_name(heads.get(h.pk, ""))) for h in households]


def _where(household: Household) -> str:
    """Building and unit (or the rural grid) and the door: where to knock."""
    place = household.place
    parts = (
        [place.parent.name, place.name] if place.kind == "unit" and place.parent else [place.name]
    )
    return " ".join([*parts, household.door])


@login_required
def detail(request: AuthedRequest, announcement_id: int) -> HttpResponse:
    require(request.user, Can.POST_ANNOUNCEMENTS)
    found = audience.visible_to(request.user).select_related("place", "tag")
    announcement = get_visible_or_404(found, pk=announcement_id)
    read, total = audience.counts(request.user, announcement)
    show_doors = announcement.urgent or request.GET.get("unread") == "1"
    context = {
        "a": announcement,
        "read": read,
        "total": total,
        "doors": _doors(request, announcement) if show_doors else None,
        "max_unread": MAX_UNREAD,
    }
    return render(request, "announcements/detail.html", context)


@login_required
@require_POST
def door(request: AuthedRequest, announcement_id: int) -> HttpResponse:
    """The leader told a household at its door."""
    require(request.user, Can.POST_ANNOUNCEMENTS)
    announcement = get_visible_or_404(audience.visible_to(request.user), pk=announcement_id)
    try:
        wanted = valid_data(DoorForm(request.POST))["household"]
        household = audience.unread(request.user, announcement).filter(pk=wanted).first()
        if household is None:
            raise Invalid(_("That household has it already, or is not of your area."))
        services.tell_at_door(request.user, announcement, household, request=request)
        messages.success(request, _("Marked as told at the door."))
    except Refusal as error:
        messages.error(request, error.message)
    return redirect("announcements:detail", announcement_id=announcement.pk)
