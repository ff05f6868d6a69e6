"""The benches on PostgreSQL: `BENCH_DATABASE=postgres python -m bench` (`make bench-pg`).

Each var dir a bench makes is paired with a database of its own on the server of BENCH_PG_URL
(default: the local one, trust auth, user postgres), named from the dir (`bench_<basename>`);
Django in the benches' subprocesses reads it from DATABASE_URL. A copy of a county is
`CREATE DATABASE ... TEMPLATE` of it; the bulk copies run the benches' INSERT ... SELECT through
psycopg, without foreign-key checks (session_replication_role = replica, as the raw SQLite copies
never check them), then reset the tables' id sequences and VACUUM ANALYZE them. Every database
made here is dropped when its bench removes the dir, and any left at the end by `drop_all`.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ENABLED = os.environ.get("BENCH_DATABASE", "sqlite") == "postgres"
# Its user must be a superuser: the bulk copies set session_replication_role.
SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
_made: set[str] = set()


def name(var_dir: Path) -> str:
    """The database paired with `var_dir` (tempfile's names: lower-case letters, digits, _)."""
    return "bench_" + var_dir.name.removeprefix("sanzhang-bench-").replace("-", "_")


def _on(database: str) -> str:
    """SERVER's address with `database` as its path (its query, e.g. ?sslmode=, kept)."""
    return urllib.parse.urlsplit(SERVER)._replace(path=f"/{database}").geturl()


def url(var_dir: Path) -> str:
    return _on(name(var_dir))


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_on("postgres"), autocommit=True) as conn:
        conn.execute(sql)


def create(var_dir: Path, template: Path | None = None) -> None:
    """An empty database for `var_dir`, or a copy of `template`'s (no one may be connected to
    it: PostgreSQL waits a few seconds for sessions that are ending, then refuses)."""
    sql = f'CREATE DATABASE "{name(var_dir)}"'
    if template is not None:
        sql += f' TEMPLATE "{name(template)}"'
    _admin(sql)
    _made.add(name(var_dir))  # only what this process made is ever dropped by drop_all


def drop(var_dir: Path) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{name(var_dir)}" WITH (FORCE)')
    _made.discard(name(var_dir))


def drop_all() -> None:
    """Drop every database this process made and has not dropped yet."""
    for made in sorted(_made):
        try:  # one that will not drop does not keep the others
            _admin(f'DROP DATABASE IF EXISTS "{made}" WITH (FORCE)')
        except Exception as error:
            print(f"bench: could not drop {made}: {error}", flush=True)
    _made.clear()


def settle(var_dir: Path) -> None:
    """VACUUM ANALYZE the whole database of `var_dir`, as autovacuum leaves a loaded one: the
    planner's figures (SQLite plans without them) and the pages' visibility set."""
    import psycopg

    with psycopg.connect(url(var_dir), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def connect(var_dir: Path) -> Any:
    """A psycopg connection for bulk copies: one transaction, no foreign-key checks."""
    import psycopg

    conn = psycopg.connect(url(var_dir))
    conn.execute("SET session_replication_role = replica")
    conn.execute("SET synchronous_commit = off")
    return conn


def columns(db: Any, table: str, schema: str = "public") -> list[str]:
    rows = db.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
        "AND table_name = %s ORDER BY ordinal_position",
        (schema, table),
    )
    return [row[0] for row in rows]


def foreign_keys(db: Any, table: str) -> list[tuple[str, str]]:
    """(column, referenced table) of each foreign key of `table`."""
    rows = db.execute(
        "SELECT a.attname, r.relname FROM pg_constraint c "
        "JOIN pg_class r ON r.oid = c.confrelid "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "WHERE c.contype = 'f' AND c.conrelid = %s::regclass",
        (f"public.{table}",),
    )
    return [(row[0], row[1]) for row in rows]


def indexes(db: Any, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes of `table` that back no constraint."""
    rows = db.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
        "AND tablename = %s AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        (table, f"public.{table}"),
    )
    return [(row[0], row[1]) for row in rows]


def attach(db: Any, source: Path, tables: Iterable[str]) -> None:
    """Copy `tables` of `source`'s database into schema `one` of `db`'s (SQLite's ATTACH)."""
    import psycopg

    db.execute("CREATE SCHEMA one")
    with psycopg.connect(url(source)) as src:
        for table in tables:
            listed = ", ".join(columns(db, table))
            db.execute(f"CREATE TABLE one.{table} (LIKE public.{table})")
            with (
                src.cursor().copy(f"COPY {table} ({listed}) TO STDOUT (FORMAT BINARY)") as out,
                db.cursor().copy(f"COPY one.{table} ({listed}) FROM STDIN (FORMAT BINARY)") as into,
            ):
                for data in out:
                    into.write(data)


def finish(db: Any, tables: Iterable[str]) -> None:
    """Commit, set each table's id sequence past its rows, drop schema `one` if any, then
    VACUUM ANALYZE the tables (the planner's figures, and pages as a settled database has
    them) and close."""
    tables = list(tables)
    for table in tables:
        db.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table} "
            "HAVING max(id) IS NOT NULL"
        )
    db.execute("DROP SCHEMA IF EXISTS one CASCADE")
    db.commit()
    db.autocommit = True
    for table in tables:
        db.execute(f"VACUUM ANALYZE {table}")
    db.close()
