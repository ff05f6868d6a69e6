"""The restore drill (promise 21): a backup taken while people keep working restores every row
acknowledged before it began, with every photo's file; a wrong key, another engine, a broken
or rewritten audit log are refused; nothing readable is left beside the archives.

Restores go into a scratch database (another SQLite file, or a PostgreSQL database made for
the test), so the test database is not clobbered, except by the command's own round trip.
"""

from __future__ import annotations

import io
import json
import os
import tarfile
import threading
from pathlib import Path

import pyrage
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image
from pyrage import x25519

from sanzhang.audit.models import AuditEvent
from sanzhang.audit.services import _digest, first_broken_link, record
from sanzhang.audit.triggers import triggers_lifted
from sanzhang.conftest import County, needs_real_concurrency
from sanzhang.issues.intake import submit
from sanzhang.issues.models import Issue, IssuePhoto
from sanzhang.issues.tests.conftest import reseed
from sanzhang.people.models import User
from sanzhang.security.backups import (
    Backup,
    BackupError,
    _libpq,
    configured_database,
    make_backup,
    read_head,
    restore_backup,
    run_on,
)

# Threads write while the backup reads: an in-memory SQLite database cannot be shared so.
pytestmark = [needs_real_concurrency, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def identity() -> x25519.Identity:
    return x25519.Identity.generate()


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def scratch(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Makes empty databases to restore into, beside the test database; dropped afterwards."""
    made: list[dict] = []

    def make() -> dict:
        database = configured_database()
        if connection.vendor == "sqlite":
            database["NAME"] = str(tmp_path / f"restored-{len(made)}.sqlite3")
        else:
            database["NAME"] = f"sanzhang_restore_drill_{os.getpid()}_{len(made)}"
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{database["NAME"]}"')
        made.append(database)
        return database

    yield make
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for database in made:
                cursor.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}" WITH (FORCE)')


def photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (30, 120, 200)).save(out, format="JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def back_up(media: Path, identity: x25519.Identity, backup_dir: Path, database=None) -> Backup:  # type: ignore[no-untyped-def]
    return make_backup(
        database=database or configured_database(),
        media_root=media,
        backup_dir=backup_dir,
        recipients=[str(identity.to_public())],
    )


def restore(made: Backup, identity: x25519.Identity, target: dict, media: Path, **kwargs) -> dict:  # type: ignore[no-untyped-def]
    return restore_backup(
        made.archive, identity=str(identity), database=target, media_root=media, **kwargs
    )


class Writer(threading.Thread):
    """A resident reporting issues with a photo, and audit rows, one after another until
    stopped; notes the rows committed before the backup began."""

    def __init__(self, resident: User, county: County, began: threading.Event) -> None:
        super().__init__()
        self.resident, self.place, self.began = resident, county.unit_a1_1, began
        self.stop, self.ready = threading.Event(), threading.Event()
        self.before: list[tuple[int, int]] = []
        self.written = 0
        self.errors: list[BaseException] = []

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                event = record("test.backup", detail={"n": self.written})
                issue = submit(self.resident, place=self.place, text="楼道灯坏了", photos=[photo()])
                # Checked after the commit: unset here means committed before the backup.
                if not self.began.is_set():
                    self.before.append((event.pk, issue.issue.pk))
                self.written += 1
                if self.written == 3:
                    self.ready.set()
        except BaseException as error:  # reported by the test, not lost in the thread
            self.errors.append(error)
            self.ready.set()
        finally:
            connection.close()


def restored_rows() -> tuple[set[int], set[int], list[str]]:
    return (
        set(AuditEvent.objects.values_list("id", flat=True)),
        set(Issue.objects.values_list("id", flat=True)),
        list(IssuePhoto.objects.values_list("image", flat=True)),
    )


def test_a_backup_taken_while_people_work_restores_every_acknowledged_row_and_photo(
    loop, resident, media, identity, scratch, tmp_path
):
    reseed()
    began = threading.Event()
    writer = Writer(resident, loop, began)
    writer.start()
    writer.ready.wait(timeout=60)
    began.set()
    try:
        made = back_up(media, identity, tmp_path / "backups")
    finally:
        writer.stop.set()
        writer.join()
    assert writer.errors == []
    target, restored_media = scratch(), tmp_path / "restored-media"
    restore(made, identity, target, restored_media, head=read_head(made.head_file))

    events, issues, photos = run_on(target, restored_rows)
    assert len(writer.before) >= 3
    for event_id, issue_id in writer.before:
        assert event_id in events and issue_id in issues
    assert photos, "the restored copy has photos"
    for name in photos:  # every photo row has its file, byte for byte
        assert (restored_media / name).read_bytes() == (media / name).read_bytes()
    # A file may be archived whose row was not yet committed at the snapshot: never the reverse.
    assert made.manifest["media_files"] >= len(photos)
    assert run_on(target, first_broken_link) is None


def test_nothing_readable_is_left_in_the_backup_directory(
    loop, resident, media, identity, tmp_path
):
    reseed()
    record("test.backup", detail={"secret": "王秀英的门牌"})
    submit(resident, place=loop.unit_a1_1, text="王秀英家漏水", photos=[photo()])
    made = back_up(media, identity, tmp_path / "backups")

    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == sorted(
        [made.archive.name, made.head_file.name]
    )
    sealed = made.archive.read_bytes()
    assert sealed.startswith(b"age-encryption.org/v1")
    assert "王秀英".encode() not in sealed and b"SQLite format" not in sealed
    head = json.loads(made.head_file.read_text())
    assert set(head) == {"archive", "created_at", "id", "hash"}
    assert head["id"] == AuditEvent.objects.order_by("-id").first().pk  # type: ignore[union-attr]


def test_a_wrong_key_is_refused_and_nothing_is_replaced(media, identity, scratch, tmp_path):
    record("test.backup")
    made = back_up(media, identity, tmp_path / "backups")
    target, restored_media = scratch(), tmp_path / "restored-media"
    with pytest.raises(BackupError, match="不是用这把密钥加密的"):
        restore(made, x25519.Identity.generate(), target, restored_media)
    assert run_on(target, lambda: connection.introspection.table_names()) == []
    assert not restored_media.exists()


def test_a_truncated_archive_is_refused_and_nothing_is_replaced(media, identity, scratch, tmp_path):
    record("test.backup")
    made = back_up(media, identity, tmp_path / "backups")
    made.archive.write_bytes(made.archive.read_bytes()[:-100])
    target, restored_media = scratch(), tmp_path / "restored-media"
    with pytest.raises(BackupError, match="已损坏"):
        restore(made, identity, target, restored_media)
    assert run_on(target, lambda: connection.introspection.table_names()) == []
    assert not restored_media.exists()


def test_an_archive_of_another_engine_is_refused(identity, scratch, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    body = json.dumps({"format": 1, "engine": other}).encode()
    plain = io.BytesIO()
    with tarfile.open(fileobj=plain, mode="w") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(body)
        tar.addfile(info, io.BytesIO(body))
    archive = tmp_path / "other.tar.age"
    archive.write_bytes(pyrage.encrypt(plain.getvalue(), [identity.to_public()]))
    made = Backup(archive=archive, head_file=tmp_path / "none", manifest={})
    with pytest.raises(BackupError, match=f"这是 {other} 数据库的备份"):
        restore(made, identity, scratch(), tmp_path / "restored-media")


def rewrite_history() -> None:
    """What someone owning the table could do: change an old row and recompute every digest
    after it, so the chain holds again."""
    previous = ""
    with triggers_lifted(connection), connection.cursor() as cursor:
        for row in AuditEvent.objects.order_by("id"):
            if row.detail == {"n": 0}:
                row.detail = {"n": 0, "note": "never happened"}
            row.previous_digest, row.digest = previous, ""
            row.digest = _digest(row)
            cursor.execute(
                "UPDATE audit_auditevent SET detail = %s, previous_digest = %s, digest = %s "
                "WHERE id = %s",
                [json.dumps(row.detail), row.previous_digest, row.digest, row.pk],
            )
            previous = row.digest


def change_row(pk: int) -> None:
    with triggers_lifted(connection), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET outcome = 'refused' WHERE id = %s", [pk])


def test_a_rewritten_audit_log_does_not_match_the_head_beside_the_archive(
    media, identity, scratch, tmp_path
):
    for n in range(3):
        record("test.backup", detail={"n": n})
    made = back_up(media, identity, tmp_path / "backups")
    first = scratch()
    restore(made, identity, first, tmp_path / "m1", head=read_head(made.head_file))
    run_on(first, rewrite_history)
    assert run_on(first, first_broken_link) is None  # the chain alone cannot tell
    forged = back_up(tmp_path / "m1", identity, tmp_path / "forged", database=first)

    with pytest.raises(BackupError, match="日志被改写过，或备份被替换过"):
        restore(forged, identity, scratch(), tmp_path / "m2", head=read_head(made.head_file))


def test_a_changed_audit_row_breaks_the_restored_chain(media, identity, scratch, tmp_path):
    rows = [record("test.backup", detail={"n": n}) for n in range(3)]
    made = back_up(media, identity, tmp_path / "backups")
    first = scratch()
    restore(made, identity, first, tmp_path / "m1")
    run_on(first, lambda: change_row(rows[0].pk))
    changed = back_up(tmp_path / "m1", identity, tmp_path / "changed", database=first)

    with pytest.raises(BackupError, match=f"在第 {rows[0].pk} 条处断开"):
        restore(changed, identity, scratch(), tmp_path / "m2", head=read_head(changed.head_file))


def test_the_database_password_goes_to_pg_dump_by_environment_never_argv():
    database = {"NAME": "sanzhang", "HOST": "db.example", "PASSWORD": "s3cret"}
    check = 'test "$PGPASSWORD" = s3cret && test "$PGHOST" = db.example && test "$*" = -w'
    _libpq(["sh", "-c", check, "sh"], database)  # refused (BackupError) if any test fails


def test_backup_refuses_to_run_without_recipients(settings, tmp_path):
    settings.BACKUP_AGE_RECIPIENTS = []
    with pytest.raises(CommandError, match="未设置 BACKUP_AGE_RECIPIENTS"):
        call_command("backup", dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_restore_asks_for_yes_when_nobody_can_answer(monkeypatch, tmp_path):
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))  # not a terminal, as in CI
    archive = tmp_path / "some.tar.age"
    archive.write_bytes(b"age-encryption.org/v1")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))


def test_the_commands_round_trip(settings, media, identity, scratch, tmp_path, capsys, monkeypatch):
    """`backup` then `restore --yes`, as an operator runs them. The restore goes to a scratch
    database standing in for the configured one: swapping the test database's own file would
    leave the session's live server (browser tests) on the file it had open."""
    from sanzhang.security.management.commands import restore as restore_command

    settings.BACKUP_AGE_RECIPIENTS = [str(identity.to_public())]
    settings.BACKUP_AGE_IDENTITY = str(identity)
    kept = record("test.backup", detail={"n": "kept"})
    call_command("backup", dir=tmp_path)
    (archive,) = tmp_path.glob("*.tar.age")
    later = record("test.backup", detail={"n": "after the backup"})
    target = scratch()
    monkeypatch.setattr(restore_command, "configured_database", lambda: target)

    call_command("restore", str(archive), "--yes")
    assert "audit chain intact" in capsys.readouterr().out
    ids = set(run_on(target, lambda: list(AuditEvent.objects.values_list("id", flat=True))))
    assert kept.pk in ids and later.pk not in ids
    assert run_on(target, first_broken_link) is None
