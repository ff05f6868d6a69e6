"""Text no database can keep refused at the door, the same on SQLite and PostgreSQL.

A NUL character is stored by SQLite and makes PostgreSQL raise (a 500 there, silently odd
text here); no person types one. So a path, query or form field holding one is answered
400 in the user's language (or the API's error shape) before any view reads it. JSON bodies
are the API's, whose schemas refuse NUL and lone surrogates themselves (422).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .error_pages import refuse

FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _holds_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
        return True
    if request.method == "POST" and request.content_type in FORMS:
        return any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.POST.lists()
        )
    return False


class InputHygieneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _holds_nul(request):
            return self.get_response(request)
        detail = _("The request holds a character that cannot be stored (NUL). Nothing was saved.")
        return refuse(request, 400, _("The request could not be understood"), detail, detail)
