"""Posts: a post's page with its holders' history and duty list, the work card, the board."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from sanzhang.access.roles import Can, can
from sanzhang.access.scope import get_visible_or_404, in_scope, scope_filter
from sanzhang.audit.services import record
from sanzhang.core.http import AuthedRequest
from sanzhang.places.models import Place
from sanzhang.places.services import resolve_code
from sanzhang.places.tree import is_valid_code, normalise_code

from .board import board_for
from .fitness import takeover_concerns
from .models import Post, PostKind, Tenure
from .workcard import render_work_card


@login_required
def holder_list(request: AuthedRequest) -> HttpResponse:
    """Current holders under a place (default: the user's whole scope), by kind of post."""
    holders = Tenure.objects.current().filter(scope_filter(request.user, "post__place__code"))
    under = normalise_code(request.GET.get("under", ""))
    kind = request.GET.get("kind", "")
    if under and is_valid_code(under):
        holders = holders.filter(post__place__code__under=under)
    if kind in PostKind.values:
        holders = holders.filter(post__kind=kind)
    holders = holders.select_related("post__place", "person").order_by("post__place__code", "id")
    page = Paginator(holders, 50).get_page(request.GET.get("page"))
    context = {"page": page, "under": under, "kind": kind, "kinds": PostKind.choices}
    return render(request, "posts/list.html", context)


@login_required
def post_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    posts = Post.objects.filter(scope_filter(request.user, "place__code")).select_related("place")
    post = get_visible_or_404(posts, pk=pk)
    tenures = list(post.tenures.select_related("person"))
    reserve = next(
        (t for t in tenures if t.role == Tenure.Role.RESERVE and t.ended_on is None), None
    )
    can_edit = can(request.user, Can.EDIT_PLACES)
    # What the county's rule says of the reserve as holder (a member? living there?): shown
    # beside "takes over", which is then left for the staff to tick.
    concerns = (
        takeover_concerns(reserve, sees=lambda code: in_scope(request.user, code))
        if reserve is not None and can_edit
        else []
    )
    context = {
        "post": post,
        "tenures": tenures,
        "reserve": reserve,
        "reserve_concerns": concerns,
        "can_edit": can_edit,
    }
    return render(request, "posts/detail.html", context)


@login_required
def work_card(request: AuthedRequest, pk: int) -> HttpResponse:
    tenures = Tenure.objects.filter(scope_filter(request.user, "post__place__code"))
    tenure = get_visible_or_404(tenures.select_related("post__place", "person"), pk=pk)
    board_url = request.build_absolute_uri(reverse("board:place", args=[tenure.post.place.code]))
    record("post.work_card_printed", request=request, obj=tenure)
    response = HttpResponse(render_work_card(tenure, board_url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="work-card-{tenure.pk}.pdf"'
    return response


def noticeboard(request: HttpRequest, code: str) -> HttpResponse:
    """Public: no login, so a resident can scan the code on the board."""
    code = normalise_code(code)
    place = Place.objects.active().filter(code=code).first()
    if place is None:
        moved = resolve_code(code)
        if moved is None or moved.is_retired:
            raise Http404
        return redirect("board:place", code=moved.code)
    return render(request, "posts/board.html", {"place": place, **board_for(place)})
