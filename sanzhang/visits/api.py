"""Visits in the REST API: the phone sends each visit with its own key; a resend is the same
visit (200 with `created` false), never a second one."""

from __future__ import annotations

import datetime
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from sanzhang.access.scope import get_visible_or_404, scope_filter
from sanzhang.core.api_schemas import ErrorOut
from sanzhang.core.http import AuthedRequest
from sanzhang.people.models import Household
from sanzhang.places.models import Place
from sanzhang.places.tree import normalise_code

from .services import record_visit

router = Router(tags=["visits"])


class VisitIn(Schema):
    key: str
    kind: str
    household: int | None = None
    place: str | None = None
    met: str = ""
    heard: str = ""
    contact_in_group: bool | None = None
    problem: str = ""
    visited_at: datetime.datetime | None = None


class VisitOut(Schema):
    id: int
    key: str
    created: bool
    issues: list[str]


@router.post(
    "/",
    response={200: VisitOut, 201: VisitOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record a visit (idempotent on its key)",
)
def post_visit(request: AuthedRequest, body: VisitIn) -> Any:
    household = None
    place = None
    if body.household is not None:
        in_scope = Household.objects.filter(scope_filter(request.user, "place__code"))
        household = get_object_or_404(in_scope.select_related("place"), pk=body.household)
    elif body.place:
        place = get_visible_or_404(
            Place.objects.visible_to(request.user), code=normalise_code(body.place)
        )
    recorded = record_visit(
        request.user,
        client_key=body.key,
        kind=body.kind,
        household=household,
        place=place,
        met=body.met,
        heard=body.heard,
        contact_in_group=body.contact_in_group,
        problem=body.problem,
        visited_at=body.visited_at,
    )
    visit = recorded.visit
    out = {
        "id": visit.pk,
        "key": visit.client_key,
        "created": recorded.created,
        "issues": [i.number for i in visit.issues.all()],
    }
    return Status(201 if recorded.created else 200, out)
