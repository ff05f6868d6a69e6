"""Staff pages of the issue loop: my work, one issue with its actions, recording a report."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanzhang.access.roles import Can, can, require_or_404
from sanzhang.access.scope import get_visible_or_404, held_places
from sanzhang.core.errors import Refusal
from sanzhang.core.http import AuthedRequest, form_id, photo_response
from sanzhang.core.listing import CappedPaginator
from sanzhang.people.models import Household
from sanzhang.places.models import Place
from sanzhang.places.tree import normalise_code

from . import moderation, workflow
from .access import issues_visible_to, photos_for
from .forms import ActionForm, BulkForm, RecordForm
from .intake import submit
from .jurisdiction import home_code
from .models import Channel, Issue, State, Tier
from .resident_places import by_name, path_of
from .steps import StepInput, take_step
from .suggest import categories_at
from .worklist import Filters, worklist, worklist_rows

BULK_ACTIONS = {"start": workflow.start, "pass_inspection": workflow.pass_inspection}


def _staff(request: AuthedRequest) -> None:
    require_or_404(request.user, Can.WORK_ON_ISSUES)


@login_required
@require_http_methods(["GET", "POST"])
def my_work(request: AuthedRequest) -> HttpResponse:
    _staff(request)
    if request.method == "POST":
        return _bulk(request)
    get = request.GET
    filters = Filters(
        under=normalise_code(get.get("under", "")),
        tier=get.get("tier", ""),
        category=get.get("category", ""),
        state=get.get("state", ""),
        channel=get.get("channel", ""),
        everything=get.get("all") == "1",
    )
    issues = worklist(request.user, filters)
    page = CappedPaginator(issues, 50, rows=worklist_rows).get_page(get.get("page"))
    query = get.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        **_chosen_place(request, filters.under),
        "query": query.urlencode(),
        "tiers": Tier.choices,
        "states": State.choices,
        "channels": Channel.choices,
        "categories": categories_at(home_code(request.user)),
        "bulk_actions": [(name, workflow.ACTIONS[name].label) for name in BULK_ACTIONS],
    }
    return render(request, "issues/worklist.html", context)


def _chosen_place(request: AuthedRequest, code: str) -> dict[str, object]:
    """The place the list is filtered by, named, if the user may see it. A code outside their
    scope is shown as it came (a shared link): naming it would tell them what lies there."""
    place = Place.objects.visible_to(request.user).filter(code=code).first() if code else None
    return {"chosen": place, "chosen_path": path_of(place) if place else ""}


# The place pickers' radios: the work list's filter (`under`), the step and record forms' `place`.
PICKER_FIELDS = ("under", "place")


def _places_named(request: AuthedRequest, field: str) -> dict[str, object]:
    """Places the user may see whose name holds ?q=, as radios named `field`: the htmx answer,
    and the page itself when the search is sent without scripts."""
    query = request.GET.get("q", "")
    return {
        "found": by_name(Place.objects.visible_to(request.user).active(), query),
        "q": query.strip()[:30],
        "field": field,
        "none_found": _("No place in your area has that name."),
    }


@login_required
def place_choices(request: AuthedRequest) -> HttpResponse:
    """Places the user may see, by name, as choices for a place picker (htmx)."""
    _staff(request)
    field = request.GET.get("field", "")
    field = field if field in PICKER_FIELDS else "under"
    context = {
        **_places_named(request, field),
        "chosen": normalise_code(request.GET.get(field, "")),
    }
    return render(request, "issues/resident/_places.html", context)


def _bulk(request: AuthedRequest) -> HttpResponse:
    """Apply one step to several issues; each is checked on its own, and failures are listed."""
    form = BulkForm(request.POST)
    action = BULK_ACTIONS.get(form.cleaned_data["action"]) if form.is_valid() else None
    if action is None:
        raise Http404
    numbers = form.cleaned_data["issue"]
    issues = issues_visible_to(request.user).filter(number__in=numbers)
    done, failed = 0, []
    for issue in issues.select_related("place", "owner_place", "owner_organisation"):
        try:
            action(issue, request.user)
            done += 1
        except Refusal as error:
            failed.append(f"{issue.number}: {error.message}")
    if done:
        messages.success(request, _("%(n)d issues done.") % {"n": done})
    for line in failed:
        messages.error(request, line)
    return redirect(request.get_full_path())


def _visible_issue(request: AuthedRequest, number: str) -> Issue:
    issues = issues_visible_to(request.user).select_related(
        "place", "category", "owner_place", "owner_organisation", "merged_into", "household"
    )
    return get_visible_or_404(issues, number=number)


# The steps that move an issue on through the loop, in its order; the others (comment,
# progress, return, escalate, merge, decline) are offered folded below the next step.
FORWARD = ["confirm", "start", "handle", "pass_inspection", "feed_back", "rate"]


def _next_first(allowed: list[str]) -> dict[str, object]:
    """The next step of the loop the user may take, and the rest (folded on the page)."""
    following = next((name for name in FORWARD if name in allowed), None)
    labelled = [(name, workflow.ACTIONS[name].label) for name in allowed]
    return {
        "actions": labelled,
        "next_action": [(n, label) for n, label in labelled if n == following],
        "other_actions": [(n, label) for n, label in labelled if n != following],
    }


@login_required
def issue_detail(request: AuthedRequest, number: str) -> HttpResponse:
    issue = _visible_issue(request, number)
    if can(request.user, Can.ACT_AS_RESIDENT):
        return redirect("resident:detail", number=issue.number)
    context = {
        "issue": issue,
        "events": issue.events.select_related("actor"),
        "photos": issue.photos.all(),
        **_next_first(workflow.allowed_actions(request.user, issue)),
        "tiers": Tier.choices,
        "categories": categories_at(issue.place.code),
        **_places_named(request, "place"),  # where to move it, found without scripts
        "may_moderate": issue.public_consent and can(request.user, Can.MODERATE_PUBLIC_REPORTS),
    }
    return render(request, "issues/detail.html", context)


@login_required
@require_POST
def hide_from_public(request: AuthedRequest, number: str) -> HttpResponse:
    """The county office hides a public report's words, or one photo (`photo`), with a reason."""
    issue = _visible_issue(request, number)
    reason = request.POST.get("reason", "")
    photo_id = request.POST.get("photo", "")
    try:
        if photo_id:
            moderation.hide_photo(
                issue, request.user, photo_id=form_id(photo_id), reason=reason, request=request
            )
        else:
            moderation.hide_words(issue, request.user, reason=reason, request=request)
        messages.success(request, _("Hidden from the public page."))
    except Refusal as error:
        messages.error(request, error.message)
    return redirect("issues:detail", number=issue.number)


