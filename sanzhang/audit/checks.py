"""`check --deploy` fails when the audit table lost its append-only triggers (promise 9)."""

from typing import Any

from django.core.checks import Error, Tags, register
from django.db import DatabaseError, connections

from .triggers import missing_triggers


@register(Tags.security, deploy=True)
def audit_triggers_present(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    for alias in connections:
        try:
            missing = missing_triggers(connections[alias])
        except DatabaseError:
            continue  # database not reachable: Django's own checks report that
        if missing:
            errors.append(
                Error(
                    f"The audit table in database '{alias}' lacks triggers: "
                    f"{', '.join(sorted(missing))}.",
                    hint="Run `manage.py migrate`; if they were dropped, recreate them "
                    "(sanzhang.audit.triggers.create_triggers) and run verify_audit_chain.",
                    id="audit.E001",
                )
            )
    return errors
