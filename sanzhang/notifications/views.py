"""The notices page: a person's own notices, opening one marks it read and goes to its subject."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanzhang.core.http import AuthedRequest

from .inbox import mark_read, notices_for, shown, unread_count
from .preferences import choose_digest, offers_digest, wants_digest

PAGE_SIZE = 30


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    page = Paginator(notices_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    notices = [shown(request.user, row) for row in page]
    context = {
        "page": page,
        "notices": notices,
        "unread": unread_count(request.user),
        "offers_digest": offers_digest(request.user),
        "digest": wants_digest(request.user),
    }
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def digest_choice(request: AuthedRequest) -> HttpResponse:
    """Turn the morning digest on or off (a checkbox: absent means off)."""
    if not offers_digest(request.user):
        raise PermissionDenied
    on = choose_digest(request.user, request.POST.get("daily_digest") == "on")
    messages.success(
        request,
        _("You will get the morning digest of what waits on you.")
        if on
        else _("You will no longer get the morning digest."),
    )
    return redirect("notifications:inbox")


@login_required
def open_notice(request: AuthedRequest, pk: int) -> HttpResponse:
    """Reading a notice is marking it read (an idempotent marker, like a mail client's)."""
    row = get_object_or_404(notices_for(request.user), pk=pk)
    mark_read(request.user, row.pk)
    link = shown(request.user, row).link
    return redirect(link if _local(request, link) else "notifications:inbox")


@login_required
@require_POST
def read_all(request: AuthedRequest) -> HttpResponse:
    mark_read(request.user)
    return redirect("notifications:inbox")


def _local(request: HttpRequest, link: str) -> bool:
    return bool(link) and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()})


def unread_notices(request: HttpRequest) -> dict[str, int]:
    """Template context: the signed-in user's unread count, for the header's badge."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": unread_count(user)}