@login_required
def photo(request: AuthedRequest, number: str, photo_id: int) -> FileResponse:
    """A photo of an issue, to those who may see the issue (never a public file URL)."""
    issue = _visible_issue(request, number)
    found = get_visible_or_404(photos_for(request.user, issue), pk=photo_id)
    # No caching: security.middleware answers a signed-in user with no-store.
    return photo_response(found.image)


@login_required
@require_POST
def act(request: AuthedRequest, number: str, action: str) -> HttpResponse:
    """One step from a page form. The form carries the version the user saw, so a step
    taken on a page that someone else's step made stale is refused, not applied blindly."""
    issue = _visible_issue(request, number)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please check the form."))
    else:
        try:
            take_step(issue, request.user, action, StepInput(**form.cleaned_data))
            messages.success(
                request, _("Done: %(action)s.") % {"action": workflow.ACTIONS[action].label}
            )
        except Refusal as error:
            messages.error(request, error.message)
    if can(request.user, Can.ACT_AS_RESIDENT):
        return redirect("resident:detail", number=issue.number)
    return redirect("issues:detail", number=issue.number)


@login_required
@require_http_methods(["GET", "POST"])
def record(request: AuthedRequest) -> HttpResponse:
    """A leader records what they heard at the door, on patrol or from neighbours."""
    require_or_404(request.user, Can.RECORD_AT_THE_DOOR)
    held = held_places(request.user)
    initial = {"intake_key": uuid.uuid4().hex, "place": next(iter(held.values()), "")}
    form = RecordForm(
        request.POST or None, request.FILES or None, initial=initial, code=home_code(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if not data["place"]:
                raise Refusal(_("Choose where the problem is."))
            place = get_visible_or_404(
                Place.objects.visible_to(request.user), code=normalise_code(data["place"])
            )
            household = None
            if data["door"]:
                household = Household.objects.filter(place=place, door=data["door"].strip()).first()
                if household is None:
                    raise Refusal(_("No household with that door number at this place."))
            intake = submit(
                request.user,
                place=place,
                text=data["text"],
                channel=data["channel"],
                category=data["category"],
                household=household,
                public_consent=data["public_consent"],
                intake_key=data["intake_key"],
                photos=data["photos"],
            )
            messages.success(
                request, _("Recorded as issue %(number)s.") % {"number": intake.issue.number}
            )
            return redirect("issues:detail", number=intake.issue.number)
        except Refusal as error:
            form.add_error(None, error.message)
    context = {
        "form": form,
        **_places_named(request, "place"),
        **_offered(request, list(held.values()), form["place"].value() or ""),
    }
    return render(request, "issues/record.html", context)


def _offered(request: AuthedRequest, codes: list[str], current: str) -> dict[str, object]:
    """The places offered before any search: the posts' places and the one chosen (if the user
    may see it), each with the names above it. A code outside their scope is not offered."""
    current = normalise_code(current)
    places = Place.objects.visible_to(request.user).filter(code__in=[*codes, current])
    offered = [(place, path_of(place)) for place in places.order_by("depth", "code")]
    return {"offered": offered, "current": current}
