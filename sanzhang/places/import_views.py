"""The import page for county staff: upload a CSV/XLSX of places; download the template."""

from django.http import HttpRequest, HttpResponse


def upload(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def template(request: HttpRequest, fmt: str) -> HttpResponse:
    raise NotImplementedError
