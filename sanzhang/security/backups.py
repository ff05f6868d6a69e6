"""Backups (promise 21): one age-encrypted archive with a consistent database snapshot, the
media files and a manifest; and the restore that puts them back and checks the audit chain.

The plaintext never reaches the backup directory as a file: the tar is written into a pipe
that age reads from. Only the database snapshot lies briefly in a private temporary
directory, removed on the way out. Beside each archive, `<name>.head.json` records the audit
chain's head (an id and a hash, nothing personal), so a restored log that was rewritten
since, or an archive forged with the public key, does not match it.
"""

from __future__ import annotations

import copy
import io
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404 # pg_dump/pg_restore only, fixed argv, no shell (_libpq)
import tarfile
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import pyrage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend
from django.utils.translation import gettext as _
from pyrage import x25519

from sanzhang.audit.models import AuditEvent
from sanzhang.audit.services import first_broken_link

FORMAT = 1
MANIFEST = "manifest.json"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA = "media"
SUFFIX = ".tar.age"
HEAD_SUFFIX = ".head.json"

Database = Mapping[str, Any]  # one entry of settings.DATABASES, as Django completed it


class BackupError(Exception):
    """A backup or restore refused or failed; the message is meant for the operator."""


@dataclass(frozen=True)
class Head:
    """The audit chain's latest row: its id and digest (id None for an empty log)."""

    id: int | None
    hash: str


@dataclass(frozen=True)
class Backup:
    archive: Path
    head_file: Path
    manifest: dict[str, Any]


def configured_database() -> dict[str, Any]:
    """The default database's settings as the running process uses them (the test database
    under pytest)."""
    return dict(connections[DEFAULT_DB_ALIAS].settings_dict)


def vendor(database: Database) -> str:
    vendor_name: str = load_backend(database["ENGINE"]).DatabaseWrapper.vendor
    if vendor_name not in DUMPS:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(v)s.") % {"v": vendor_name}
        )
    return vendor_name


def head_file_for(archive: Path) -> Path:
    return archive.with_name(archive.name.removesuffix(SUFFIX) + HEAD_SUFFIX)


def read_head(path: Path) -> Head:
    data = json.loads(path.read_text())
    return Head(id=data["id"], hash=data["hash"])


# Writing


def make_backup(
    *,
    database: Database,
    media_root: Path,
    backup_dir: Path,
    recipients: Sequence[str],
) -> Backup:
    """Snapshot `database`, then archive the media files, all encrypted to `recipients`.

    Media files are listed after the snapshot: a photo's file is written before its row
    and never changed, so every photo row in the snapshot finds its file in the archive.
    """
    keys = _recipients(recipients)
    engine = vendor(database)
    backup_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    created = datetime.now(UTC)
    name = f"sanzhang-{created:%Y%m%dT%H%M%S%fZ}"
    archive = backup_dir / f"{name}{SUFFIX}"
    with tempfile.TemporaryDirectory(dir=backup_dir, prefix=".incomplete-") as work:
        dump = Path(work) / DUMPS[engine]
        state = _snapshot(engine, database, dump)
        files = _media_files(media_root)
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created_at": created.isoformat(),
            "database": dump.name,
            "media_files": len(files),
            **state,
        }
        partial = Path(work) / "archive.partial"  # ciphertext, moved in place once whole
        with open(partial, "wb") as out:
            _piped(
                lambda sink: _write_tar(sink, manifest, dump, media_root, files),
                lambda source: pyrage.encrypt_io(source, out, keys),
            )
        os.replace(partial, archive)
    head_file = head_file_for(archive)
    head = {"archive": archive.name, "created_at": created.isoformat(), **state["audit_head"]}
    head_file.write_text(json.dumps(head, indent=2) + "\n")
    return Backup(archive=archive, head_file=head_file, manifest=manifest)


