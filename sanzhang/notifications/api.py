"""A person's notices in the REST API: the same rows, words and links as the notices page."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema

from sanzhang.core.api_schemas import ErrorOut

from .inbox import mark_read, notices_for, shown, unread_count

router = Router(tags=["notices"])
LIMIT = 100


class NoticeOut(Schema):
    id: int
    text: str
    link: str
    at: datetime.datetime
    unread: bool


class NoticesOut(Schema):
    unread: int
    items: list[NoticeOut]


class ReadOut(Schema):
    marked: int


@router.get("/", response={200: NoticesOut, 422: ErrorOut})
def list_notices(request: HttpRequest, limit: int = Query(30, ge=1, le=LIMIT)) -> dict:
    """The newest notices (at most 100), and how many are unread in all."""
    user = request.user
    rows = notices_for(user)[:limit]  # type: ignore[arg-type]
    items = [shown(user, row) for row in rows]  # type: ignore[arg-type]
    return {
        "unread": unread_count(user),  # type: ignore[arg-type]
        "items": [
            {"id": n.pk, "text": n.text, "link": n.link, "at": n.at, "unread": n.unread}
            for n in items
        ],
    }


@router.post("/{notice_id}/read", response={200: ReadOut, 422: ErrorOut})
def read_notice(request: HttpRequest, notice_id: int) -> dict:
    return {"marked": mark_read(request.user, notice_id)}  # type: ignore[arg-type]


@router.post("/read", response=ReadOut)
def read_all(request: HttpRequest) -> dict:
    return {"marked": mark_read(request.user)}  # type: ignore[arg-type]
