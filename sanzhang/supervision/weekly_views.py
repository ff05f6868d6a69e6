"""Weekly rectification pages: the week's lists, one list with its items and the forms each
person may use on them, the items waiting on me, and Excel."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanzhang.access.roles import Can, can, require_or_404
from sanzhang.access.scope import scope_codes, scope_filter
from sanzhang.core.errors import Conflict, Invalid, Refusal
from sanzhang.core.forms import valid_data
from sanzhang.core.http import AuthedRequest
from sanzhang.core.xlsx import Column, Sheet, xlsx_response
from sanzhang.people.models import Organisation
from sanzhang.posts.models import Post

from . import rectification
from .access import require_viewer
from .forms import ItemActForm, ItemEditForm
from .models import RectificationItem, RectificationList

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

Status = RectificationItem.Status


def lists_visible_to(user: Actor) -> QuerySet[RectificationList]:
    """The office sees every list, drafts included; others see issued lists in their tree."""
    lists = RectificationList.objects.select_related("place")
    if can(user, Can.RUN_SUPERVISION):
        return lists.filter(scope_filter(user, "place__code"))
    answering = RectificationItem.objects.filter(rectification.responsible_filter(user))
    return lists.filter(
        Q(scope_filter(user, "place__code")) | Q(pk__in=answering.values("rectification_list_id")),
        status=RectificationList.Status.ISSUED,
    )


def items_visible_to(user: Actor, rectification_list: RectificationList) -> QuerySet:
    """All of a list's items for those over its place; only their own for a post below it."""
    items = rectification_list.items.select_related(
        "issue", "responsible_post__place", "responsible_organisation"
    )
    over = RectificationList.objects.filter(
        scope_filter(user, "place__code"), pk=rectification_list.pk
    ).exists()
    return items if over else items.filter(rectification.responsible_filter(user))


def _date(text: str) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise Invalid(_("Give a date as YYYY-MM-DD.")) from None


@login_required
def weekly(request: AuthedRequest) -> HttpResponse:
    require_viewer(request.user)
    lists = lists_visible_to(request.user)
    weeks = list(lists.order_by("-week_start").values_list("week_start", flat=True).distinct()[:26])
    try:
        week = _date(request.GET.get("week", "")) or (weeks[0] if weeks else None)
    except Invalid as error:
        raise Http404(error.message) from None
    flagged = Q(items__flagged_at__isnull=False, items__status=Status.OPEN)
    rows = (
        lists.filter(week_start=week)
        .annotate(
            total=Count("items"),
            waiting=Count("items", filter=Q(items__status=Status.OPEN)),
            answered=Count("items", filter=Q(items__status=Status.ANSWERED)),
            verified=Count("items", filter=Q(items__status=Status.VERIFIED)),
            flagged=Count("items", filter=flagged),
        )
        .order_by("place__code")
        if week
        else lists.none()
    )
    if request.GET.get("format") == "xlsx" and week:
        return _overview_xlsx(week, rows)
    last_week = rectification.monday_of(timezone.localdate()) - rectification.WEEK
    context = {
        "weeks": weeks,
        "week": week,
        "rows": rows,
        "last_week": last_week,
        "is_office": can(request.user, Can.RUN_SUPERVISION),
    }
    return render(request, "supervision/weekly.html", context)


def _overview_xlsx(week: datetime.date, rows: Any) -> HttpResponse:
    counts = [
        ("total", _("Items")),
        ("waiting", _("Waiting for the answer")),
        ("answered", _("Answered")),
        ("verified", _("Verified")),
        ("flagged", _("Overdue")),
    ]
    sheet = Sheet(
        _("Rectification lists"),
        [
            Column(_("Code"), 22),
            Column(_("Place"), 16),
            Column(_("Status"), 10),
            *(Column(str(label), 12, "int") for _key, label in counts),
        ],
        [
            [
                row.place.code,
                row.place.name,
                row.get_status_display(),
                *(getattr(row, key) for key, _label in counts),
            ]
            for row in rows
        ],
    )
    return xlsx_response(_("rectification lists %(week)s.xlsx") % {"week": week}, [sheet])


@login_required
@require_POST
def draft(request: AuthedRequest) -> HttpResponse:
    require_or_404(request.user, Can.RUN_SUPERVISION)
    week = rectification.monday_of(timezone.localdate()) - rectification.WEEK
    made = rectification.draft_week(week, within=scope_codes(request.user))
    messages.success(request, _("%(n)d lists drafted.") % {"n": len(made)})
    return redirect(f"{reverse('supervision:weekly')}?week={week.isoformat()}")


def _list(request: AuthedRequest, list_id: int) -> RectificationList:
    require_viewer(request.user)
    return get_object_or_404(lists_visible_to(request.user), pk=list_id)


