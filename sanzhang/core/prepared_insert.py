"""An INSERT of one model instance, compiled before a transaction and run inside it.

On SQLite a write transaction holds the database's one write lock from BEGIN IMMEDIATE to
COMMIT, and every other writer waits for it. Django builds an INSERT's SQL in Python each
`save()`: for a report that was three quarters of the time the lock was held (1.5 of 2 ms, its
statements themselves 0.4 ms). Compiled first, with the values only known inside the
transaction (the id a sequence hands out, what is made of it) left to fill in, the locked
part runs the statements and little else.

What `save(force_insert=True)` does is kept, with the instance frozen once compiled:
`pre_save` is sent and the fields' own `pre_save` (auto_now and the like) run when it is
compiled, before the late values exist and outside the transaction; `post_save` is sent after
the row is in; the values the database returns are converted as Django converts them; a failed
INSERT marks the transaction for rollback; the instance ends saved. Refused, as positions in the
statement would not be known: values that are expressions or database defaults, models with
parents (their parents' rows).

The statement of a model's INSERT is the same every time (the same columns, one `%s` each, the
same RETURNING), so it is built by Django's compiler once per model and database and kept: a
report's later INSERTs only turn its values into parameters, as the compiler does
(`pre_save`, `get_db_prep_save`). Fields that build their own placeholder (geometry and the
like) are compiled every time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections, transaction
from django.db.models import Model
from django.db.models.expressions import DatabaseDefault
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery

# (model, database alias, primary key given) -> (the INSERT, its RETURNING's parameters).
_statements: dict[tuple[type[Model], str, bool], tuple[str, tuple[Any, ...]]] = {}


class PreparedInsert:
    def __init__(self, obj: Model, *, late: Iterable[str] = (), using: str = "default") -> None:
        """Compile `obj`'s INSERT now; the fields named in `late` (names or attnames) are given
        their values by `run`."""
        model = type(obj)
        meta = model._meta
        if meta.parents or meta.proxy:
            raise ValueError(f"{model.__name__} is kept in more than one table")
        pre_save.send(sender=model, instance=obj, raw=False, using=using, update_fields=None)
        late = set(late)
        late_fields = [f for f in meta.local_concrete_fields if {f.name, f.attname} & late]
        if len(late_fields) != len(late):
            raise ValueError(f"{model.__name__} has no field among {sorted(late)}")
        # Compared by name: a field's own == is slow, and this runs once per row written.
        late_names = {f.attname for f in late_fields}
        # As Model._save_table: the primary key goes in when it is set (or filled in late),
        # else the database makes it and returns it.
        pk_given = obj.pk is not None or meta.pk.attname in late_names
        pk_names = {f.attname for f in meta.pk_fields}
        fields = [
            f
            for f in meta.local_concrete_fields
            if not f.generated and (pk_given or f.attname not in pk_names)
        ]
        for field in fields:
            value = getattr(obj, field.attname)
            # A database default drops its column from the statement, late or not.
            if isinstance(value, DatabaseDefault) or (
                field.attname not in late_names and hasattr(value, "resolve_expression")
            ):
                raise ValueError(f"{model.__name__}.{field.name} is an expression")
        # The values as the compiler reads them (auto_now and the like), checked too: a kept
        # statement has one `%s` for each.
        values = [f.pre_save(obj, add=True) for f in fields]
        for field, value in zip(fields, values, strict=True):
            if field.attname not in late_names and (
                isinstance(value, DatabaseDefault) or hasattr(value, "resolve_expression")
            ):
                raise ValueError(f"{model.__name__}.{field.name} is an expression")
        # An unsaved related object is refused as save() refuses it (late ones are given later):
        # its relations only, in a set, as it tests each field's membership; none left to test
        # (every relation late) is not "test them all", as an empty set would tell it.
        if relations := {
            f for f in meta.concrete_fields if f.is_relation and f.attname not in late_names
        }:
            obj._prepare_related_fields_for_save(  # type: ignore[attr-defined] # private, as save
                operation_name="save", fields=relations
            )
        connection = connections[using]
        if not connection.features.can_return_columns_from_insert:
            raise ValueError("the database cannot return columns from an INSERT")
        returning = list(meta.db_returning_fields)
        query = InsertQuery(model)
        query.insert_values(fields, [obj])
        compiler = query.get_compiler(using=using)
        compiler.returning_fields = returning
        key = (model, using, pk_given)
        kept = _statements.get(key)
        if kept is not None:
            sql, compiler.returning_params = kept
            # What the compiler does with each value, without building the statement again.
            params = [
                f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)
            ]
        else:
            [(sql, params)] = compiler.as_sql()
            if len(params) != len(fields):
                raise ValueError(f"{model.__name__}'s values do not map one to one to its columns")
            if not any(hasattr(f, "get_placeholder_sql") for f in fields):
                _statements[key] = (sql, tuple(compiler.returning_params))
        self._obj, self._using, self._sql = obj, using, sql
        self._params = list(params)
        self._returning = returning
        self._compiler = compiler
        self._ran = False
        self._late = {f.name: (fields.index(f), f) for f in late_fields}
        self._late.update({f.attname: (fields.index(f), f) for f in late_fields})
        self._late_fields = late_names

    def run(self, **values: Any) -> Model:
        """Insert the row, the late fields given `values` (set on the instance too); the
        instance, saved."""
        unknown = set(values) - set(self._late)
        given = [self._late[name][1].attname for name in values if name in self._late]
        if unknown or len(given) != len(set(given)) or set(given) != self._late_fields:
            raise ValueError(f"each late field needs one value, not {sorted(values)}")
        if self._ran:
            raise ValueError("a prepared INSERT runs once")
        self._ran = True
        connection = connections[self._using]
        params = list(self._params)
        for name, value in values.items():
            index, field = self._late[name]
            setattr(self._obj, name, value)
            params[index] = field.get_db_prep_save(getattr(self._obj, field.attname), connection)
        table = self._obj._meta.db_table
        with transaction.mark_for_rollback_on_error(self._using), connection.cursor() as cursor:
            cursor.execute(self._sql, params)
            # Nothing comes back when the database makes no value (a primary key given).
            if self._returning:
                rows = connection.ops.fetch_returned_rows(cursor, self._compiler.returning_params)
        if self._returning:
            cols = [f.get_col(table) for f in self._returning]
            if converters := self._compiler.get_converters(cols):
                rows = self._compiler.apply_converters(rows, converters)
            for field, value in zip(self._returning, next(iter(rows)), strict=True):
                setattr(self._obj, field.attname, value)
        model = type(self._obj)
        self._obj._state.adding = False
        self._obj._state.db = self._using
        post_save.send(
            sender=model,
            instance=self._obj,
            created=True,
            update_fields=None,
            raw=False,
            using=self._using,
        )
        return self._obj