def _recipients(keys: Sequence[str]) -> list[x25519.Recipient]:
    if not keys:
        raise BackupError(
            _("No BACKUP_AGE_RECIPIENTS: refusing to write a backup that is not encrypted.")
        )
    try:
        return [x25519.Recipient.from_str(key) for key in keys]
    except pyrage.RecipientError as error:
        raise BackupError(_("A BACKUP_AGE_RECIPIENTS key is not an age public key.")) from error


def _snapshot(engine: str, database: Database, dest: Path) -> dict[str, Any]:
    if engine == "sqlite":
        return _snapshot_sqlite(database, dest)
    return _snapshot_postgresql(database, dest)


def _snapshot_sqlite(database: Database, dest: Path) -> dict[str, Any]:
    source_path = Path(database["NAME"])
    if not source_path.is_file():
        raise BackupError(_("No SQLite database file at %(path)s.") % {"path": source_path})
    # Read-only, so a wrong path is refused rather than created empty.
    source = sqlite3.connect(source_path.resolve().as_uri() + "?mode=ro", uri=True)
    target = sqlite3.connect(dest)
    try:
        # One step (the default): a consistent copy while the application keeps writing.
        source.backup(target)
        return _read_state(target)
    finally:
        source.close()
        target.close()


def _snapshot_postgresql(database: Database, dest: Path) -> dict[str, Any]:
    wrapper = _wrapper(database, "backup")
    raw = wrapper.get_new_connection(wrapper.get_connection_params())
    try:
        raw.autocommit = True
        # pg_dump joins this transaction's snapshot, so the manifest describes the dump exactly.
        raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        (snapshot,) = raw.execute("SELECT pg_export_snapshot()").fetchone()
        state = _read_state(raw)
        _libpq(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={dest}"], database)
        raw.execute("COMMIT")
        return state
    finally:
        raw.close()


def _read_state(raw: Any) -> dict[str, Any]:
    """The snapshot's migration summary and audit chain head, read through a DB-API connection."""
    migrations = MigrationRecorder.Migration._meta.db_table
    applied = raw.execute(f"SELECT app, name FROM {migrations}").fetchall()  # noqa: S608 (a table name of ours) # nosec B608 # nosemgrep: sanzhang-sql-formatted
    latest: dict[str, str] = {}
    for app, name in applied:
        latest[app] = max(name, latest.get(app, ""))
    row = raw.execute(
        f"SELECT id, digest FROM {AuditEvent._meta.db_table} ORDER BY id DESC LIMIT 1"  # noqa: S608 (a table name of ours) # nosec B608 # nosemgrep: sanzhang-sql-formatted
    ).fetchone()
    head = {"id": row[0], "hash": row[1]} if row else {"id": None, "hash": ""}
    return {
        "migrations": {"applied": len(applied), "latest": dict(sorted(latest.items()))},
        "audit_head": head,
    }


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(
        path for path in media_root.rglob("*") if path.is_file() and not path.is_symlink()
    )


def _write_tar(
    sink: IO[bytes], manifest: dict[str, Any], dump: Path, media_root: Path, files: list[Path]
) -> None:
    with tarfile.open(fileobj=sink, mode="w|") as tar:
        body = json.dumps(manifest, indent=2).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(body)
        info.mtime = int(datetime.now(UTC).timestamp())
        tar.addfile(info, io.BytesIO(body))
        tar.add(dump, arcname=dump.name)
        for path in files:
            try:
                tar.add(path, arcname=f"{MEDIA}/{path.relative_to(media_root).as_posix()}")
            except FileNotFoundError as error:
                # Files are never removed by the application: refuse an archive missing one.
                raise BackupError(
                    _("A media file vanished during the backup: %(p)s") % {"p": path}
                ) from error


def _piped[T](produce: Callable[[IO[bytes]], object], consume: Callable[[IO[bytes]], T]) -> T:
    """`produce` writes into a pipe in a thread while `consume` reads it here: the plaintext
    passes through memory, never through a file.

    Each side notes its failure before closing its end, so the first one noted is the cause
    (a wrong key, another engine) and the other side's broken pipe or early end is not.
    """
    read_fd, write_fd = os.pipe()
    failures: list[BaseException] = []

    def run() -> None:
        with open(write_fd, "wb", buffering=0) as sink:  # unbuffered: nothing left to flush
            try:
                produce(sink)
            except BaseException as error:  # raised below, in the caller's thread
                failures.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    results: list[T] = []
    with open(read_fd, "rb") as source:
        try:
            results.append(consume(source))
            while source.read(1 << 16):
                pass  # to the very end: age authenticates the last chunk there
        except BaseException as error:
            failures.append(error)
    thread.join()
    if failures:
        raise failures[0]
    return results[0]


# Restoring


def restore_backup(
    archive: Path,
    *,
    identity: str,
    database: Database,
    media_root: Path,
    head: Head | None = None,
) -> dict[str, Any]:
    """Replace `database` and `media_root` with the archive's, then check the audit chain.

    `database` is the configured one for `manage.py restore`, a scratch copy in the restore
    drill. Nothing is replaced until the whole archive has decrypted and authenticated.
    """
    key = _identity(identity)
    engine = vendor(database)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # SQLite's snapshot is unpacked beside the database, so os.replace swaps it in atomically.
    work_parent = Path(database["NAME"]).parent if engine == "sqlite" else None
    with (
        open(archive, "rb") as source,
        tempfile.TemporaryDirectory(dir=work_parent, prefix=".restoring-") as work,
        tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".restoring-media-") as stage,
    ):
        staged_media = Path(stage) / MEDIA
        manifest = _piped(
            lambda sink: _decrypt(source, sink, key),
            lambda plain: _unpack(plain, engine, Path(work), staged_media),
        )
        _replace_database(engine, database, Path(work) / DUMPS[engine])
        _replace_media(staged_media, media_root)
    check_restored(database, head or Head(**manifest["audit_head"]))
    return manifest


