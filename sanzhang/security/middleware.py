"""Until a user changes an initial or expired password, every page leads to the change form
and every API call is refused (SECURITY.md promise 1)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from sanzhang.core.api_schemas import error_body

from .passwords import password_expired

ALLOWED_NAMES = ("password_change", "password_change_done", "logout", "set_language")


class PasswordExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if password_expired(request.user) and not self._allowed(request.path):
            if request.path.startswith("/api/"):
                message = _("Change your password before using the API.")
                return JsonResponse(error_body(message), status=403)
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        from django.conf import settings

        if path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        return any(path == reverse(name) for name in ALLOWED_NAMES)
