"""Points in the REST API: my ledger and balance, and a place's ranking for a period (the same
scope as the pages: a place outside the caller's tree is 404)."""

from __future__ import annotations

import datetime

from django.db.models import F, Sum, Window
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from sanzhang.core.api_schemas import ErrorOut
from sanzhang.core.http import AuthedRequest
from sanzhang.core.pagination import MAX_OFFSET

from . import periods
from .access import ranked_place
from .links import link_of
from .models import PointEntry
from .ranking import ranking
from .services import balance

router = Router(tags=["points"])
LIMIT = 200


class EntryOut(Schema):
    at: datetime.datetime
    cause: str
    points: int
    balance: int
    source: str
    link: str
    reason: str


class LedgerOut(Schema):
    total: int
    entries: list[EntryOut]


class RankOut(Schema):
    rank: int
    person: int
    name: str
    registered_at: str
    points: int


class RankingOut(Schema):
    place: str
    start: datetime.date
    end: datetime.date
    count: int
    rows: list[RankOut]


@router.get("/mine", response={200: LedgerOut, 422: ErrorOut})
def my_ledger(request: AuthedRequest, offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> dict:
    """My entries, newest first (200 at a time), each with the balance after it."""
    if request.user.person_id is None:
        return {"total": 0, "entries": []}
    entries = (
        PointEntry.objects.filter(person_id=request.user.person_id)
        .annotate(running=Window(Sum("points"), order_by=[F("at").asc(), F("id").asc()]))
        .select_related("source_type")
        .order_by("-at", "-id")[offset : offset + LIMIT]
    )
    rows = [
        {
            "at": e.at,
            "cause": e.cause,
            "points": e.points,
            "balance": e.running,  # type: ignore[attr-defined]
            "source": e.source_label,
            "link": link_of(e),
            "reason": e.reason,
        }
        for e in entries
    ]
    return {"total": balance(request.user.person_id), "entries": rows}


@router.get("/ranking/{code}", response={200: RankingOut, 404: ErrorOut, 422: ErrorOut})
def place_ranking(
    request: AuthedRequest,
    code: str,
    period: str = "",
    page: int = Query(1, ge=1, le=MAX_OFFSET // 50),
) -> dict:
    """Party members under the place ranked by points in the period (2026-03, 2026-Q1, 2026
    or 2026-01-05..2026-02-04; this month when empty), 50 a page."""
    place = ranked_place(request.user, code)
    today = timezone.localdate()
    chosen = periods.parse(period) if period else periods.month(today.year, today.month)
    if chosen is None:
        raise Http404(_("Not a period: %(period)s") % {"period": period[:40]})
    rows = ranking(place, chosen)
    first = (page - 1) * 50
    return {
        "place": place.code,
        "start": chosen.start,
        "end": chosen.last_day,
        "count": rows.count(),
        "rows": [
            {
                "rank": m.rank,  # type: ignore[attr-defined]
                "person": m.person_id,
                "name": m.person.name,
                "registered_at": m.community.name,
                "points": m.total,  # type: ignore[attr-defined]
            }
            for m in rows[first : first + 50]
        ],
    }
