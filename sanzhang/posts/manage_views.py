"""Appointing holders to a place's posts and standing them down (county office, community staff)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanzhang.access.roles import Can, require_or_404
from sanzhang.access.scope import get_visible_or_404, in_scope, scope_filter
from sanzhang.core.http import AuthedRequest
from sanzhang.places.models import Place
from sanzhang.places.tree import normalise_code

from .fitness import appointment_concerns, concerns_key, takeover_concerns
from .forms import AppointForm, StandDownForm
from .models import Tenure
from .services import (
    PostError,
    appoint,
    current_reserve,
    find_or_record_person,
    find_person,
    open_post,
    stand_down,
)


def _check_editor(request: AuthedRequest) -> None:
    require_or_404(request.user, Can.EDIT_PLACES)


@login_required
@require_http_methods(["GET", "POST"])
def appoint_view(request: AuthedRequest, code: str) -> HttpResponse:
    _check_editor(request)
    places = Place.objects.visible_to(request.user).active()
    place = get_visible_or_404(places, code=normalise_code(code))
    form = AppointForm(request.POST or None, place_kind=place.kind)
    concerns: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            known = find_person(data["name"], data["phone"])
            concerns = appointment_concerns(
                known,
                data["name"].strip(),
                place,
                sees=lambda code: in_scope(request.user, code),
                reserve=data["role"] == Tenure.Role.RESERVE,
            )
            key = concerns_key(concerns)
            # The box counts only for the concerns it was ticked under (not another person's).
            if not concerns or (data["despite_concerns"] and data["concerns_seen"] == key):
                person = known or find_or_record_person(data["name"], data["phone"])
                post = open_post(place, data["kind"])
                appoint(
                    post,
                    person,
                    role=data["role"],
                    start=data["start"],
                    actor=request.user,
                    overridden=concerns,
                )
                messages.success(request, _("Appointed."))
                return redirect("posts:detail", pk=post.pk)
        except PostError as error:
            form.add_error(None, str(error))
    if concerns:  # shown now: the next send may appoint despite exactly these
        shown = request.POST.copy()
        shown["concerns_seen"] = concerns_key(concerns)
        shown["despite_concerns"] = ""
        form.data = shown
    context = {"place": place, "form": form, "concerns": concerns}
    return render(request, "posts/appoint.html", context)


@login_required
@require_POST
def stand_down_view(request: AuthedRequest, pk: int) -> HttpResponse:
    _check_editor(request)
    tenures = Tenure.objects.current().filter(scope_filter(request.user, "post__place__code"))
    tenure = get_visible_or_404(tenures, pk=pk)
    form = StandDownForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        reserve = current_reserve(tenure.post) if data["reserve_takes_over"] else None
        # The box was ticked beside these concerns (posts/detail.html shows them).
        concerns = (
            takeover_concerns(reserve, sees=lambda code: in_scope(request.user, code))
            if reserve is not None
            else []
        )
        try:
            successor = stand_down(
                tenure,
                reason=data["reason"],
                actor=request.user,
                reserve_takes_over=data["reserve_takes_over"],
                overridden=concerns,
            )
        except PostError as error:
            messages.error(request, str(error))
            return redirect("posts:detail", pk=tenure.post_id)
        if successor is None and data["reserve_takes_over"]:
            messages.warning(request, _("Stood down; nobody took over (no reserve holder now)."))
        elif successor is None:
            messages.success(request, _("Stood down."))
        else:
            messages.success(
                request,
                _("Stood down; %(name)s, the reserve holder, now holds the post.")
                % {"name": successor.person.name},
            )
    else:
        messages.error(request, _("Give a reason for standing down."))
    return redirect("posts:detail", pk=tenure.post_id)
