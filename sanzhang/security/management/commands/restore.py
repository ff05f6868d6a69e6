"""Replace the configured database and media files with a backup's, then check the audit chain."""

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from sanzhang.security.backups import (
    BackupError,
    Head,
    configured_database,
    head_file_for,
    read_head,
    restore_backup,
)


class Command(BaseCommand):
    help = (
        "Restore a backup over the configured database and MEDIA_ROOT (stop the application "
        "first), then check the audit chain. Exits 1 when refused or when the check fails."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--head",
            type=Path,
            help="the chain head recorded at backup time (default: <name>.head.json beside it)",
        )
        parser.add_argument(
            "--identity-file", type=Path, help="the age secret key (default: BACKUP_AGE_IDENTITY)"
        )
        parser.add_argument("--yes", action="store_true", help="do not ask before replacing")

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if not archive.is_file():
            raise CommandError(f"No archive at {archive}.")
        identity = settings.BACKUP_AGE_IDENTITY
        if options["identity_file"]:
            identity = options["identity_file"].read_text()
        database = configured_database()
        if not options["yes"]:
            self._confirm(database["NAME"])
        connections.close_all()  # SQLite's file is swapped, PostgreSQL's tables dropped
        try:
            manifest = restore_backup(
                archive,
                identity=identity,
                database=database,
                media_root=Path(settings.MEDIA_ROOT),
                head=self._head(archive, options["head"]),
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} "
            f"({manifest['media_files']} media files); audit chain intact, head event "
            f"{manifest['audit_head']['id']}. Run `manage.py migrate` if the code is newer."
        )

    def _head(self, archive: Path, given: Path | None) -> Head | None:
        path = given or head_file_for(archive)
        if path.is_file():
            return read_head(path)
        if given:
            raise CommandError(f"No chain head file at {given}.")
        self.stderr.write(
            f"No {path.name} beside the archive: the restored chain is checked against the "
            "archive's own manifest only, which cannot reveal a forged archive."
        )
        return None

    def _confirm(self, name: object) -> None:
        if not sys.stdin.isatty():
            raise CommandError("Not a terminal: pass --yes to replace the database without asking.")
        answer = input(f"This replaces the database {name} and {settings.MEDIA_ROOT}. Type yes: ")
        if answer.strip().lower() != "yes":
            raise CommandError("Restore cancelled.")
