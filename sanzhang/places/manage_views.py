"""Renaming, moving and retiring a place, for the county office and community staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sanzhang.access.roles import Can, require_or_404
from sanzhang.access.scope import visible_place
from sanzhang.core.http import AuthedRequest

from .forms import MoveForm, RenameForm, RetireForm
from .models import Place
from .services import PlaceError, move_place, rename_place, retire_place
from .tree import normalise_code


def _editable(request: AuthedRequest, code: str) -> Place:
    require_or_404(request.user, Can.EDIT_PLACES)
    return visible_place(request.user, code)


def _apply(request: AuthedRequest, place: Place, form) -> str | None:  # type: ignore[no-untyped-def]
    """Run the change the bound form asks for; the error message if it is refused."""
    data, actor = form.cleaned_data, request.user
    try:
        if isinstance(form, RenameForm):
            rename_place(place, data["name"], actor=actor, reason=data["reason"])
        elif isinstance(form, MoveForm):
            visible = Place.objects.visible_to(actor).active()
            parent = visible.filter(code=normalise_code(data["parent_code"])).first()
            if parent is None:
                return _("No place with that code in your area.")
            move_place(place, parent, actor=actor, reason=data["reason"])
        else:
            retire_place(place, actor=actor, reason=data["reason"])
    except PlaceError as error:
        return str(error)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthedRequest, code: str) -> HttpResponse:
    place = _editable(request, code)
    forms = {"rename": RenameForm, "move": MoveForm, "retire": RetireForm}
    action = request.POST.get("action", "")
    bound = {
        name: cls(request.POST if action == name else None, prefix=name)
        for name, cls in forms.items()
    }
    if action in forms and bound[action].is_valid():
        error = _apply(request, place, bound[action])
        if error is None:
            messages.success(request, _("Saved."))
            place.refresh_from_db()
            return redirect("places:detail", code=place.code)
        bound[action].add_error(None, error)
    return render(request, "places/edit.html", {"place": place, "forms": bound})
