"""The staff console's home page: what the user's role and area give them to start from."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import scope_codes
from sanzhang.core.http import AuthedRequest
from sanzhang.people.models import Household
from sanzhang.places.models import Place
from sanzhang.posts.coverage import coverage_by_level
from sanzhang.posts.models import Tenure

MAX_AREAS = 5


def _areas(user) -> list[dict]:  # type: ignore[no-untyped-def]
    codes = scope_codes(user)
    roots = (
        Place.objects.filter(parent__isnull=True)
        if codes is None
        else Place.objects.filter(code__in=codes)
    )
    return [
        {
            "place": place,
            "households": Household.objects.filter(place__code__under=place.code).count(),
            "coverage": coverage_by_level(place),
        }
        for place in roots.active()[:MAX_AREAS]
    ]


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context: dict = {"role": user.get_role_display()}
    if can(user, Can.ACT_AS_RESIDENT):
        household = user.person.household if user.person is not None else None
        context["household"] = household
    else:
        context["areas"] = _areas(user)
    if user.person_id:
        context["tenures"] = (
            Tenure.objects.current().filter(person_id=user.person_id).select_related("post__place")
        )
    return render(request, "console/home.html", context)
