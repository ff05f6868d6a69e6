"""Session time limits: 30 minutes idle, 12 hours at most (SECURITY.md promise 3)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

STARTED = "sanzhang_started"
SEEN = "sanzhang_seen"
SEEN_EVERY = 60  # seconds between notes of a signed-in visit


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault(STARTED, now)
            seen = session.get(SEEN, now)
            if now - seen > settings.SESSION_IDLE_SECONDS or (
                now - started > settings.SESSION_MAX_SECONDS
            ):
                # logout() flushes the server-side session, so a replayed cookie is worthless.
                # The mark lets the logout's audit row say the session expired.
                request.session_expired = True  # type: ignore[attr-defined]
                logout(request)
            elif now - seen > SEEN_EVERY:
                # Noting the visit writes the session and sends its cookie again; once a
                # minute is enough for a 30-minute idle limit, and spares a write per request
                # (and a late answer re-setting a cookie the browser has just dropped).
                session[SEEN] = now
        return self.get_response(request)
