"""`flush`, able to empty the audit table despite its triggers.

Django's test runner calls `flush` after every transactional test (browser tests, the chain
concurrency test); without this the audit triggers would refuse it. Whoever may run `flush` may
also drop the triggers, so this grants no new power: it only keeps the triggers in place
afterwards.
"""

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from sanzhang.audit.triggers import triggers_lifted


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        with triggers_lifted(connection):
            super().handle(**options)
