"""Write one encrypted backup (database, media files, manifest) into BACKUP_DIR."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanzhang.security.backups import BackupError, configured_database, make_backup


class Command(BaseCommand):
    help = "Back up the database and media files into one age-encrypted archive (docs/backups.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, help="where to write it (default: BACKUP_DIR)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            made = make_backup(
                database=configured_database(),
                media_root=Path(settings.MEDIA_ROOT),
                backup_dir=options["dir"] or Path(settings.BACKUP_DIR),
                recipients=settings.BACKUP_AGE_RECIPIENTS,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        head = made.manifest["audit_head"]
        self.stdout.write(
            f"Backup written: {made.archive} ({made.manifest['media_files']} media files).\n"
            f"Audit chain head: event {head['id']} {head['hash']} (also in {made.head_file})."
        )