def _identity(key: str) -> x25519.Identity:
    if not key:
        raise BackupError(_("No BACKUP_AGE_IDENTITY: the secret key is needed to restore."))
    try:
        return x25519.Identity.from_str(key.strip())
    except pyrage.IdentityError as error:
        raise BackupError(_("BACKUP_AGE_IDENTITY is not an age secret key.")) from error


def _decrypt(source: IO[bytes], sink: IO[bytes], key: x25519.Identity) -> None:
    try:
        pyrage.decrypt_io(source, sink, [key])
    except (pyrage.DecryptError, OSError) as error:  # a damaged chunk comes as OSError
        raise BackupError(
            _("Cannot decrypt the archive: it was not made for this key, or it is damaged (%(e)s).")
            % {"e": error}
        ) from error


def _unpack(plain: IO[bytes], engine: str, work: Path, media: Path) -> dict[str, Any]:
    media.mkdir()
    with tarfile.open(fileobj=plain, mode="r|") as tar:
        members = iter(tar)
        first = next(members, None)
        if first is None or first.name != MANIFEST:
            raise BackupError(_("This is not a sanzhang backup: it has no manifest first."))
        manifest = json.load(tar.extractfile(first))  # type: ignore[arg-type]
        _check_manifest(manifest, engine)
        seen = 0
        for member in members:
            if member.name == DUMPS[engine]:
                tar.extract(member, work, filter="data")
            elif member.name.startswith(f"{MEDIA}/") and member.isfile():
                tar.extract(
                    member.replace(name=member.name[len(MEDIA) + 1 :]), media, filter="data"
                )
                seen += 1
            else:
                raise BackupError(_("Unexpected file in the archive: %(n)s") % {"n": member.name})
    if not (work / DUMPS[engine]).is_file() or seen != manifest["media_files"]:
        raise BackupError(_("The archive is incomplete."))
    return manifest


