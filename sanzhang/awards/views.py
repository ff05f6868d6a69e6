"""Award pages: the campaigns, one campaign with what each person may do at its stage."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import scope_filter
from sanzhang.core.errors import Invalid, Refusal
from sanzhang.core.forms import valid_data
from sanzhang.core.http import AuthedRequest
from sanzhang.places.models import Place
from sanzhang.places.tree import normalise_code
from sanzhang.posts.models import Post, PostKind

from . import services
from .forms import CampaignActForm, CampaignForm
from .models import Campaign, Vote


def _visible(request: AuthedRequest) -> QuerySet[Campaign]:
    return services.campaigns_visible_to(request.user)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_list(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            data = valid_data(CampaignForm(request.POST))
            campaign = services.create_campaign(
                request.user, title=data["title"], winners=data["winners"] or 0
            )
            return redirect("awards:campaign", campaign_id=campaign.pk)
        except Refusal as error:
            messages.error(request, error.message)
    context = {"campaigns": _visible(request), "is_office": can(request.user, Can.RUN_AWARDS)}
    return render(request, "awards/list.html", context)


@login_required
def campaign(request: AuthedRequest, campaign_id: int) -> HttpResponse:
    found = get_object_or_404(_visible(request), pk=campaign_id)
    nominations = found.nominations.select_related("person", "post__place", "place")
    if found.stage != Campaign.Stage.NOMINATING:
        nominations = nominations.filter(shortlisted=True)
    my_vote = Vote.objects.filter(campaign=found, voter=request.user).first()
    context = {
        "campaign": found,
        "nominations": nominations,
        "is_office": can(request.user, Can.RUN_AWARDS),
        "can_nominate": can(request.user, Can.NOMINATE_FOR_AWARDS),
        "is_resident": can(request.user, Can.ACT_AS_RESIDENT),
        "my_vote": my_vote,
        "kinds": PostKind.choices,
    }
    return render(request, "awards/campaign.html", context)


@login_required
@require_POST
def act(request: AuthedRequest, campaign_id: int, action: str) -> HttpResponse:
    found = get_object_or_404(_visible(request), pk=campaign_id)
    data = valid_data(CampaignActForm(request.POST))  # every field is lenient: never refuses
    try:
        if action == "nominate":
            place = Place.objects.filter(code=normalise_code(data["place"])).first()
            in_area = Post.objects.filter(scope_filter(request.user, "place__code"))
            target = in_area.filter(place=place, kind=data["kind"]).first()
            if target is None:
                raise Invalid(_("There is no such post at that place."))
            services.nominate(request.user, found, post=target, reason=data["reason"])
        elif action == "shortlist":
            chosen = list(found.nominations.filter(pk__in=data["nominations"]))
            services.shortlist(request.user, found, chosen)
        elif action == "open":
            services.open_voting(request.user, found)
        elif action == "vote":
            nomination = get_object_or_404(found.nominations, pk=data["nomination"])
            services.vote(request.user, found, nomination)
        elif action == "publish":
            services.publish(request.user, found)
        else:
            raise Http404
        messages.success(request, _("Done."))
    except Refusal as error:
        messages.error(request, error.message)
    return redirect("awards:campaign", campaign_id=found.pk)
