"""The service worker of the pages that work with no signal, served under each page's own
path (a worker looks after the pages under the path it is served from)."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse


def service_worker(request: HttpRequest) -> HttpResponse:
    path = finders.find("core/offline-sw.js")
    with open(str(path), encoding="utf-8") as source:
        response = HttpResponse(source.read(), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"  # a new version reaches phones at once
    return response
