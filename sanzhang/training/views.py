"""The training pages: courses and their classes for the organisers (with each class's QR code
and its attendance), the phone page a QR code opens to sign in, and the year's records."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sanzhang.access.roles import Can, can, require
from sanzhang.access.scope import get_visible_or_404, scope_filter
from sanzhang.audit.services import record as audit
from sanzhang.core.errors import Invalid, Refusal
from sanzhang.core.forms import valid_data
from sanzhang.core.http import AuthedRequest
from sanzhang.core.xlsx import Column, Sheet, xlsx_response
from sanzhang.people.models import Person
from sanzhang.places.models import Place

from . import records, services
from .forms import CourseForm, MarkForm, SessionForm
from .models import Attendance, Course, Session

MAX_CANDIDATES = 1000  # in the hand-marking list (a county's course has thousands of holders)


def _courses(request: AuthedRequest):  # type: ignore[no-untyped-def]
    return Course.objects.filter(scope_filter(request.user, "place__code")).select_related(
        "place", "organiser"
    )


def _course_places(request: AuthedRequest):  # type: ignore[no-untyped-def]
    return (
        Place.objects.visible_to(request.user)
        .active()
        .filter(kind__in=services.COURSE_PLACE_KINDS)
        .order_by("code")
    )


@login_required
@require_http_methods(["GET", "POST"])
def home(request: AuthedRequest) -> HttpResponse:
    require(request.user, Can.RUN_TRAINING)
    if request.method == "POST":
        try:
            data = valid_data(CourseForm(request.POST))
            place = _course_places(request).filter(pk=data["place"]).first()
            if place is None:
                raise Invalid(_("Choose the place that runs the course."))
            course = services.create_course(
                request.user,
                place=place,
                title=data["title"],
                description=data["description"],
                request=request,
            )
            messages.success(request, _("The course is created. Now schedule its classes."))
            return redirect("training:course", course_id=course.pk)
        except Refusal as error:
            messages.error(request, error.message)
    courses = _courses(request).annotate(classes=Count("sessions"))
    upcoming = (
        services.sessions_visible_to(request.user)
        .filter(ends_at__gte=timezone.now())
        .select_related("course__place")
        .order_by("starts_at")[:20]
    )
    context = {"courses": courses[:200], "upcoming": upcoming, "places": _course_places(request)}
    return render(request, "training/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def course_page(request: AuthedRequest, course_id: int) -> HttpResponse:
    require(request.user, Can.RUN_TRAINING)
    course = get_visible_or_404(_courses(request), pk=course_id)
    if request.method == "POST":
        try:
            data = valid_data(SessionForm(request.POST))
            session = services.create_session(request.user, course, **data, request=request)
            messages.success(request, _("The class is scheduled. Show its QR code at the class."))
            return redirect("training:session", session_id=session.pk)
        except Refusal as error:
            messages.error(request, error.message)
    sessions = course.sessions.annotate(present=Count("attendances")).order_by("-starts_at")
    return render(request, "training/course.html", {"course": course, "sessions": sessions})


def _qr(request: AuthedRequest, session: Session) -> tuple[str, str]:
    url = request.build_absolute_uri(reverse("training:sign_in", args=[session.token]))
    return url, str(segno.make(url, error="m").svg_data_uri(scale=6, border=2))


@login_required
@require_http_methods(["GET", "POST"])
def session_page(request: AuthedRequest, session_id: int) -> HttpResponse:
    require(request.user, Can.RUN_TRAINING)
    sessions = services.sessions_visible_to(request.user).select_related("course__place")
    session = get_visible_or_404(sessions, pk=session_id)
    if request.method == "POST":
        try:
            wanted = valid_data(MarkForm(request.POST))["person"]
            person = Person.objects.filter(pk=wanted).first()  # the service checks their area
            if person is None:
                raise Invalid(_("Choose a person of your area."))
            done = services.mark(request.user, session, person, request=request)
            if done.created:
                messages.success(request, _("%(name)s is marked present.") % {"name": person.name})
            else:
                messages.info(request, _("%(name)s has signed in already.") % {"name": person.name})
        except Refusal as error:
            messages.error(request, error.message)
        return redirect("training:session", session_id=session.pk)
    present = list(session.attendances.select_related("person", "by").order_by("at", "id"))
    if request.GET.get("format") == "xlsx":
        audit("training.attendance_exported", request=request, obj=session)
        return _attendance_xlsx(session, present)
    url, qr = _qr(request, session)
    opens, closes = services.window_of(session)
    here = {a.person_id for a in present}
    context = {
        "session": session,
        "present": present,
        "sign_in_url": url,
        "qr": qr,
        "opens": opens,
        "closes": closes,
        "candidates": services.candidates(
            request.user, session, limit=MAX_CANDIDATES, exclude=here
        ),
    }
    return render(request, "training/session.html", context)


def _attendance_xlsx(session: Session, present: list[Attendance]) -> HttpResponse:
    sheet = Sheet(
        _("Attendance"),
        [Column(_("Name"), 14), Column(_("How"), 18), Column(_("Signed in at"), 18, "datetime")],
        [[a.person.name, a.get_how_display(), a.at] for a in present],
    )
    return xlsx_response(_("attendance %(class)s.xlsx") % {"class": session}, [sheet])


@login_required
@require_http_methods(["GET", "POST"])
def sign_in_page(request: AuthedRequest, token: str) -> HttpResponse:
    """What the QR code opens on the phone: the class, and a button to sign in (a GET signs
    nobody in: link previews and prefetching phones open addresses on their own)."""
    try:
        session = services.session_by_token(token)
    except Invalid as error:
        return render(request, "training/sign_in.html", {"refused": error.message}, status=404)
    if request.method == "POST":
        try:
            done = services.sign_in(request.user, token, request=request)
            if done.created:
                messages.success(request, _("Signed in. Thank you for coming to the class."))
            else:
                messages.info(request, _("You have already signed in to this class."))
        except Refusal as error:
            messages.error(request, error.message)
        return redirect("training:sign_in", token=token)
    context = {"session": session, **_sign_in_state(request, session)}
    return render(request, "training/sign_in.html", context)


def _sign_in_state(request: AuthedRequest, session: Session) -> dict[str, object]:
    user = request.user
    if not can(user, Can.ATTEND_TRAINING) or user.person_id is None:
        return {"refused": _("This account does not sign in to classes.")}
    if Attendance.objects.filter(session=session, person_id=user.person_id).exists():
        return {"attended": True}
    try:
        services.check_window(session, timezone.now())
    except Invalid as error:
        return {"refused": error.message}
    return {"may_sign_in": True}


def _year(request: AuthedRequest) -> int:
    this_year = timezone.localdate().year
    value = request.GET.get("year", "")
    year = int(value) if value.isascii() and value.isdigit() else this_year
    return year if 2000 <= year <= this_year + 1 else this_year


@login_required
def records_page(request: AuthedRequest) -> HttpResponse:
    require(request.user, Can.RUN_TRAINING)
    year = _year(request)
    found = records.holder_records(request.user, year)
    missing = request.GET.get("missing") == "1"
    rows = records.untrained(found) if missing else found
    if request.GET.get("format") == "xlsx":
        audit("training.records_exported", request=request, detail={"year": year})
        return _records_xlsx(year, rows, missing)
    context = {
        "year": year,
        "rows": rows[:1000],
        "missing": missing,
        "untrained": len(records.untrained(found)),
        "total": len(found),
    }
    return render(request, "training/records.html", context)


def _records_xlsx(year: int, rows: list[records.HolderRecord], missing: bool) -> HttpResponse:
    title = _("No training in %(year)s") if missing else _("Training in %(year)s")
    sheet = Sheet(
        title % {"year": year},
        [
            Column(_("Name"), 14),
            Column(_("Posts"), 40),
            Column(_("Classes attended"), 14, "int"),
            Column(_("Last class"), 18, "datetime"),
        ],
        [[r.person.name, "、".join(r.posts), r.attended, r.last] for r in rows],
    )
    name = (
        _("post holders without training %(year)s.xlsx")
        if missing
        else _("post holders training %(year)s.xlsx")
    )
    return xlsx_response(name % {"year": year}, [sheet])


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    require(request.user, Can.ATTEND_TRAINING)
    years = records.attended_by(request.user.person_id) if request.user.person_id else {}
    return render(request, "training/mine.html", {"years": sorted(years.items(), reverse=True)})
