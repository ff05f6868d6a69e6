"""Residents' records for the roles whose work needs them: masked, scoped and audited."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import get_visible_or_404
from sanzhang.audit.services import record
from sanzhang.core.http import AuthedRequest

from .forms import RevealForm
from .party import party_members_visible_to
from .services import find_people, masked, people_visible_to
from .services import reveal as reveal_field

PAGE_SIZE = 50


@login_required
def person_list(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    page = Paginator(find_people(request.user, query), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(person, masked(person)) for person in page]
    record("people.listed", request=request, detail={"query_kind": _query_kind(query)})
    return render(request, "people/list.html", {"page": page, "rows": rows, "query": query})


def _query_kind(query: str) -> str:
    # The audit row says what kind of search it was, never the phone or ID searched for.
    query = query.strip()
    if not query:
        return "all"
    return "number" if query[:1].isdigit() else "name"


@login_required
def party_member_list(request: AuthedRequest) -> HttpResponse:
    if not can(request.user, Can.VIEW_PEOPLE):
        raise Http404
    members = party_members_visible_to(request.user).select_related(
        "person__household__place", "community"
    )
    members = members.order_by("community__code", "person__name")
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/party_members.html", {"page": page})


@login_required
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    people = people_visible_to(request.user).select_related("household__place")
    person = get_visible_or_404(people, pk=pk)
    record("person.viewed", request=request, obj=person)
    context = {"person": person, "masked": masked(person)}
    return render(request, "people/detail.html", context)


@login_required
@require_POST
def reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(people_visible_to(request.user), pk=pk)
    field = RevealForm(request.POST).chosen()
    value = reveal_field(person, field, request=request)
    return render(request, "people/_revealed.html", {"value": value})
