"""Dashboard pages for every level, the grid map's data, and Excel of the children table."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanzhang.access.scope import top_place, visible_place
from sanzhang.core.http import AuthedRequest
from sanzhang.core.xlsx import Column, Sheet, xlsx_response

from . import dashboards
from .access import require_viewer
from .summaries import COUNTS, LABELS

HEADLINE = {
    "collected": gettext_lazy("Issues collected (收集问题)"),
    "solved": gettext_lazy("Solved (解决问题)"),
    "hard_solved": gettext_lazy("Hard issues solved with departments (部门解决难点问题)"),
    "meetings": gettext_lazy("Assignment meetings held (交办会)"),
    "wishes_claimed": gettext_lazy("Micro-wishes claimed (认领微心愿)"),
    "notices": gettext_lazy("Notices published (通报)"),
    "households_registered": gettext_lazy("Households with an account (注册户数)"),
    "registered_percent": gettext_lazy("Share of households with an account, % (每户至少一人)"),
    "party_members": gettext_lazy("Party members registered (在职党员报到)"),
}


@login_required
def dashboard_home(request: AuthedRequest) -> HttpResponse:
    require_viewer(request.user)
    place = top_place(request.user)
    if place is None:
        return render(request, "supervision/no_place.html")
    return redirect("supervision:dashboard", code=place.code)


@login_required
def dashboard(request: AuthedRequest, code: str) -> HttpResponse:
    require_viewer(request.user)
    place = visible_place(request.user, code)
    board = dashboards.build(place)
    charts = {
        "trend": board.trend,
        "labels": {key: str(LABELS[key]) for key in COUNTS},
        "open_by_tier": board.open_by_tier,
        "open_by_category": board.open_by_category,
        "new_by_channel": board.new_by_channel,
        "map_url": request.build_absolute_uri(f"{request.path}map/"),
        "text": {
            "trend": _("Last 30 days"),
            "by_tier": _("Open issues by tier"),
            "by_category": _("Open issues by category"),
            "by_channel": _("New issues by channel, last 30 days"),
            "map": _("Open issues by grid"),
            "overdue": _("overdue"),
        },
    }
    context = {
        "place": place,
        "board": board,
        "ancestors": board.ancestors,
        "today": [(key, LABELS[key], board.today.get(key, 0)) for key in COUNTS],
        "headline": [(key, label, board.headline[key]) for key, label in HEADLINE.items()],
        "charts": charts,
    }
    return render(request, "supervision/dashboard.html", context)


@login_required
def dashboard_map(request: AuthedRequest, code: str) -> JsonResponse:
    require_viewer(request.user)
    place = visible_place(request.user, code)
    return JsonResponse(dashboards.grid_map(place))


@login_required
def dashboard_export(request: AuthedRequest, code: str) -> HttpResponse:
    require_viewer(request.user)
    place = visible_place(request.user, code)
    board = dashboards.build(place)
    children = Sheet(
        _("By place"),
        [
            Column(_("Code"), 22),
            Column(_("Place"), 16),
            Column(_("Open"), 10, "int"),
            Column(_("Overdue"), 10, "int"),
            Column(_("New, 30 days"), 12, "int"),
            Column(_("Solved, 30 days"), 12, "int"),
        ],
        [
            [
                row["place"].code,
                row["place"].name,
                row["open"],
                row["overdue"],
                row["new"],
                row["solved"],
            ]
            for row in board.children
        ],
    )
    figures = Sheet(
        _("Figures"),
        [Column(_("Figure"), 36), Column(_("Count"), 12, "int")],
        [[str(label), board.headline[key]] for key, label in HEADLINE.items()]
        + [[str(LABELS[key]), board.today.get(key, 0)] for key in COUNTS],
    )
    trend = Sheet(
        _("Last 30 days"),
        [
            Column(_("Day"), 12),
            Column(str(LABELS["new"]), 10, "int"),
            Column(str(LABELS["solved"]), 10, "int"),
            Column(str(LABELS["open"]), 10, "int"),
            Column(str(LABELS["overdue"]), 10, "int"),
        ],
        list(
            zip(
                board.trend["days"],
                board.trend["new"],
                board.trend["solved"],
                board.trend["open"],
                board.trend["overdue"],
                strict=True,
            )
        ),
    )
    name = _("dashboard %(place)s.xlsx") % {"place": place.name}
    return xlsx_response(name, [figures, children, trend])
