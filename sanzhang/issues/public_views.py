"""The public page of a place's issues (公示): what is being done, with no reporter identity,
and the reporter's words and photos only where they allowed it."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sanzhang.core.http import photo_response
from sanzhang.places.services import resolve_code
from sanzhang.places.tree import normalise_code

from .access import public_issues
from .models import IssuePhoto


def public_photo(request: HttpRequest, code: str, photo_id: int) -> FileResponse:
    """A photo the reporter allowed to be public, of an issue under this place."""
    place = resolve_code(normalise_code(code))
    photo = (
        IssuePhoto.objects.filter(
            pk=photo_id,
            hidden_from_public=False,
            issue__public_consent=True,
            issue__place__code__under=place.code,
        ).first()
        if place is not None
        else None
    )
    if photo is None:
        raise Http404
    return photo_response(photo.image)


def place_issues(request: HttpRequest, code: str) -> HttpResponse:
    place = resolve_code(normalise_code(code))
    if place is None:
        raise Http404
    issues = (
        public_issues(place.code)
        .select_related("category", "place")
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=IssuePhoto.objects.filter(hidden_from_public=False),
                to_attr="public_photos",
            )
        )
        .order_by("-created_at")[:100]
    )
    return render(request, "issues/public.html", {"place": place, "issues": issues})
