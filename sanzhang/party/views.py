"""The party organisation's pages: the tree, a branch or group with its members, the import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanzhang.access.roles import Can, can, require_or_404
from sanzhang.access.scope import get_visible_or_404, in_scope
from sanzhang.core.errors import Refusal
from sanzhang.core.http import AuthedRequest, form_id
from sanzhang.core.tables import ImportRefused
from sanzhang.core.xlsx import Column, Sheet, download, xlsx_response

from . import services
from .importing import import_organisations, template_csv
from .models import Membership, PartyOrganisation

MAX_BYTES = 5 * 1024 * 1024
MAX_SHOWN = 1000


@login_required
@require_GET
def tree(request: AuthedRequest) -> HttpResponse:
    require_or_404(request.user, Can.VIEW_PARTY)
    return render(
        request,
        "party/tree.html",
        {
            "roots": services.tree(request.user),
            "can_keep": can(request.user, Can.KEEP_PARTY_REGISTER),
        },
    )


@login_required
@require_GET
def tree_xlsx(request: AuthedRequest) -> HttpResponse:
    require_or_404(request.user, Can.VIEW_PARTY)
    found = services.visible(request.user).annotate(member_count=Count("memberships"))
    rows = (
        [
            o.ref,
            o.get_kind_display(),
            o.name,
            o.parent.name if o.parent else "",
            o.place.name,
            o.place.code,
            o.member_count,
        ]
        for o in found.iterator(chunk_size=2000)
    )
    sheet = Sheet(
        str(pgettext_lazy("the tree", "Party organisation")),
        [
            Column(_("Reference"), 12),
            Column(_("Kind"), 10),
            Column(_("Name"), 30),
            Column(_("Above"), 30),
            Column(_("Place"), 20),
            Column(_("Place code"), 20),
            Column(_("Members"), 10, "int"),
        ],
        rows,
    )
    return xlsx_response("party-organisation.xlsx", [sheet])


class MemberForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)


@login_required
@require_GET
def organisation(request: AuthedRequest, pk: int) -> HttpResponse:
    require_or_404(request.user, Can.VIEW_PARTY)
    org = services.get_visible(request.user, pk)
    can_keep = can(request.user, Can.KEEP_PARTY_REGISTER) and org.kind in (
        PartyOrganisation.Kind.BRANCH,
        PartyOrganisation.Kind.GROUP,
    )
    memberships = list(services.members(org))
    context: dict[str, Any] = {
        "org": org,
        "above": _chain(request, org),
        "children": services.visible(request.user).filter(parent=org),
        "memberships": memberships,
        "secretary": services.secretary(org),
        "secretary_post": services.secretary_post(org),
        "can_keep": can_keep,
    }
    if can_keep:
        joined = {m.member_id for m in memberships}
        context["candidates"] = [
            c for c in services.candidates(request.user, org)[:500] if c.pk not in joined
        ]
    return render(request, "party/organisation.html", context)


def _chain(request: AuthedRequest, org: PartyOrganisation) -> list[PartyOrganisation]:
    """The organisations above, as far up as the user sees."""
    chain: list[PartyOrganisation] = []
    current = org.parent
    seen = {org.pk}
    while (
        current is not None
        and current.pk not in seen
        and in_scope(request.user, current.place.code)
    ):
        chain.insert(0, current)
        seen.add(current.pk)
        current = current.parent
    return chain


@login_required
@require_POST
def add_member(request: AuthedRequest, pk: int) -> HttpResponse:
    require_or_404(request.user, Can.KEEP_PARTY_REGISTER)
    org = services.get_visible(request.user, pk)
    member_id = form_id(request.POST.get("member"))
    member = get_visible_or_404(services.candidates(request.user, org), pk=member_id)
    try:
        services.assign_member(request.user, org, member, request=request)
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("%(name)s joined %(org)s.") % {"name": member.person.name, "org": org.name}
        )
    return redirect("party:organisation", pk=org.pk)


@login_required
@require_POST
def remove_member(request: AuthedRequest, pk: int, membership: int) -> HttpResponse:
    require_or_404(request.user, Can.KEEP_PARTY_REGISTER)
    org = services.get_visible(request.user, pk)
    found = get_visible_or_404(Membership.objects.filter(organisation=org), pk=membership)
    try:
        services.remove_member(request.user, found, request=request)
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Removed from the organisation."))
    return redirect("party:organisation", pk=org.pk)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    check_only = forms.BooleanField(
        label=gettext_lazy("Check only, change nothing"), required=False
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError(gettext_lazy("The file is larger than 5 MB."))
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: AuthedRequest) -> HttpResponse:
    require_or_404(request.user, Can.KEEP_PARTY_REGISTER)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            context["result"] = import_organisations(
                upload.name or "",
                upload.read(),
                actor=request.user,
                within=lambda code: in_scope(request.user, code),
                dry_run=form.cleaned_data["check_only"],
                request=request,
            )
            context["checked_only"] = form.cleaned_data["check_only"]
        except ImportRefused as refused:
            context["problems"] = refused.problems[:MAX_SHOWN]
            context["problem_count"] = len(refused.problems)
    return render(request, "party/import.html", context)


@login_required
@require_GET
def import_template(request: AuthedRequest) -> HttpResponse:
    require_or_404(request.user, Can.KEEP_PARTY_REGISTER)
    return download("party-organisation-template.csv", template_csv(), "text/csv; charset=utf-8")
