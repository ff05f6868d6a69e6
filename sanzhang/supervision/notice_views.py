"""Notice pages: the notices concerning me, the county office's drafting and publishing, PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanzhang.access.roles import Can, can, require_or_404
from sanzhang.core.errors import Refusal
from sanzhang.core.forms import valid_data
from sanzhang.core.http import AuthedRequest
from sanzhang.core.pdf import Document
from sanzhang.core.xlsx import Column, Sheet, download, xlsx_response
from sanzhang.places.models import Place

from . import notices
from .access import require_viewer
from .forms import NoticeForm
from .models import Notice
from .summaries import SUMMARY_KINDS


@login_required
def notice_list(request: AuthedRequest) -> HttpResponse:
    require_viewer(request.user)
    found = notices.visible_to(request.user).prefetch_related("places")[:200]
    if request.GET.get("format") == "xlsx":
        sheet = Sheet(
            _("Notices"),
            [
                Column(_("Number"), 20),
                Column(_("Title"), 40),
                Column(_("Kind"), 12),
                Column(_("Places concerned"), 30),
                Column(_("Published"), 17, "datetime"),
            ],
            [
                [
                    n.number,
                    n.title,
                    n.get_kind_display(),
                    "、".join(p.name for p in n.places.all()),
                    n.published_at,
                ]
                for n in found
            ],
        )
        return xlsx_response(_("notices.xlsx"), [sheet])
    context = {"notices": found, "is_office": can(request.user, Can.RUN_SUPERVISION)}
    return render(request, "supervision/notices.html", context)


def _notice(request: AuthedRequest, notice_id: int) -> Notice:
    require_viewer(request.user)
    return get_object_or_404(notices.visible_to(request.user), pk=notice_id)


@login_required
def notice_detail(request: AuthedRequest, notice_id: int) -> HttpResponse:
    notice = _notice(request, notice_id)
    context = {
        "notice": notice,
        "places": notice.places.order_by("code"),
        "issues": notice.issues.select_related("place", "category").order_by("number"),
        "is_office": can(request.user, Can.RUN_SUPERVISION),
    }
    return render(request, "supervision/notice.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def notice_edit(request: AuthedRequest, notice_id: int | None = None) -> HttpResponse:
    require_or_404(request.user, Can.RUN_SUPERVISION)
    notice = _notice(request, notice_id) if notice_id else None
    if notice is not None and notice.status != Notice.Status.DRAFT:
        messages.error(request, _("A published notice stays as it was published."))
        return redirect("supervision:notice", notice_id=notice.pk)
    choices = Place.objects.visible_to(request.user).active().filter(kind__in=SUMMARY_KINDS)
    choices = choices.order_by("code")
    values: dict[str, Any] = {
        "title": notice.title if notice else "",
        "kind": notice.kind if notice else Notice.Kind.CRITICISM,
        "body": notice.body if notice else "",
        "places": [p.pk for p in notice.places.all()] if notice else [],
        "issues": "\n".join(notice.issues.values_list("number", flat=True)) if notice else "",
    }
    if request.method == "POST":
        values = valid_data(NoticeForm(request.POST))  # every field is lenient: never refuses
        try:
            saved = notices.save_draft(
                request.user,
                notice,
                title=values["title"],
                kind=values["kind"],
                body=values["body"],
                places=list(choices.filter(pk__in=values["places"])),
                issue_numbers=values["issues"].replace(",", "\n").splitlines(),
            )
            messages.success(request, _("Saved."))
            return redirect("supervision:notice", notice_id=saved.pk)
        except Refusal as error:
            messages.error(request, error.message)
    context = {"notice": notice, "values": values, "choices": choices, "kinds": Notice.Kind.choices}
    return render(request, "supervision/notice_form.html", context)


@login_required
@require_POST
def publish(request: AuthedRequest, notice_id: int) -> HttpResponse:
    notice = _notice(request, notice_id)
    try:
        notices.publish(notice, request.user)
        messages.success(request, _("Published as %(number)s.") % {"number": notice.number})
    except Refusal as error:
        messages.error(request, error.message)
    return redirect("supervision:notice", notice_id=notice.pk)


def render_pdf(notice: Notice) -> bytes:
    doc = Document(notice.title)
    doc.paragraph(f"{notice.number}　{notice.get_kind_display()}")
    if notice.published_at:
        doc.paragraph(_("Published %(day)s") % {"day": f"{notice.published_at:%Y-%m-%d}"})
    doc.paragraph(
        _("Places concerned: %(places)s")
        % {"places": "、".join(p.name for p in notice.places.order_by("code"))}
    )
    doc.heading(_("Text"))
    doc.paragraph(notice.body)
    issues = notice.issues.select_related("place", "category").order_by("number")
    if issues:
        doc.heading(_("Issues attached"))
        # The resident's own words only where they allowed them shown in public.
        doc.table(
            [_("Number"), _("Place"), _("Category"), _("Step"), _("Description")],
            [
                [
                    i.number,
                    i.place.name,
                    i.category.name,
                    i.get_state_display(),
                    i.text[:80] if i.words_public else "",
                ]
                for i in issues
            ],
        )
    return doc.render()


@login_required
def notice_pdf(request: AuthedRequest, notice_id: int) -> HttpResponse:
    notice = _notice(request, notice_id)
    name = f"{notice.number or _('draft notice')} {notice.title}.pdf"
    return download(name, render_pdf(notice), "application/pdf")
