"""Ship the audit rows not yet shipped to AUDIT_SHIP_DIR and anchor the chain's head there."""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanzhang.audit.shipping import AnchorMismatch, reanchor, ship


class Command(BaseCommand):
    help = (
        "Append the audit rows not yet shipped to a file of the day; "
        "exit 1 if the log was rewritten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", default=str(settings.AUDIT_SHIP_DIR))
        parser.add_argument(
            "--reanchor",
            metavar="HEAD_JSON",
            help="After a restore: the backup's .head.json, which the restored log must end at.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["reanchor"]:
                head = json.loads(Path(options["reanchor"]).read_text())
                reanchor(Path(options["dir"]), head)
            count = ship(Path(options["dir"]))
        except AnchorMismatch as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Shipped {count} audit events to {options['dir']}.")
