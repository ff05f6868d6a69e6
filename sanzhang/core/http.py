"""Request types for views behind `login_required`, so type checking knows `request.user`."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from sanzhang.people.models import User


class AuthedRequest(HttpRequest):
    user: "User"  # type: ignore[assignment]
    htmx: "HtmxDetails"
