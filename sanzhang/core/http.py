"""Request helpers for views: the request type behind `login_required` (so type checking
knows `request.user`), and reading ids from forms."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from sanzhang.people.models import User


class AuthedRequest(HttpRequest):
    user: "User"
    htmx: "HtmxDetails"


def form_id(value: str | None) -> int:
    """A record's number from a form or query string, or 0 (which finds nothing) for anything
    else, so that a mangled id answers 404 rather than a server error."""
    return int(value) if value and value.isascii() and value.isdigit() else 0
