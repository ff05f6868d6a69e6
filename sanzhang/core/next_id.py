"""The id a table's next row will take, claimed before its insert, so a value made from it (an
issue's number) is written in the same INSERT instead of by an UPDATE after it."""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def next_id(model: type[Model]) -> int:
    """Claim the id of `model`'s next row (the two databases sanzhang runs on).

    PostgreSQL: from the column's sequence (a rolled-back insert leaves a gap, as its own default
    does). SQLite: only inside the write transaction that inserts it (IMMEDIATE: no other
    writer until it commits), one past the largest id ever used, AUTOINCREMENT's own rule."""
    table, column = model._meta.db_table, str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [table, column])
        elif connection.vendor == "sqlite":
            # Only a write transaction begun IMMEDIATE keeps other writers out from here to
            # the insert (settings.py begins them so; a DATABASE_URL to SQLite does not).
            immediate = connection.settings_dict["OPTIONS"].get("transaction_mode")
            if not connection.in_atomic_block or immediate != "IMMEDIATE":
                raise RuntimeError("next_id needs the IMMEDIATE transaction that inserts the row")
            quoted_table, quoted_column = (connection.ops.quote_name(n) for n in (table, column))
            sql = (  # nosemgrep: sanzhang-sql-formatted (our table and column names, no input)
                "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608 (our names) # nosec B608 # our names
                f"COALESCE((SELECT MAX({quoted_column}) FROM {quoted_table}), 0)) + 1"
            )
            cursor.execute(sql, [table])
        else:
            raise NotImplementedError(f"next_id on {connection.vendor}")
        (claimed,) = cursor.fetchone()
    if claimed is None:  # PostgreSQL: a primary key with no sequence behind it
        raise RuntimeError(f"{table}.{column} has no sequence to claim an id from")
    return int(claimed)
