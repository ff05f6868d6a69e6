"""Ship the audit rows not yet shipped to AUDIT_SHIP_DIR and anchor the chain's head there."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanzhang.audit.shipping import AnchorMismatch, ship


class Command(BaseCommand):
    help = (
        "Append the audit rows not yet shipped to a file of the day; "
        "exit 1 if the log was rewritten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", default=str(settings.AUDIT_SHIP_DIR))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = ship(Path(options["dir"]))
        except AnchorMismatch as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Shipped {count} audit events to {options['dir']}.")
