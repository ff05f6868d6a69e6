"""Many counts in one query: each a subquery of one SELECT, so a page that shows a dozen
figures pays one round trip for them, while each count is still its own small scan."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Subquery, Value, When


class _CountOf(Subquery):
    """How many rows a queryset holds, as one column of a larger SELECT."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


class _SumOf(Subquery):
    """How many rows of a queryset meet a condition (its `flag` column, 1 or 0)."""

    template = "(SELECT COALESCE(SUM(flag), 0) FROM (%(subquery)s) flagged)"
    output_field = IntegerField()


# A count: every row of a queryset, or (queryset, condition) for those rows meeting it. The
# condition stays out of the queryset's WHERE so the database picks the index of what
# narrows the rows (a time range), not that of a column as common as a state.
Counted = QuerySet[Any] | tuple[QuerySet[Any], Q]


def count_all(one_row: QuerySet[Any], counts: dict[str, Counted]) -> dict[str, int]:
    """Name → each count, all in one query, read alongside the row `one_row` selects (any
    row that exists: the SELECT needs a table to read from)."""
    if not counts:
        return {}
    columns: dict[str, Subquery] = {}
    for name, counted in counts.items():
        # Columns named apart from the row's own fields and relations.
        if isinstance(counted, tuple):
            rows, condition = counted
            flag = Case(When(condition, then=Value(1)), default=Value(0))
            columns[f"n_{name}"] = _SumOf(rows.order_by().values(flag=flag))
        else:
            columns[f"n_{name}"] = _CountOf(counted.order_by().values("pk"))
    found: dict[str, Any] = dict(one_row.values(**columns).get())
    return {name: found[f"n_{name}"] for name in counts}
