"""The staff console's home page: what the user's role and area give them to start from."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import scope_codes
from sanzhang.core.http import AuthedRequest
from sanzhang.issues.models import Issue, State
from sanzhang.people.uptake import uptake
from sanzhang.places.models import Place
from sanzhang.posts.coverage import coverage_by_level
from sanzhang.posts.models import Tenure
from sanzhang.signup.accounts import requests_for
from sanzhang.signup.party import registrations_for

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
            "uptake": uptake([place.code], under=place.code)[place.code],
            "coverage": coverage_by_level(place),
        }
        for place in roots.active()[:MAX_AREAS]
    ]


def _waiting(user) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """What waits for this user's decision: new residents and party members' registrations."""
    return {
        "residents": requests_for(user).count(),
        "party_members": registrations_for(user).count(),
    }


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if can(user, Can.SERVE_BOOKINGS):  # a merchant's home is their bookings (服务微平台)
        return redirect("marketplace:mine")
    context: dict = {"role": user.get_role_display()}
    if can(user, Can.ACT_AS_RESIDENT):
        household = user.person.household if user.person is not None else None
        context["household"] = household
        # What waits on the resident comes first: results fed back, waiting for their rating.
        to_rate = Issue.objects.filter(reporter=user, state=State.FED_BACK)
        context["to_rate"] = list(to_rate.order_by("-updated_at")[:10])
    else:
        context["areas"] = _areas(user)
        context["waiting"] = _waiting(user)
    if user.person_id:
        context["tenures"] = (
            Tenure.objects.current().filter(person_id=user.person_id).select_related("post__place")
        )
    return render(request, "console/home.html", context)
