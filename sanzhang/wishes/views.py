"""Micro-wish pages: browse and claim (party members), my claimed wishes, the review queue
(community staff), a place's wishes with Excel, a wish with its timeline, posting for a
household (post holders and staff), and the resident's own wishes under /r/wishes/."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanzhang.access.roles import Can, can, require
from sanzhang.access.scope import get_visible_or_404, visible_place
from sanzhang.audit.services import record
from sanzhang.core.errors import Conflict, Refusal
from sanzhang.core.http import AuthedRequest, photo_response
from sanzhang.core.xlsx import Column, Sheet, xlsx_response
from sanzhang.issues.resident_places import by_name, path_of
from sanzhang.people.models import Household
from sanzhang.places.models import Place
from sanzhang.places.tree import normalise_code

from . import access, services
from .forms import ActForm, HouseholdWishForm, WishForm
from .models import Status, Wish

PAGE_SIZE = 50


def _listed(wishes: QuerySet[Wish]) -> QuerySet[Wish]:
    return wishes.select_related("place", "claimer")


def _visible_wish(request: AuthedRequest, wish_id: int) -> Wish:
    wishes = access.wishes_visible_to(request.user).select_related(
        "place", "household", "for_person", "claimer", "posted_by"
    )
    return get_visible_or_404(wishes, pk=wish_id)


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """Staff land on the review queue, party members and post holders on the open wishes."""
    if can(request.user, Can.ACT_AS_RESIDENT) and not access.may_claim(request.user):
        return redirect("resident_wishes")
    if can(request.user, Can.REVIEW_WISHES):
        return redirect("wishes:review")
    return redirect("wishes:browse")


@login_required
def browse(request: AuthedRequest) -> HttpResponse:
    """Wishes open for claiming, the party member's own community first."""
    if not access.may_claim(request.user):
        raise PermissionDenied
    under = normalise_code(request.GET.get("place", "").strip())
    wishes = _listed(access.open_near(request.user, under))
    page = Paginator(wishes, PAGE_SIZE).get_page(request.GET.get("page"))
    # A code outside their counties filters in nothing and is shown as it came, unnamed.
    chosen = access.claim_places(request.user).filter(code=under).first() if under else None
    context = {
        "page": page,
        "under": under,
        "chosen": chosen,
        "chosen_path": path_of(chosen) if chosen else "",
        **_places_named(request),
    }
    return render(request, "wishes/browse.html", context)


def _places_named(request: AuthedRequest) -> dict[str, object]:
    """Places of the user's counties whose name holds ?q=, as radios named `place`: the htmx
    answer, and the page itself when the search is sent without scripts."""
    query = request.GET.get("q", "")
    found = by_name(access.claim_places(request.user), query)
    return {"found": found, "q": query.strip()[:30], "field": "place"}


@login_required
def place_choices(request: AuthedRequest) -> HttpResponse:
    """The open wishes' place filter: places of the user's counties by name (htmx)."""
    if not access.may_claim(request.user):
        raise PermissionDenied
    chosen = normalise_code(request.GET.get("place", ""))
    context = {**_places_named(request), "chosen": chosen}
    return render(request, "issues/resident/_places.html", context)


