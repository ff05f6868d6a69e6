"""The import page for the county office: upload a CSV/XLSX of places; download the template."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from sanzhang.access.roles import Can, require_or_404
from sanzhang.access.scope import in_scope
from sanzhang.core.http import AuthedRequest

from .importing import ImportRefused, import_places
from .importing.template import template_csv, template_xlsx

MAX_BYTES = 10 * 1024 * 1024
MAX_SHOWN = 1000  # problems listed on the page; a wholly wrong file can have one per row


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    check_only = forms.BooleanField(label=_("Check only, change nothing"), required=False)

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


def _county_office_only(request: AuthedRequest) -> None:
    require_or_404(request.user, Can.IMPORT_PLACES)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: AuthedRequest) -> HttpResponse:
    _county_office_only(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            context["result"] = import_places(
                upload.name,
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
    return render(request, "places/import.html", context)


@login_required
def template(request: AuthedRequest, fmt: str) -> HttpResponse:
    _county_office_only(request)
    if fmt == "csv":
        content, kind = template_csv(), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        content = template_xlsx()
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="places-template.{fmt}"'
    return response
