"""`manage.py import_places FILE [--dry-run]`: import places (see docs/import-format.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sanzhang.core.progress import stage_bar
from sanzhang.places.importing import STAGES, ImportRefused, ImportResult, import_places


class Command(BaseCommand):
    help = "Import places from a CSV (UTF-8) or XLSX file; a file with any problem changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args: object, file: Path, dry_run: bool, **options: object) -> None:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from error
        try:
            with stage_bar(STAGES[:-1] if dry_run else STAGES) as stage:
                result = import_places(file.name, data, dry_run=dry_run, stage=stage)
        except ImportRefused as refused:
            self._print_problems(refused)
            count = len(refused.problems)
            message = ngettext(
                "The file was refused: %(counter)s problem. Nothing was changed.",
                "The file was refused: %(counter)s problems. Nothing was changed.",
                count,
            )
            raise CommandError(message % {"counter": count}) from None
        self._print_result(result, dry_run)

    def _print_problems(self, refused: ImportRefused) -> None:
        # Tab-separated, one problem a line, so the list can be pasted into a spreadsheet.
        self.stderr.write("\t".join([_("Row"), _("Column"), _("Problem")]))
        for problem in refused.problems:
            row = str(problem.row) if problem.row else "-"
            self.stderr.write(f"{row}\t{problem.column or '-'}\t{problem.message}")

    def _print_result(self, result: ImportResult, dry_run: bool) -> None:
        counts = (
            _("%(rows)s rows: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.")
            % result.__dict__
        )
        heading = _("The file is correct; nothing was changed.") if dry_run else _("Imported.")
        self.stdout.write(f"{heading} {counts}")
