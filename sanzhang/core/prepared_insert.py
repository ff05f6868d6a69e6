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
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections, transaction
from django.db.models import Model
from django.db.models.expressions import DatabaseDefault
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery


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
        # As Model._save_table: the primary key goes in when it is set (or filled in late),
        # else the database makes it and returns it.
        pk_given = obj.pk is not None or meta.pk in late_fields
        fields = [
            f
            for f in meta.local_concrete_fields
            if not f.generated and (pk_given or f not in meta.pk_fields)
        ]
        for field in fields:
            value = getattr(obj, field.attname)
            if field not in late_fields and (
                isinstance(value, DatabaseDefault) or hasattr(value, "resolve_expression")
            ):
                raise ValueError(f"{model.__name__}.{field.name} is an expression")
        # An unsaved related object is refused as save() refuses it (late ones are given later).
        obj._prepare_related_fields_for_save(  # type: ignore[attr-defined] # private, as save uses
            operation_name="save",
            fields=[f for f in meta.concrete_fields if f not in late_fields],
        )
        connection = connections[using]
        if not connection.features.can_return_columns_from_insert:
            raise ValueError("the database cannot return columns from an INSERT")
        returning = list(meta.db_returning_fields)
        query = InsertQuery(model)
        query.insert_values(fields, [obj])
        compiler = query.get_compiler(using=using)
        compiler.returning_fields = returning
        [(sql, params)] = compiler.as_sql()
        if len(params) != len(fields):
            raise ValueError(f"{model.__name__}'s values do not map one to one onto its columns")
        self._obj, self._using, self._sql = obj, using, sql
        self._params = list(params)
        self._returning = returning
        self._compiler = compiler
        self._ran = False
        self._late = {f.name: (fields.index(f), f) for f in late_fields}
        self._late.update({f.attname: (fields.index(f), f) for f in late_fields})
        self._late_fields = set(late_fields)

    def run(self, **values: Any) -> Model:
        """Insert the row, the late fields given `values` (set on the instance too); the
        instance, saved."""
        unknown = set(values) - set(self._late)
        given = [self._late[name][1] for name in values if name in self._late]
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
            rows = connection.ops.fetch_returned_rows(cursor, self._compiler.returning_params)
        converters = self._compiler.get_converters([f.get_col(table) for f in self._returning])
        if converters:
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
