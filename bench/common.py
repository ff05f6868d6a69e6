"""Helpers for benches: throwaway databases and a Django in a subprocess per database.

A bench's database lives with its var dir: SQLite's file in it, or with BENCH_DATABASE=postgres
a PostgreSQL database paired with it (bench/pg.py). The bulk-copy helpers below (connect,
columns, finish) take either; the benches' SQL is the same on both.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import pg

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "sanzhang.sqlite3"


def report(name: str, value: float, unit: str) -> None:
    print(f"bench: {name} = {value:.3g} {unit}", flush=True)


def new_var_dir(label: str, database: bool = True) -> Path:
    """A new var dir; on PostgreSQL with its empty database too, unless not `database`."""
    var_dir = Path(tempfile.mkdtemp(prefix=f"sanzhang-bench-{label}-"))
    if pg.ENABLED and database:
        pg.create(var_dir)
    return var_dir


def remove(var_dir: Path) -> None:
    """Remove a var dir and its database."""
    shutil.rmtree(var_dir, ignore_errors=True)
    if pg.ENABLED:
        pg.drop(var_dir)


def django_env(var_dir: Path, debug: bool = True) -> dict[str, str]:
    """The environment of a Django subprocess on `var_dir` and its database."""
    env = {**os.environ, "VAR_DIR": str(var_dir), "DEBUG": "true" if debug else "false"}
    if pg.ENABLED:
        env["DATABASE_URL"] = pg.url(var_dir)
    else:
        env.pop("DATABASE_URL", None)
    return env


def _run(command: list[str], env: dict[str, str]) -> str:
    """Run `command`; its stdout, or its stderr's end printed before the error is raised."""
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stderr[-3000:], file=sys.stderr, flush=True)
        result.check_returncode()
    return result.stdout


def manage(var_dir: Path, *args: str) -> str:
    """Run manage.py against the database of `var_dir`; returns its stdout."""
    return _run([sys.executable, str(ROOT / "manage.py"), *args], django_env(var_dir))


def run_module(var_dir: Path, module: str, *args: str) -> dict:
    """Run `python -m module args` with Django on `var_dir`'s database; parse its JSON output."""
    output = _run([sys.executable, "-m", module, *args], django_env(var_dir))
    return json.loads(output.strip().splitlines()[-1])


def connect(var_dir: Path) -> Any:
    """A connection for a bench's bulk SQL on the database of `var_dir`."""
    return pg.connect(var_dir) if pg.ENABLED else sqlite3.connect(var_dir / DB_NAME)


def columns(db: Any, table: str) -> list[str]:
    if pg.ENABLED:
        return pg.columns(db, table)
    return [row[1] for row in db.execute(f"PRAGMA main.table_info({table})")]


def max_id(db: Any, table: str) -> int:
    return int(db.execute(f"SELECT max(id) FROM {table}").fetchone()[0])


def finish(db: Any, tables: list[str] | tuple[str, ...]) -> None:
    """Commit the bulk copy into `tables`, refresh the planner's statistics, close."""
    if pg.ENABLED:
        pg.finish(db, tables)
        return
    db.commit()
    db.execute("ANALYZE")
    db.close()


def table_indexes(db: Any, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes of `table` that back no constraint."""
    if pg.ENABLED:
        return pg.indexes(db, table)
    return db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL",
        (table,),
    ).fetchall()


def multiply_rows(db: Any, table: str, copies: int, unique: tuple[str, ...] = ()) -> None:
    """Copy the rows of `table` `copies` times over (ids shifted, the `unique` columns suffixed
    with the copy's number where set), its indexes dropped while it grows and made again after:
    building an index once is far faster than keeping it through millions of inserts."""
    indexes = table_indexes(db, table)
    for name, _sql in indexes:
        db.execute(f'DROP INDEX "{name}"')
    names = columns(db, table)
    step = max_id(db, table)
    for k in range(1, copies):
        select = [
            f"id + {k * step}" if c == "id"
            else f"CASE WHEN {c} = '' THEN '' ELSE {c} || '#{k}' END" if c in unique
            else c
            for c in names
        ]  # fmt: skip
        db.execute(
            f"INSERT INTO {table} ({', '.join(names)}) "
            f"SELECT {', '.join(select)} FROM {table} WHERE id <= {step}"
        )
    for _name, sql in indexes:
        db.execute(sql)


def median_seconds(action: Callable[[], object], repeat: int = 15) -> float:
    action()  # warm the caches
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def force_login(client: Any, user: Any) -> None:
    """`client.force_login`, and for the county office and administrators a session that
    passed its second factor, as production serves their pages (the device's lookup included)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sanzhang.security.otp import totp_required

    client.force_login(user)
    if totp_required(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
