"""Database triggers that refuse UPDATE and DELETE on the audit table (SECURITY.md promise 9).

The ORM already refuses to change audit rows (`audit.models`); the triggers stop raw SQL too,
whoever sends it: a careless `dbshell`, a script, an injected statement. They do not stop the
table's owner from dropping them: the hash chain (`services.first_broken_link`) finds what
such a person changed, and production runs the application under a role that does not own the
table (docs/security.md).

Migration 0004 creates them from this SQL: change it only together with a new migration. On
SQLite, a migration that rebuilds the table (most AlterField) drops them: re-create them in a
migration after it. The tests and `check --deploy` (audit.E001) notice when they are missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditevent"
MESSAGE = "the audit log is append-only"

SQLITE_CREATE = [
    f"CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_no_update",
    "DROP TRIGGER IF EXISTS audit_no_delete",
]

POSTGRESQL_CREATE = [
    "CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$",
    f"CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
    # TRUNCATE skips row triggers, so it gets its own.
    f"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS audit_no_change ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_refuse_change()",
]

# The triggers each database should have, and how to list the ones it has.
EXPECTED = {
    "sqlite": {"audit_no_update", "audit_no_delete"},
    "postgresql": {"audit_no_change", "audit_no_truncate"},
}
LIST_SQL = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
    "postgresql": "SELECT tgname FROM pg_trigger "
    "WHERE tgrelid = %s::regclass AND NOT tgisinternal AND tgenabled <> 'D'",
}

STATEMENTS = {
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
}


def _run(connection: BaseDatabaseWrapper, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def create_triggers(connection: BaseDatabaseWrapper) -> None:
    """Install the triggers. Other databases are not supported; they get none."""
    if connection.vendor in STATEMENTS:
        _run(connection, STATEMENTS[connection.vendor][0])


def drop_triggers(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor in STATEMENTS:
        _run(connection, STATEMENTS[connection.vendor][1])


def missing_triggers(connection: BaseDatabaseWrapper) -> set[str]:
    """The triggers this database should have on the audit table and does not (or disabled)."""
    if connection.vendor not in EXPECTED or TABLE not in connection.introspection.table_names():
        return set()
    with connection.cursor() as cursor:
        cursor.execute(LIST_SQL[connection.vendor], [TABLE])
        present = {name for (name,) in cursor.fetchall()}
    return EXPECTED[connection.vendor] - present


@contextmanager
def triggers_lifted(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Run the block without the triggers, in one transaction, and put them back.

    Used by `flush` (tests empty every table between transactional tests) and by the tamper
    test. Both databases roll DDL back with the transaction, so a failure leaves the triggers
    in place.
    """
    if TABLE not in connection.introspection.table_names():
        yield  # not migrated yet: nothing to lift
        return
    with transaction.atomic(using=connection.alias):
        drop_triggers(connection)
        yield
        create_triggers(connection)
