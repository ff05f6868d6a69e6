"""Volunteer rider pages: the riders of a place with their hours (and registering one), the
tasks (posting, joining, recording hours), and a rider's own page."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, Q, QuerySet, Sum, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanzhang.access.roles import Can, can, require
from sanzhang.access.scope import scope_filter
from sanzhang.core.errors import Invalid, Refusal
from sanzhang.core.forms import valid_data
from sanzhang.core.http import AuthedRequest
from sanzhang.core.xlsx import Column, Sheet, xlsx_response
from sanzhang.people.models import Person
from sanzhang.places.models import Place
from sanzhang.places.tree import normalise_code
from sanzhang.posts.models import Post

from . import services
from .forms import HoursForm, RegisterForm, TaskForm
from .models import Signup, Task, Volunteer


def _staff_view(request: AuthedRequest) -> None:
    require(request.user, Can.VIEW_RIDERS)


def _volunteers(request: AuthedRequest) -> QuerySet[Volunteer]:
    return Volunteer.objects.filter(scope_filter(request.user, "place__code")).select_related(
        "person", "place", "leader_post__place"
    )


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_list(request: AuthedRequest) -> HttpResponse:
    _staff_view(request)
    if request.method == "POST":
        try:
            data = valid_data(RegisterForm(request.POST))  # every field is lenient: never refuses
            place = Place.objects.filter(code=normalise_code(data["place"])).first()
            person = Person.objects.filter(
                scope_filter(request.user, "household__place__code"), pk=data["person"]
            ).first()  # only people of the staff member's own area
            leader = Post.objects.filter(pk=data["leader_post"]).select_related("place").first()
            if place is None or person is None or leader is None:
                raise Invalid(_("Give the place code, the person and the leader's post."))
            services.register(
                request.user,
                person=person,
                kind=data["kind"],
                company=data["company"],
                place=place,
                leader_post=leader,
            )
            messages.success(request, _("Registered."))
            return redirect("volunteers:list")
        except Refusal as error:
            messages.error(request, error.message)
    riders = _volunteers(request).annotate(total=Sum("signups__hours")).order_by("place__code")
    if request.GET.get("format") == "xlsx":
        sheet = Sheet(
            _("Volunteer riders"),
            [
                Column(_("Name"), 12),
                Column(_("Kind"), 16),
                Column(_("Company"), 14),
                Column(_("Place"), 16),
                Column(_("Led by"), 22),
                Column(_("Service hours"), 12, "int"),
            ],
            [
                [
                    v.person.name,
                    v.get_kind_display(),
                    v.company,
                    v.place.name,
                    str(v.leader_post),
                    float(v.total or 0),
                ]
                for v in riders
            ],
        )
        return xlsx_response(_("volunteer riders.xlsx"), [sheet])
    context = {
        "riders": riders[:500],
        "kinds": Volunteer.Kind.choices,
        "can_register": can(request.user, Can.MANAGE_RIDERS),
    }
    return render(request, "volunteers/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def task_list(request: AuthedRequest) -> HttpResponse:
    me = services.volunteer_of(request.user)
    if me is None:
        require(request.user, Can.VIEW_RIDERS)
    if request.method == "POST":
        try:
            data = valid_data(TaskForm(request.POST))  # (the form reads a naive time as local)
            services.post_task(
                request.user,
                place=data["place"],
                title=data["title"],
                description=data["description"],
                starts_at=data["starts_at"],
                slots=data["slots"],
            )
            messages.success(request, _("Posted."))
            return redirect("volunteers:tasks")
        except Refusal as error:
            messages.error(request, error.message)
    tasks = Task.objects.select_related("place").order_by("-starts_at")
    if me is not None:  # a rider sees the tasks near them: their community's first
        near = Case(When(Q(place__code__under=me.place.code), then=Value(0)), default=Value(1))
        county = services.county_of(me.place.code)  # a rider's tasks are their county's
        tasks = tasks.filter(place__code__under=county, is_open=True)
        tasks = tasks.annotate(near=near).order_by("near", "starts_at")
        mine = set(me.signups.values_list("task_id", flat=True))
    else:
        tasks = tasks.filter(scope_filter(request.user, "place__code"))
        mine = set()
    context = {
        "tasks": tasks[:200],
        "me": me,
        "mine": mine,
        "can_post": can(request.user, Can.MANAGE_RIDERS),
    }
    return render(request, "volunteers/tasks.html", context)


@login_required
@require_POST
def join(request: AuthedRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(Task, pk=task_id)
    try:
        services.join(request.user, task)
        messages.success(request, _("You have joined. Thank you."))
    except Refusal as error:
        messages.error(request, error.message)
    return redirect("volunteers:tasks")


@login_required
@require_http_methods(["GET", "POST"])
def task_detail(request: AuthedRequest, task_id: int) -> HttpResponse:
    _staff_view(request)
    task = get_object_or_404(
        Task.objects.filter(scope_filter(request.user, "place__code")), pk=task_id
    )
    if request.method == "POST":
        data = valid_data(HoursForm(request.POST))  # every field is lenient: never refuses
        signup = get_object_or_404(Signup, pk=data["signup"], task=task)
        try:
            services.record_hours(request.user, signup, data["hours"])
            messages.success(request, _("Saved."))
        except Refusal as error:
            messages.error(request, error.message)
        return redirect("volunteers:task", task_id=task.pk)
    signups = task.signups.select_related("volunteer__person")
    return render(request, "volunteers/task.html", {"task": task, "signups": signups})


@login_required
def me(request: AuthedRequest) -> HttpResponse:
    rider = services.volunteer_of(request.user)
    if rider is None:
        raise Http404
    signups = rider.signups.select_related("task__place").order_by("-task__starts_at")
    context = {"rider": rider, "signups": signups, "hours": services.hours_of(rider) or Decimal(0)}
    return render(request, "volunteers/me.html", context)
