"""Bodies refused by their announced size before a byte of them is read: Django's own limit
(DATA_UPLOAD_MAX_MEMORY_SIZE) leaves files out, so a multipart upload of any size would be
read (and spooled to disk) whole before the photo checks could say no."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .error_pages import refuse


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            announced = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            announced = 0  # Django answers a malformed length itself
        if announced > settings.MAX_REQUEST_BODY_BYTES:
            return self.too_large(request)
        return self.get_response(request)

    @staticmethod
    def too_large(request: HttpRequest) -> HttpResponse:
        limit = settings.MAX_REQUEST_BODY_BYTES // (1024 * 1024)
        detail = _("The request is too large: at most %(mb)d MB may be sent at once.") % {
            "mb": limit
        }
        # No `Connection: close` of our own: WSGI leaves hop-by-hop headers to the server,
        # which closes a connection whose body was not read.
        return refuse(request, 413, _("Too much sent at once"), detail, api_detail=detail)
