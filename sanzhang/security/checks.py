"""System checks for production (SECURITY.md promise 7: no active superuser in production)."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def no_active_superuser(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if settings.DEBUG:
        return []
    from sanzhang.people.models import User

    try:
        names = list(
            User.objects.filter(is_superuser=True, is_active=True).values_list(
                "username", flat=True
            )
        )
    except DatabaseError:
        return []  # no tables yet (before the first migrate)
    if not names:
        return []
    return [
        Error(
            f"Active superuser accounts in production: {', '.join(names[:5])}.",
            hint="Give each administrator one role (system, security or audit) and deactivate "
            "superusers: roles are kept apart (三权分立).",
            id="security.E001",
        )
    ]
