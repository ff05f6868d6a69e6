"""Until a user changes an initial or expired password, every page leads to the change form
and every API call is refused (SECURITY.md promise 1); before that, until a session signed in
by password alone passes its second factor, every page leads to the code (or set-up) page
(promise 4)."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from sanzhang.core.api_schemas import error_body

from .otp import confirmed_device, needs_second_factor
from .passwords import password_expired

# A session owing both gives its code first (SecondFactorMiddleware runs first), so the password
# expiry lets the code pages through; the change form is reached only by a verified session.
OTP_PAGES = ("otp-setup", "otp-verify", "logout", "set_language")
ALLOWED_NAMES = ("password_change", "password_change_done", *OTP_PAGES)


def _allowed(path: str, names: tuple[str, ...]) -> bool:
    if path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return True
    return any(path == reverse(name) for name in names)


class SecondFactorMiddleware:
    """After OTPMiddleware: a session that still owes its second factor is led to the code page
    (the set-up page while it has no device), keeping where it was going; the API says 403."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_second_factor(request.user) and not _allowed(request.path, OTP_PAGES):
            if request.path.startswith("/api/"):
                message = _("Type your two-factor code on the website before using the API.")
                return JsonResponse(error_body(message), status=403)
            page = "otp-verify" if confirmed_device(request.user) else "otp-setup"  # type: ignore[arg-type]
            query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
            return redirect(reverse(page) + (f"?{query}" if query else ""))
        return self.get_response(request)


class PasswordExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if password_expired(request.user) and not _allowed(request.path, ALLOWED_NAMES):
            if request.path.startswith("/api/"):
                message = _("Change your password before using the API.")
                return JsonResponse(error_body(message), status=403)
            return redirect("password_change")
        return self.get_response(request)


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
