"""Every login attempt, lock-out and logout goes to the audit log (SECURITY.md promise 2, 8).

The user name attempted is kept (cut to 150 characters, phone and ID numbers masked);
passwords never are.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from sanzhang.audit.services import record
from sanzhang.core.middleware import SEEN, STARTED

from .redact import redact

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Actor, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        # The 12-hour limit counts from the log-in itself.
        request.session[STARTED] = request.session[SEEN] = time.time()
    record("auth.login", actor=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Actor, **kwargs: Any) -> None:
    if user is not None:
        expired = getattr(request, "session_expired", False)
        record("auth.session_expired" if expired else "auth.logout", actor=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    if getattr(request, "axes_locked_out", False):
        # Axes (whose receiver runs first: importing axes.signals above connects it) has
        # locked this name; `_locked_out` writes this attempt's one row.
        return
    attempted = redact(str(credentials.get("username", ""))[:150])
    record("auth.login_failed", request=request, outcome="refused", detail={"username": attempted})


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any, username: str | None = None, **kwargs: Any) -> None:
    attempted = redact(str(username or "")[:150])
    record("auth.locked_out", request=request, outcome="refused", detail={"username": attempted})
