"""`manage.py import_register FILE [--dry-run]`: import the household and resident register
(see docs/register-format.md); a file with any problem changes nothing."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sanzhang.core.progress import stage_bar
from sanzhang.register.importing import STAGES, ImportRefused, RegisterResult, import_register


class Command(BaseCommand):
    help = "Import the household register from a CSV (UTF-8) or XLSX file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args: object, file: Path, dry_run: bool, **options: object) -> None:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from error
        started = time.perf_counter()
        try:
            with stage_bar(STAGES[:-1] if dry_run else STAGES) as stage:
                result = import_register(file.name, data, dry_run=dry_run, stage=stage)
        except ImportRefused as refused:
            # Tab-separated, one problem a line, so the list can be pasted into a spreadsheet.
            self.stderr.write("\t".join([_("Row"), _("Column"), _("Problem")]))
            for problem in refused.problems:
                row = str(problem.row) if problem.row else "-"
                self.stderr.write(f"{row}\t{problem.column or '-'}\t{problem.message}")
            count = len(refused.problems)
            message = ngettext(
                "The file was refused: %(counter)s problem. Nothing was changed.",
                "The file was refused: %(counter)s problems. Nothing was changed.",
                count,
            )
            raise CommandError(message % {"counter": count}) from None
        self._print(result, dry_run, time.perf_counter() - started)

    def _print(self, result: RegisterResult, dry_run: bool, seconds: float) -> None:
        heading = _("The file is correct; nothing was changed.") if dry_run else _("Imported.")
        households = _(
            "Households: %(households_created)s new, %(households_updated)s changed, "
            "of which %(households_moved)s moved."
        )
        people = _(
            "Residents: %(people_created)s new, %(people_updated)s changed, "
            "%(unchanged)s unchanged."
        )
        counts = f"{households % result.__dict__} {people % result.__dict__}"
        self.stdout.write(f"{heading} {counts} (in {seconds:.1f} s)")