def _check_manifest(manifest: dict[str, Any], engine: str) -> None:
    if manifest.get("format") != FORMAT:
        raise BackupError(_("Unknown backup format %(f)s.") % {"f": manifest.get("format")})
    if manifest.get("engine") != engine:
        raise BackupError(
            _("This backup is of a %(archive)s database; the configured one is %(configured)s.")
            % {"archive": manifest.get("engine"), "configured": engine}
        )


def _replace_database(engine: str, database: Database, dump: Path) -> None:
    if engine == "sqlite":
        _replace_sqlite(Path(database["NAME"]), dump)
    else:
        # One transaction: a failed restore leaves the database as it was.
        restore = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        _libpq([*restore, f"--dbname={database['NAME']}", str(dump)], database)


def _replace_sqlite(target: Path, dump: Path) -> None:
    check = sqlite3.connect(dump)
    try:
        (result,) = check.execute("PRAGMA quick_check").fetchone()
    finally:
        check.close()
    if result != "ok":
        raise BackupError(_("The archive's SQLite snapshot is damaged: %(r)s") % {"r": result})
    with open(dump, "rb+") as written:
        os.fsync(written.fileno())
    # A journal left by the old database would be replayed into the new one.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(dump, target)


def _replace_media(staged: Path, media_root: Path) -> None:
    # Swapped by renames: the old files stay whole until the new ones are in place.
    old = Path(tempfile.mkdtemp(dir=media_root.parent, prefix=f".{media_root.name}-replaced-"))
    if media_root.exists():
        os.replace(media_root, old / MEDIA)
    os.replace(staged, media_root)
    shutil.rmtree(old)


# Checking


def check_restored(database: Database, expected: Head) -> None:
    """Refuse a restored copy whose audit chain is broken or whose head is not `expected`."""
    broken, head = run_on(database, _chain_state)
    if broken is not None:
        raise BackupError(
            _("The restored audit log is broken at event %(id)s: it was changed before the backup.")
            % {"id": broken}
        )
    if head != expected:
        raise BackupError(
            _(
                "The restored audit log ends at event %(got)s, not at %(want)s as recorded beside "
                "the archive: the log was rewritten or the archive replaced."
            )
            % {"got": f"{head.id} {head.hash[:12]}", "want": f"{expected.id} {expected.hash[:12]}"}
        )


def _chain_state() -> tuple[int | None, Head]:
    last = AuditEvent.objects.order_by("-id").values_list("id", "digest").first()
    return first_broken_link(), Head(id=last[0], hash=last[1]) if last else Head(None, "")


def run_on[T](database: Database, func: Callable[[], T]) -> T:
    """Call `func` with the default alias pointed at `database`, in a thread of its own.

    Django keeps connections per thread, so only `func` sees the swap; the audit check reads
    through the ORM's default alias whichever copy it checks.
    """
    results: list[T] = []
    failures: list[BaseException] = []

    def run() -> None:
        wrapper = _wrapper(database, DEFAULT_DB_ALIAS)
        connections[DEFAULT_DB_ALIAS] = wrapper
        try:
            results.append(func())
        except BaseException as error:  # raised below, in the caller's thread
            failures.append(error)
        finally:
            wrapper.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]
    return results[0]


def _wrapper(database: Database, alias: str) -> BaseDatabaseWrapper:
    wrapper: BaseDatabaseWrapper = load_backend(database["ENGINE"]).DatabaseWrapper(
        copy.deepcopy(dict(database)), alias
    )
    return wrapper


_LIBPQ_ENV = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}  # nosec B105 # libpq's variable names, no password


def _libpq(argv: list[str], database: Database) -> None:
    """Run pg_dump or pg_restore against `database`; the password goes by PGPASSWORD, never argv."""
    env = dict(os.environ, PGDATABASE=str(database["NAME"]))
    env.update({var: str(database[key]) for key, var in _LIBPQ_ENV.items() if database.get(key)})
    if sslmode := database.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    command = [*argv, "-w"]  # --no-password: fail rather than prompt
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 (fixed argv, no shell) # nosec B603
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(err)s") % {"tool": argv[0], "err": done.stderr.strip()}
        )
