"""The API's version in its path: /api/v1/ is where it lives and what its document names.

Phones that installed the mini-program before the prefix still call /api/…: those paths are
served as v1 (rewritten here, before anything else reads the path), so no installed client
breaks; new clients use /api/v1/. A change that would break a v1 client comes as /api/v2/
beside it (docs/api-changelog.md). Every API answer says which version answered.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

VERSION = "1"
PREFIX = f"/api/v{VERSION}/"


class ApiVersionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not path.startswith("/api/"):
            return self.get_response(request)
        if not path.startswith(PREFIX):
            request.path_info = PREFIX + path.removeprefix("/api/")
        response = self.get_response(request)
        response["API-Version"] = VERSION
        return response