@login_required
def list_detail(request: AuthedRequest, list_id: int) -> HttpResponse:
    rectification_list = _list(request, list_id)
    user = request.user
    is_office = can(user, Can.RUN_SUPERVISION)
    mine = set(
        rectification_list.items.filter(rectification.responsible_filter(user)).values_list(
            "pk", flat=True
        )
    )
    items = list(items_visible_to(user, rectification_list))
    for item in items:
        item.can_edit = is_office and item.status in (Status.DRAFT, Status.OPEN)  # type: ignore[attr-defined]
        item.can_answer = item.pk in mine and item.status == Status.OPEN  # type: ignore[attr-defined]
        item.can_verify = is_office and item.status == Status.ANSWERED  # type: ignore[attr-defined]
    posts = (
        Post.objects.filter(place__code__under=rectification_list.place.code)
        .select_related("place")
        .order_by("place__code", "kind", "seat")
        if is_office
        else Post.objects.none()
    )
    organisations = _organisations(request.user).order_by("kind", "name") if is_office else []
    context = {
        "list": rectification_list,
        "items": items,
        "is_office": is_office,
        "posts": posts,
        "organisations": organisations,
        "today": timezone.localdate(),
    }
    return render(request, "supervision/rectification_list.html", context)


@login_required
@require_POST
def issue(request: AuthedRequest, list_id: int) -> HttpResponse:
    rectification_list = _list(request, list_id)
    try:
        opened = rectification.issue_list(rectification_list, request.user)
        messages.success(request, _("Issued with %(n)d items.") % {"n": opened})
    except Refusal as error:
        messages.error(request, error.message)
    return redirect("supervision:rectification_list", list_id=list_id)


@login_required
@require_POST
def act(request: AuthedRequest, item_id: int, action: str) -> HttpResponse:
    require_viewer(request.user)
    item = get_object_or_404(
        RectificationItem.objects.filter(rectification_list__in=lists_visible_to(request.user)),
        pk=item_id,
    )
    if action == "edit":
        form: ItemActForm = ItemEditForm(
            request.POST,
            posts=Post.objects.filter(place__code__under=item.rectification_list.place.code),
            organisations=_organisations(request.user),
        )
    else:
        form = ItemActForm(request.POST)
    try:
        # The version first: a stale page is told to look again whatever else it sent.
        form.is_valid()
        if form.cleaned_data.get("version") != item.version:
            raise Conflict(_("Someone else changed this item just now; please look at it again."))
        data = valid_data(form)
        if action == "edit":
            rectification.edit_item(
                item,
                request.user,
                description=data["description"],
                responsible_post=data["responsible_post"],
                responsible_organisation=data["responsible_organisation"],
                deadline=data["deadline"],
            )
        elif action == "remove":
            rectification.remove_item(item, request.user)
        elif action == "answer":
            rectification.answer(item, request.user, text=data["answer"])
        elif action == "verify":
            rectification.verify(item, request.user, note=data["note"])
        elif action == "send_back":
            rectification.send_back(item, request.user, note=data["note"])
        else:
            raise Http404
        messages.success(request, _("Saved."))
    except Refusal as error:
        messages.error(request, error.message)
    url = reverse("supervision:rectification_list", kwargs={"list_id": item.rectification_list_id})
    return redirect(f"{url}#item-{item.pk}")


def _organisations(user: Actor) -> QuerySet[Organisation]:
    """The organisations of the office's own county (or province) that may answer an item."""
    return Organisation.objects.filter(scope_filter(user, "place__code"))


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    """The items waiting on my answer, and the flagged (overdue) items in my tree."""
    require_viewer(request.user)
    user = request.user
    items = RectificationItem.objects.filter(
        rectification_list__status=RectificationList.Status.ISSUED
    ).select_related("rectification_list__place", "issue", "responsible_post__place")
    waiting = items.filter(rectification.responsible_filter(user), status=Status.OPEN)
    # Flagged up the chain: to everyone over the list's place or over the responsible post
    # (the office: over its county).
    flagged = items.filter(
        Q(scope_filter(user, "rectification_list__place__code"))
        | Q(scope_filter(user, "responsible_post__place__code")),
        status=Status.OPEN,
        flagged_at__isnull=False,
    ).order_by("deadline")
    context = {"waiting": waiting.order_by("deadline"), "flagged": flagged[:200]}
    return render(request, "supervision/mine.html", context)


@login_required
def export(request: AuthedRequest, list_id: int) -> HttpResponse:
    rectification_list = _list(request, list_id)
    rows = [
        [
            n,
            item.issue.number if item.issue else "",
            item.get_reason_display(),
            item.description,
            str(item.responsible_post or item.responsible_organisation or ""),
            item.deadline,
            item.get_status_display(),
            item.answer,
            item.answered_at,
            item.verified_at,
            _("yes") if item.flagged_at else "",
        ]
        for n, item in enumerate(items_visible_to(request.user, rectification_list), start=1)
    ]
    sheet = Sheet(
        _("Rectification list"),
        [
            Column(_("No."), 6, "int"),
            Column(_("Issue"), 18),
            Column(_("Reason"), 16),
            Column(_("What to put right"), 50),
            Column(_("Responsible"), 22),
            Column(_("Deadline"), 12, "date"),
            Column(_("Status"), 14),
            Column(_("Answer"), 40),
            Column(_("Answered at"), 17, "datetime"),
            Column(_("Verified at"), 17, "datetime"),
            Column(_("Overdue"), 8),
        ],
        rows,
    )
    name = _("rectification list %(place)s %(week)s.xlsx") % {
        "place": rectification_list.place.name,
        "week": rectification_list.week_start,
    }
    return xlsx_response(name, [sheet])
