"""Supervision in the REST API: a place's daily summaries and dashboard figures, the
rectification items waiting on the caller (and their answer, from a phone), and notices.

The same services and scope as the pages: a place outside the caller's tree is 404.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from sanzhang.access.scope import visible_place
from sanzhang.core.api_schemas import ErrorOut
from sanzhang.core.errors import Conflict
from sanzhang.core.http import AuthedRequest

from . import dashboards, notices, rectification
from .access import require_viewer
from .models import DailySummary, RectificationItem, RectificationList

router = Router(tags=["supervision"])


class SummaryOut(Schema):
    place: str
    place_name: str
    day: datetime.date
    window_start: datetime.datetime
    window_end: datetime.datetime
    figures: dict[str, Any]

    @staticmethod
    def resolve_place(obj: DailySummary) -> str:
        return obj.place.code

    @staticmethod
    def resolve_place_name(obj: DailySummary) -> str:
        return obj.place.name


class DashboardOut(Schema):
    place: str
    now: datetime.datetime
    today: dict[str, Any]
    headline: dict[str, int]
    trend: dict[str, list]
    open_by_tier: dict[str, int]
    open_by_category: dict[str, int]
    new_by_channel: dict[str, int]
    children: list[dict[str, Any]]


class ItemOut(Schema):
    id: int
    place: str
    week_start: datetime.date
    issue: str | None
    reason: str
    description: str
    deadline: datetime.date | None
    status: str
    answer: str
    review_note: str
    flagged: bool
    version: int

    @staticmethod
    def resolve_place(obj: RectificationItem) -> str:
        return obj.rectification_list.place.code

    @staticmethod
    def resolve_week_start(obj: RectificationItem) -> datetime.date:
        return obj.rectification_list.week_start

    @staticmethod
    def resolve_issue(obj: RectificationItem) -> str | None:
        return obj.issue.number if obj.issue else None

    @staticmethod
    def resolve_flagged(obj: RectificationItem) -> bool:
        return obj.flagged_at is not None


class AnswerIn(Schema):
    text: str
    version: int


class SupervisionNoticeOut(Schema):
    id: int
    number: str
    title: str
    kind: str
    body: str
    published_at: datetime.datetime | None
    places: list[str]
    issues: list[str]

    @staticmethod
    def resolve_places(obj: Any) -> list[str]:
        return [p.code for p in obj.places.all()]

    @staticmethod
    def resolve_issues(obj: Any) -> list[str]:
        return [i.number for i in obj.issues.all()]


@router.get(
    "/daily/{code}",
    response={200: list[SummaryOut], 404: ErrorOut, 422: ErrorOut},
    summary="A place's daily summaries",
)
def daily(request: AuthedRequest, code: str, days: int = Query(30, ge=1, le=90)) -> Any:
    """The place's recorded summaries, newest first (at most 90 days)."""
    require_viewer(request.user)
    place = visible_place(request.user, code)
    found = DailySummary.objects.filter(place=place).select_related("place").order_by("-day")
    return found[:days]


@router.get(
    "/dashboard/{code}",
    response={200: DashboardOut, 404: ErrorOut, 422: ErrorOut},
    summary="A place's dashboard figures",
)
def dashboard(request: AuthedRequest, code: str) -> dict[str, Any]:
    require_viewer(request.user)
    board = dashboards.build(visible_place(request.user, code))
    children = [{**row, "place": row["place"].code} for row in board.children]
    return {**board.__dict__, "place": board.place.code, "children": children}


@router.get(
    "/rectification/mine",
    response={200: list[ItemOut], 422: ErrorOut},
    summary="Rectification items waiting on me",
)
@paginate  # a county office answers for every organisation's items: bounded pages
def my_items(request: AuthedRequest) -> Any:
    require_viewer(request.user)
    return (
        RectificationItem.objects.filter(
            rectification.responsible_filter(request.user),
            status=RectificationItem.Status.OPEN,
            rectification_list__status=RectificationList.Status.ISSUED,
        )
        .select_related("rectification_list__place", "issue")
        .order_by("deadline", "pk")
    )


@router.post(
    "/rectification/items/{item_id}/answer",
    response={200: ItemOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Answer a rectification item",
)
def answer(request: AuthedRequest, item_id: int, body: AnswerIn) -> Any:
    """Send the `version` you saw: an item changed since then answers 409."""
    require_viewer(request.user)
    item = get_object_or_404(
        RectificationItem.objects.filter(rectification.responsible_filter(request.user)),
        pk=item_id,
    )
    if body.version != item.version:
        raise Conflict(_("Someone else changed this item just now; please look at it again."))
    rectification.answer(item, request.user, text=body.text)
    return RectificationItem.objects.select_related("rectification_list__place", "issue").get(
        pk=item.pk
    )


@router.get("/notices", response=list[SupervisionNoticeOut], summary="Notices concerning me")
def list_notices(request: AuthedRequest) -> Any:
    require_viewer(request.user)
    return notices.visible_to(request.user).prefetch_related("places", "issues")[:100]
