"""The public page of a place's issues (公示): what is being done, with no reporter identity,
and the reporter's words and photos only where they allowed it."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sanzhang.places.services import resolve_code
from sanzhang.places.tree import normalise_code

from .models import Issue


def place_issues(request: HttpRequest, code: str) -> HttpResponse:
    place = resolve_code(normalise_code(code))
    if place is None:
        raise Http404
    issues = (
        Issue.objects.filter(place__code__under=place.code, merged_into__isnull=True)
        .select_related("category", "place")
        .prefetch_related("photos")
        .order_by("-created_at")[:100]
    )
    return render(request, "issues/public.html", {"place": place, "issues": issues})
