"""`manage.py import_places FILE`: import places from a CSV or XLSX (see docs/import-format.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanzhang.places.importing import ImportRefused, import_places


class Command(BaseCommand):
    help = "Import places from a CSV (UTF-8) or XLSX file; a file with any problem changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args: object, file: Path, dry_run: bool, **options: object) -> None:
        try:
            result = import_places(file.name, file.read_bytes(), dry_run=dry_run)
        except FileNotFoundError as error:
            raise CommandError(f"no such file: {file}") from error
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(f"row {problem.row}\t{problem.column}\t{problem.message}")
            raise CommandError(
                f"{len(refused.problems)} problem(s); nothing was imported"
            ) from None
        verb = "would create" if dry_run else "created"
        self.stdout.write(
            f"{result.rows} rows: {verb} {result.created}, updated {result.updated}, "
            f"unchanged {result.unchanged}"
        )
