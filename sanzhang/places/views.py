"""The place browser: the tree within the user's scope, search by name or code, coverage."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import in_scope, scope_codes, visible_place
from sanzhang.core.http import AuthedRequest
from sanzhang.people.models import Household
from sanzhang.posts.coverage import coverage_by_level, uncovered_places
from sanzhang.posts.models import Tenure

from .models import Place
from .services import resolve_code
from .tree import normalise_code

SEARCH_LIMIT = 20


def _moved_to(request: AuthedRequest, code: str) -> Place | None:
    """A printed old code leads to the place's page under its current code."""
    place = resolve_code(normalise_code(code))
    if place is None or place.code == code:
        return None
    return place if Place.objects.visible_to(request.user).filter(pk=place.pk).exists() else None


def _crumbs(request: AuthedRequest, place: Place) -> list[tuple[Place, bool]]:
    """The places above this one, each with whether the user sees it (only those are links)."""
    return [(a, in_scope(request.user, a.code)) for a in place.ancestors()]


@login_required
def browse(request: AuthedRequest) -> HttpResponse:
    codes = scope_codes(request.user)
    roots = (
        Place.objects.filter(parent__isnull=True)
        if codes is None
        else Place.objects.filter(code__in=codes)
    )
    roots = roots.active().annotate(child_count=Count("children"))
    return render(request, "places/browse.html", {"roots": roots})


@login_required
def search(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results: list[Place] = []
    if query:
        code = normalise_code(query)
        match = Q(name__icontains=query) | Q(code=code) | Q(code__startswith=code + ".")
        results = list(Place.objects.visible_to(request.user).active().filter(match)[:SEARCH_LIMIT])
    template = "places/_results.html" if request.htmx else "places/search.html"
    return render(request, template, {"results": results, "query": query})


@login_required
def detail(request: AuthedRequest, code: str) -> HttpResponse:
    moved = _moved_to(request, code)
    if moved is not None:
        return redirect("places:detail", code=moved.code)
    place = visible_place(request.user, code)
    children = place.children.active().annotate(child_count=Count("children"))
    tenures = (
        Tenure.objects.current()
        .filter(post__place=place)
        .select_related("post", "person")
        .order_by("post__kind", "post__seat", "role")
    )
    context = {
        "place": place,
        "crumbs": _crumbs(request, place),
        "children": children,
        "tenures": tenures,
        "household_count": Household.objects.filter(place__code__under=place.code).count(),
        "coverage": coverage_by_level(place),
        "events": place.events.select_related("actor")[:20],
        "can_edit": can(request.user, Can.EDIT_PLACES),
    }
    return render(request, "places/detail.html", context)


@login_required
def coverage(request: AuthedRequest, code: str) -> HttpResponse:
    place = visible_place(request.user, code)
    page = Paginator(uncovered_places(place), 100).get_page(request.GET.get("page"))
    context = {"place": place, "coverage": coverage_by_level(place), "page": page}
    return render(request, "places/coverage.html", context)
