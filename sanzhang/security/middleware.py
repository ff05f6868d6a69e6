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


# Each browser feature a page may ask for; the report page reads the phone's position and photo
# inputs may take the picture with the camera. Every other powerful feature is off, so an
# injected script or a framed page cannot ask for it.
PERMISSIONS_POLICY = ", ".join(
    [
        "geolocation=(self)",
        "camera=(self)",
        *(
            f"{feature}=()"
            for feature in [
                "microphone",
                "payment",
                "usb",
                "accelerometer",
                "autoplay",
                "bluetooth",
                "browsing-topics",
                "display-capture",
                "encrypted-media",
                "fullscreen",
                "gyroscope",
                "hid",
                "idle-detection",
                "magnetometer",
                "midi",
                "picture-in-picture",
                "publickey-credentials-get",
                "screen-wake-lock",
                "serial",
                "xr-spatial-tracking",
            ]
        ),
    ]
)
PUBLIC_PREFIX = "/board/"


class PrivacyHeadersMiddleware:
    """`Permissions-Policy` on every response, and `Cache-Control: no-store` on every response
    that may carry personal data, so no browser, shared phone or proxy keeps it.

    Placed before WhiteNoise: static files are answered there, before any user is known, and
    keep their long caching. A signed-in user (or a bearer token's, which ninja sets on
    `request.user` during the view) gets no-store whatever the view said: a view's
    `private, max-age` would still leave a resident's photo on a shared phone's disk after
    logout. An anonymous visitor's answer gets no-store unless the view chose its own policy
    (the sign-up pages show a phone number, the API's token answers a secret); only the public
    board, for anyone, stays cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is None:  # answered before authentication: a static file
            return response
        if user.is_authenticated:
            if "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = "no-store"
        elif not request.path.startswith(PUBLIC_PREFIX):
            response.setdefault("Cache-Control", "no-store")
        return response
