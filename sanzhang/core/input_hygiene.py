"""Text no database can keep refused at the door, the same on SQLite and PostgreSQL.

A NUL character is stored by SQLite and makes PostgreSQL raise (a 500 there, silently odd
text here); no person types one. So a path, query or form field holding one is answered
400 in the user's language (or the API's error shape) before any view reads it. So is a JSON
body with one in any string: the API's schemas do not refuse NUL, and a view may query with
a field before its own checks (django-axes looks up a username first). A lone surrogate in
JSON is refused by the schemas themselves (422).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .error_pages import refuse

FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _nul_in(data: Any) -> bool:
    # A loop, not recursion: json.loads reads nesting deeper than a recursive walk could.
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            return True
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def _json_holds_nul(request: HttpRequest) -> bool:
    try:
        body = request.body
    except RequestDataTooBig:
        return False  # the API answers that itself (413)
    if b"\\u0000" not in body:  # JSON carries a NUL only escaped: most bodies stop here
        return False
    try:
        return _nul_in(json.loads(body))
    except (ValueError, RecursionError):
        return False  # unreadable: the API answers that itself (400)


def _holds_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
        return True
    if request.content_type == "application/json":
        return _json_holds_nul(request)
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