@login_required
def claimed(request: AuthedRequest) -> HttpResponse:
    if not access.may_claim(request.user):
        raise PermissionDenied
    wishes = _listed(Wish.objects.filter(claimer_id=request.user.person_id))
    page = Paginator(wishes.order_by("status", "-claimed_at"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "wishes/claimed.html", {"page": page})


@login_required
def review(request: AuthedRequest) -> HttpResponse:
    require(request.user, Can.REVIEW_WISHES)
    wishes = access.wishes_visible_to(request.user).filter(status=Status.SUBMITTED)
    page = Paginator(_listed(wishes).order_by("created_at", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "wishes/review.html", {"page": page})


def _place(request: AuthedRequest, code: str) -> Place:
    require(request.user, Can.OVERSEE_WISHES)
    return visible_place(request.user, code)


def _place_wishes(place: Place, status: str = "") -> QuerySet[Wish]:
    wishes = Wish.objects.filter(place__code__under=place.code)
    return wishes.filter(status=status) if status in Status.values else wishes


@login_required
def at_place(request: AuthedRequest, code: str) -> HttpResponse:
    place = _place(request, code)
    status = request.GET.get("status", "")
    wishes = _listed(_place_wishes(place, status))
    page = Paginator(wishes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "wishes/place.html",
        {
            "place": place,
            "page": page,
            "status": status,
            "statuses": Status.choices,
        },
    )


@login_required
def export(request: AuthedRequest, code: str) -> HttpResponse:
    """A place's wishes in Excel; it names households, so the download is audited."""
    place = _place(request, code)
    wishes = _place_wishes(place, request.GET.get("status", "")).select_related(
        "place", "household", "for_person", "claimer"
    )
    rows = [
        [
            w.pk,
            w.place.code,
            w.place.name,
            w.household.door,
            w.for_person.name if w.for_person else "",
            w.text,
            w.get_status_display(),
            w.created_at,
            w.claim_by,
            w.claimer.name if w.claimer else "",
            w.claimed_at,
            w.fulfil_by,
            w.fulfilled_at,
            w.fulfil_note,
            w.confirmed_at,
            w.get_late_display() if w.late else "",
        ]
        for w in wishes.order_by("place__code", "created_at")
    ]
    columns = [
        Column(_("Number"), 8, "int"),
        Column(_("Place code"), 22),
        Column(_("Place"), 14),
        Column(_("Door"), 8),
        Column(_("Wished by"), 10),
        Column(_("Wish"), 40),
        Column(_("Status"), 14),
        Column(_("Posted at"), 17, "datetime"),
        Column(_("To be claimed by"), 17, "datetime"),
        Column(_("Claimed by"), 10),
        Column(_("Claimed at"), 17, "datetime"),
        Column(_("To be fulfilled by"), 17, "datetime"),
        Column(_("Fulfilled at"), 17, "datetime"),
        Column(_("How it was fulfilled"), 30),
        Column(_("Confirmed at"), 17, "datetime"),
        Column(_("Late"), 14),
    ]
    record("wish.export", request=request, obj=place, detail={"rows": len(rows)})
    sheet = Sheet(_("Micro-wishes"), columns, rows)
    return xlsx_response(_("Micro-wishes %(code)s.xlsx") % {"code": place.code}, [sheet])


@login_required
def detail(request: AuthedRequest, wish_id: int) -> HttpResponse:
    wish = _visible_wish(request, wish_id)
    return render(
        request,
        "wishes/detail.html",
        {
            "wish": wish,
            "events": wish.events.select_related("actor"),
            "actions": access.allowed_actions(request.user, wish),
            "show_household": access.may_see_household(request.user, wish),
        },
    )


@login_required
def photo(request: AuthedRequest, wish_id: int) -> FileResponse:
    """The fulfilment photo, to those who may see the household (a photo at the door shows
    it); claimers elsewhere in the county see the wish's words, not its photo."""
    wish = _visible_wish(request, wish_id)
    if not wish.photo or not access.may_see_household(request.user, wish):
        raise Http404
    # No caching: security.middleware answers a signed-in user with no-store.
    return photo_response(wish.photo)


def _run(request: AuthedRequest, wish: Wish, action: str, form: ActForm) -> None:
    data = form.cleaned_data
    if action == "approve":
        services.approve(wish, request.user)
    elif action == "reject":
        services.reject(wish, request.user, reason=data["reason"])
    elif action == "claim":
        services.claim(wish, request.user)
    elif action == "release":
        services.release(wish, request.user, reason=data["reason"])
    elif action == "fulfil":
        services.fulfil(wish, request.user, note=data["note"], photo=request.FILES.get("photo"))
    elif action == "confirm":
        services.confirm(wish, request.user, note=data["note"])
    else:
        raise Http404


@login_required
@require_POST
def act(request: AuthedRequest, wish_id: int, action: str) -> HttpResponse:
    """One move from a page form. The form carries the version the user saw, so a move made
    from a page someone else's move made stale is refused, not applied blindly."""
    wish = _visible_wish(request, wish_id)
    form = ActForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Please check the form."))
        return redirect("wishes:detail", wish_id=wish.pk)
    try:
        if form.cleaned_data["version"] != wish.version:
            raise Conflict(services.stale_message())
        _run(request, wish, action, form)
        messages.success(request, _("Done."))
    except Refusal as error:
        messages.error(request, error.message)
    return redirect("wishes:detail", wish_id=wish.pk)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: AuthedRequest) -> HttpResponse:
    """A post holder or staff member posts a wish heard at the door, for a household."""
    require(request.user, Can.OVERSEE_WISHES)
    initial = {"post_key": uuid.uuid4().hex, "household": request.GET.get("household")}
    form = HouseholdWishForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = Household.objects.select_related("place").filter(pk=data["household"]).first()
        try:
            if household is None:
                raise Http404
            posted = services.post_wish(
                request.user, household=household, text=data["text"], post_key=data["post_key"]
            )
            messages.success(request, _("The wish is waiting for the community's check."))
            return redirect("wishes:detail", wish_id=posted.wish.pk)
        except Refusal as error:
            form.add_error(None, error.message)
    return render(request, "wishes/new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def resident_wishes(request: AuthedRequest) -> HttpResponse:
    """A resident's wishes, and the form to post one for their household."""
    if not can(request.user, Can.ACT_AS_RESIDENT):
        raise Http404
    person = request.user.person
    household = person.household if person else None
    form = WishForm(request.POST or None, initial={"post_key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid() and household is not None:
        try:
            services.post_wish(
                request.user,
                household=household,
                for_person=person,
                text=form.cleaned_data["text"],
                post_key=form.cleaned_data["post_key"],
            )
            messages.success(request, _("Thank you. The community will check your wish first."))
            return redirect("resident_wishes")
        except Refusal as error:
            form.add_error(None, error.message)
    own = (
        Q(posted_by=request.user) | Q(household=household)
        if household
        else Q(posted_by=request.user)
    )
    wishes = _listed(Wish.objects.filter(own))[:100]
    return render(
        request,
        "wishes/resident/mine.html",
        {
            "form": form,
            "wishes": wishes,
            "household": household,
            "may_claim": access.may_claim(request.user),
        },
    )
