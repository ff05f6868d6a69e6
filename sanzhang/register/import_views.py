"""The register import page: community staff for their community, the county office for the
county, upload the household and resident register (CSV or XLSX); templates to download."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from sanzhang.access.roles import Can, require_or_404
from sanzhang.access.scope import in_scope, visible_place
from sanzhang.core.http import AuthedRequest
from sanzhang.core.xlsx import XLSX_TYPE, download

from .export import FORMATS, export_register
from .importing import ImportRefused, import_register
from .template import template_csv, template_xlsx

MAX_BYTES = 20 * 1024 * 1024  # a county of 38,000 households is about 8 MB of CSV
MAX_SHOWN = 1000


class RegisterFileForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    check_only = forms.BooleanField(label=_("Check only, change nothing"), required=False)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: AuthedRequest) -> HttpResponse:
    require_or_404(request.user, Can.KEEP_REGISTER)
    form = RegisterFileForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "export_form": ExportForm()}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            context["result"] = import_register(
                upload.name or "",
                upload.read(),
                actor=request.user,
                request=request,
                dry_run=form.cleaned_data["check_only"],
                within=lambda code: in_scope(request.user, code),
            )
            context["checked_only"] = form.cleaned_data["check_only"]
        except ImportRefused as refused:
            context["problems"] = refused.problems[:MAX_SHOWN]
            context["problem_count"] = len(refused.problems)
    return render(request, "register/import.html", context)


class ExportForm(forms.Form):
    """The export's options, read from the query string."""

    place = forms.CharField(label=_("Place code (empty: your whole area)"), required=False)
    reveal = forms.BooleanField(
        label=_("Full ID numbers, phones and addresses (written to the audit log)"),
        required=False,
    )


@login_required
@require_GET
def export(request: AuthedRequest, fmt: str) -> HttpResponse:
    """The register of the user's area (or of one place in it) as a file: masked unless asked
    to reveal; a place outside the area is 404 as if it did not exist."""
    require_or_404(request.user, Can.KEEP_REGISTER)
    form = ExportForm(request.GET)
    if fmt not in FORMATS or not form.is_valid():
        raise Http404
    code = form.cleaned_data["place"]
    place = visible_place(request.user, code) if code else None
    done = export_register(
        request.user, fmt=fmt, place=place, reveal=form.cleaned_data["reveal"], request=request
    )
    kind = XLSX_TYPE if fmt == "xlsx" else "text/csv; charset=utf-8"
    return download(done.filename, done.content, kind)


@login_required
def template(request: AuthedRequest, fmt: str) -> HttpResponse:
    require_or_404(request.user, Can.KEEP_REGISTER)
    if fmt == "csv":
        content, kind = template_csv(), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        content = template_xlsx()
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="register-template.{fmt}"'
    return response
