"""Check the audit log's hash chain; exit 1 if a row was changed, removed or inserted."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sanzhang.audit.models import AuditEvent
from sanzhang.audit.services import first_broken_link


class Command(BaseCommand):
    help = "Verify the audit log's hash chain. Exits 1 when it is broken."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = first_broken_link()
        if broken is not None:
            # CommandError exits with status 1 and writes to stderr.
            raise CommandError(f"Audit chain broken at event {broken}.")
        count = AuditEvent.objects.count()
        self.stdout.write(f"Audit chain intact: {count} events.")
