"""Check the audit log's hash chain; exit 1 if a row was changed, removed or inserted."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanzhang.audit.models import AuditEvent
from sanzhang.audit.services import first_broken_link
from sanzhang.audit.shipping import AnchorMismatch, check_anchor, read_head


class Command(BaseCommand):
    help = "Verify the audit log's hash chain. Exits 1 when it is broken."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor",
            help="A folder of shipped audit files: the database must still hold its head.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["anchor"]:
            head = read_head(Path(options["anchor"]))
            if head is None:
                raise CommandError(f"No head.json in {options['anchor']}.")
            try:
                check_anchor(head)
            except AnchorMismatch as error:
                raise CommandError(str(error)) from error
        broken = first_broken_link()
        if broken is not None:
            # CommandError exits with status 1 and writes to stderr.
            raise CommandError(f"Audit chain broken at event {broken}.")
        count = AuditEvent.objects.count()
        self.stdout.write(f"Audit chain intact: {count} events.")
