"""Daily summary pages: one place's day beside its children's, its recent days, and Excel."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from sanzhang.access.scope import visible_place
from sanzhang.core.http import AuthedRequest
from sanzhang.core.xlsx import Column, Sheet, xlsx_response

from .access import home_place, require_viewer
from .models import DailySummary
from .summaries import COUNTS, LABELS, STOCKS

RECENT_DAYS = 30
SHOWN = [*COUNTS, *STOCKS]


def _figure(summary: DailySummary, key: str) -> int | str:
    # Summaries recorded before a figure was kept do not have it: a dash, not a false 0.
    return summary.figures.get(key, "—" if key in STOCKS else 0)


@login_required
def daily_home(request: AuthedRequest) -> HttpResponse:
    require_viewer(request.user)
    place = home_place(request.user)
    if place is None:
        return render(request, "supervision/no_place.html")
    return redirect("supervision:daily", code=place.code)


def _day(request: AuthedRequest, place_id: int) -> datetime.date | None:
    asked = request.GET.get("day", "")
    if asked:
        try:
            day = parse_date(asked) if len(asked) == 10 else None
        except ValueError:  # well formed, but no such day
            day = None
        if day is None:
            raise Http404(_("Not a date: %(day)s") % {"day": asked[:20]})
        return day
    return (
        DailySummary.objects.filter(place_id=place_id)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )


def _context(request: AuthedRequest, code: str) -> dict:
    require_viewer(request.user)
    place = visible_place(request.user, code)
    day = _day(request, place.pk)
    on_day = DailySummary.objects.filter(day=day) if day else DailySummary.objects.none()
    summary = on_day.filter(place=place).first()
    children = list(
        on_day.filter(place__parent=place).select_related("place").order_by("place__code")
    )
    recent = list(DailySummary.objects.filter(place=place).order_by("-day")[:RECENT_DAYS])
    for row in [summary, *children, *recent]:
        if row is not None:
            row.values = [_figure(row, key) for key in SHOWN]  # type: ignore[attr-defined]
    return {
        "place": place,
        "day": day,
        "summary": summary,
        "children": children,
        "recent": recent,
        "counts": [(key, LABELS[key]) for key in SHOWN],
        "cards": [(key, LABELS[key], _figure(summary, key)) for key in SHOWN] if summary else [],
        "ancestors": place.ancestors(),
    }


@login_required
def daily(request: AuthedRequest, code: str) -> HttpResponse:
    return render(request, "supervision/daily.html", _context(request, code))


def _cells(summary: DailySummary) -> list[int | None]:
    return [summary.figures.get(key, None if key in STOCKS else 0) for key in SHOWN]


@login_required
def daily_export(request: AuthedRequest, code: str) -> HttpResponse:
    context = _context(request, code)
    place, day = context["place"], context["day"]
    figure_columns = [Column(str(LABELS[key]), 12, "int") for key in SHOWN]
    rows = ([context["summary"]] if context["summary"] else []) + context["children"]
    by_place = Sheet(
        _("By place"),
        [
            Column(_("Code"), 22),
            Column(_("Place"), 16),
            Column(_("Day"), 12, "date"),
            *figure_columns,
        ],
        [[s.place.code, s.place.name, s.day, *_cells(s)] for s in rows],
    )
    trend = Sheet(
        _("Recent days"),
        [Column(_("Day"), 12, "date"), *figure_columns, Column(_("Produced at"), 18, "datetime")],
        [[s.day, *_cells(s), s.produced_at] for s in reversed(context["recent"])],
    )
    breakdown = Sheet(
        _("Breakdown"),
        [Column(_("Figure"), 16), Column(_("Item"), 16), Column(_("Count"), 10, "int")],
        [
            [name, key, value]
            for s in rows[:1]
            for name, values in s.figures.items()
            if isinstance(values, dict)
            for key, value in values.items()
        ],
    )
    filename = _("daily summary %(place)s %(day)s.xlsx") % {"place": place.name, "day": day}
    return xlsx_response(filename, [by_place, trend, breakdown])
