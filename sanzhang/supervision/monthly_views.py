"""Monthly report pages: the reports in my area, one report with its dispatch meeting, and its
Excel and PDF copies."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import scope_filter
from sanzhang.core.errors import Invalid, Refusal
from sanzhang.core.forms import valid_data
from sanzhang.core.http import AuthedRequest
from sanzhang.core.pdf import Document
from sanzhang.core.xlsx import Column, Sheet, download, xlsx_response

from . import dispatch
from .access import require_viewer
from .forms import DecisionForm, FollowUpForm, MeetingPartForm, MeetingRecordForm
from .models import DispatchDecision, MonthlyReport
from .summaries import COUNTS, LABELS

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

RATE_LABELS = {
    "solve_rate": gettext_lazy("Solve rate"),
    "on_time_rate": gettext_lazy("On-time rate"),
    "satisfaction": gettext_lazy("Satisfaction"),
    "reopen_rate": gettext_lazy("Reopen rate"),
}
EVALUATION_LABELS = {
    "title": gettext_lazy("Public evaluation"),
    "holders": gettext_lazy("Post holders evaluated"),
    "votes": pgettext_lazy("public evaluation", "Votes"),
    "percent": gettext_lazy("Satisfied or basically satisfied"),
    "below": gettext_lazy("Holders below the bar"),
}
RECTIFICATION_LABELS = {
    "items": gettext_lazy("Items issued"),
    "verified": gettext_lazy("Verified"),
    "answered": gettext_lazy("Answered, waiting for verification"),
    "open": gettext_lazy("Waiting for the answer"),
    "flagged": gettext_lazy("Past the deadline"),
}


def reports_visible_to(user: Actor) -> QuerySet[MonthlyReport]:
    reports = MonthlyReport.objects.select_related("place")
    return reports.filter(scope_filter(user, "place__code"))


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@login_required
def report_list(request: AuthedRequest) -> HttpResponse:
    require_viewer(request.user)
    reports = reports_visible_to(request.user).order_by("-month", "place__code")[:200]
    return render(request, "supervision/monthly_list.html", {"reports": reports})


def _report(request: AuthedRequest, report_id: int) -> MonthlyReport:
    require_viewer(request.user)
    return get_object_or_404(reports_visible_to(request.user), pk=report_id)


def _moment(text: str | None) -> datetime.datetime | None:
    """A time the report recorded as ISO text, read back as a time (shown local, in words)."""
    return parse_datetime(text) if text else None


def _shown(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _sections(report: MonthlyReport) -> dict[str, Any]:
    f = report.figures
    rates = [(RATE_LABELS[k], _percent(f["rates"][k])) for k in RATE_LABELS]
    places = [{**row, **{k: _percent(row[k]) for k in RATE_LABELS}} for row in f["places"]]
    departments = [
        {**row, **{k: _percent(row[k]) for k in RATE_LABELS}} for row in f["departments"]
    ]
    return {
        "totals": [(LABELS[k], f["totals"].get(k, 0)) for k in COUNTS],
        "rates": rates,
        "trend": f["trend"],
        "places": places,
        "departments": departments,
        "open_hard": [{**i, "due": _moment(i["due"])} for i in f["open_hard"]],
        "callbacks": f.get("callbacks"),  # reports made before call-backs were counted: none
        "rectification": [
            (RECTIFICATION_LABELS[k], f["rectification"][k]) for k in RECTIFICATION_LABELS
        ],
        "evaluation": _evaluation(f.get("evaluation")),  # none before evaluations were held
    }


def _evaluation(found: dict[str, Any] | None) -> list[tuple[Any, Any]] | None:
    if not found:
        return None
    return [
        (EVALUATION_LABELS["title"], found["title"]),
        (EVALUATION_LABELS["holders"], found["holders"]),
        (EVALUATION_LABELS["votes"], found["votes"]),
        (EVALUATION_LABELS["percent"], "—" if found["percent"] is None else f"{found['percent']}%"),
        (EVALUATION_LABELS["below"], found["below"]),
    ]


@login_required
def report_detail(request: AuthedRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    meeting = getattr(report, "meeting", None)
    context = {
        "report": report,
        "meeting": meeting,
        "decisions": meeting.decisions.all() if meeting else [],
        "is_office": can(request.user, Can.RUN_SUPERVISION),
        "rate_labels": list(RATE_LABELS.values()),
        **_sections(report),
    }
    return render(request, "supervision/monthly.html", context)


@login_required
@require_POST
def meeting(request: AuthedRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    what = MeetingPartForm(request.POST).chosen()
    try:
        if what == "record":
            data = valid_data(MeetingRecordForm(request.POST))
            dispatch.record_meeting(
                report,
                request.user,
                held_on=data["held_on"],
                attendees=data["attendees"],
                record=data["record"],
            )
        elif what == "decision":
            found = getattr(report, "meeting", None)
            if found is None:
                raise Invalid(_("Record the meeting first."))
            data = valid_data(DecisionForm(request.POST))
            dispatch.add_decision(
                found,
                request.user,
                text=data["text"],
                responsible=data["responsible"],
                due_on=data["due_on"],
            )
        elif what == "follow_up":
            data = valid_data(FollowUpForm(request.POST))
            decision = get_object_or_404(
                DispatchDecision, pk=data["decision"], meeting__report=report
            )
            dispatch.follow_up(decision, request.user, note=data["follow_up"], done=data["done"])
        messages.success(request, _("Saved."))
    except Refusal as error:
        messages.error(request, error.message)
    return redirect("supervision:monthly", report_id=report.pk)


def _name(report: MonthlyReport, ext: str) -> str:
    return _("monthly report %(place)s %(month)s.%(ext)s") % {
        "place": report.place.name,
        "month": f"{report.month:%Y-%m}",
        "ext": ext,
    }


PLACE_COLUMNS = ["rank", "name", "new", "solved", "open", *RATE_LABELS]
DEPARTMENT_COLUMNS = ["rank", "name", "finished", *RATE_LABELS]


def _headers() -> dict[str, str]:
    return {
        "rank": _("Rank"),
        "name": _("Place or department"),
        "new": str(LABELS["new"]),
        "solved": str(LABELS["solved"]),
        "open": str(LABELS["open"]),
        "finished": _("Finished"),
        **{k: str(v) for k, v in RATE_LABELS.items()},
    }


@login_required
def export_xlsx(request: AuthedRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    f, h = report.figures, _headers()

    def ranked(rows: list[dict], columns: list[str]) -> Sheet:
        kinds = {
            "rank": "int",
            "new": "int",
            "solved": "int",
            "open": "int",
            "finished": "int",
            **dict.fromkeys(RATE_LABELS, "percent"),
        }
        return Sheet(
            "",
            [Column(h[c], 20 if c == "name" else 11, kinds.get(c, "text")) for c in columns],
            [[row[c] for c in columns] for row in rows],
        )

    totals = Sheet(
        _("Figures"),
        [Column(_("Figure"), 30), Column(_("Value"), 12)],
        [[str(LABELS[k]), f["totals"].get(k, 0)] for k in COUNTS]
        + [[str(RATE_LABELS[k]), f["rates"][k]] for k in RATE_LABELS]
        + [[str(RECTIFICATION_LABELS[k]), f["rectification"][k]] for k in RECTIFICATION_LABELS]
        + [[str(k), v] for k, v in _evaluation(f.get("evaluation")) or []],
    )
    places = ranked(f["places"], PLACE_COLUMNS)
    places.title = _("Places ranked")
    departments = ranked(f["departments"], DEPARTMENT_COLUMNS)
    departments.title = _("Departments ranked")
    trend = Sheet(
        _("Trend"),
        [
            Column(_("Month"), 10),
            Column(str(LABELS["new"]), 10, "int"),
            Column(str(LABELS["solved"]), 10, "int"),
            Column(str(LABELS["reopened"]), 12, "int"),
        ],
        [[m["month"], m["new"], m["solved"], m["reopened"]] for m in f["trend"]],
    )
    hard = Sheet(
        _("Open hard issues"),
        [
            Column(_("Number"), 18),
            Column(_("Place"), 16),
            Column(_("Category"), 14),
            Column(_("Department"), 18),
            Column(_("Step due"), 20, "datetime"),
        ],
        [
            [i["number"], i["place"], i["category"], i["owner"], _moment(i["due"])]
            for i in f["open_hard"]
        ],
    )
    return xlsx_response(_name(report, "xlsx"), [totals, places, departments, trend, hard])


def render_pdf(report: MonthlyReport) -> bytes:
    f, h = report.figures, _headers()
    doc = Document(
        _("Monthly dispatch report: %(place)s, %(month)s")
        % {"place": report.place.name, "month": f"{report.month:%Y-%m}"}
    )
    sections = _sections(report)
    doc.heading(_("Figures"))
    doc.table(
        [_("Figure"), _("Value")], [(str(k), v) for k, v in sections["totals"] + sections["rates"]]
    )
    doc.heading(_("Places ranked"))
    doc.table(
        [h[c] for c in PLACE_COLUMNS],
        [[row[c] for c in PLACE_COLUMNS] for row in sections["places"]],
    )
    doc.heading(_("Departments ranked"))
    departments = [[row[c] for c in DEPARTMENT_COLUMNS] for row in sections["departments"]]
    doc.table([h[c] for c in DEPARTMENT_COLUMNS], departments)
    doc.heading(_("Trend"))
    doc.table(
        [_("Month"), str(LABELS["new"]), str(LABELS["solved"]), str(LABELS["reopened"])],
        [[m["month"], m["new"], m["solved"], m["reopened"]] for m in f["trend"]],
    )
    doc.heading(_("Open hard issues"))
    doc.table(
        [_("Number"), _("Place"), _("Category"), _("Department"), _("Step due")],
        [
            [i["number"], i["place"], i["category"], i["owner"], _shown(_moment(i["due"]))]
            for i in f["open_hard"]
        ],
    )
    doc.heading(_("Rectification"))
    doc.table([_("Figure"), _("Value")], [(str(k), v) for k, v in sections["rectification"]])
    if sections["evaluation"]:
        doc.heading(_("Public evaluation"))
        doc.table([_("Figure"), _("Value")], [(str(k), v) for k, v in sections["evaluation"]])
    meeting = getattr(report, "meeting", None)
    if meeting is not None:
        doc.heading(_("Dispatch meeting, %(day)s") % {"day": meeting.held_on.isoformat()})
        doc.paragraph(_("Attendees: %(who)s") % {"who": meeting.attendees})
        doc.paragraph(meeting.record)
        doc.table(
            [_("Decision"), _("Responsible"), _("Due on"), _("Follow-up")],
            [
                [
                    d.text,
                    d.responsible,
                    d.due_on.isoformat(),
                    (_("done") + " " if d.is_done else "") + d.follow_up,
                ]
                for d in meeting.decisions.all()
            ],
        )
    return doc.render()


@login_required
def export_pdf(request: AuthedRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    return download(_name(report, "pdf"), render_pdf(report), "application/pdf")
