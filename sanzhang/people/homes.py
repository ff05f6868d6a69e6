"""A resident's home: their household's place, read on every report that names no place.

The query is built with the ORM once per process and run again with each person's id: building
it (a join through two reverse relations) cost four fifths of the read, the database the rest.
"""

from __future__ import annotations

from functools import cache

from sanzhang.places.models import Place

_MARK = -7_310_553  # stands for the person's id while the query is built; no id is negative


@cache
def _sql() -> str:
    query = Place.objects.filter(households__members__pk=_MARK)[:1].query
    sql, params = query.sql_with_params()
    if list(params) != [_MARK]:  # the one value the query takes is the person's id
        raise AssertionError(f"unexpected parameters in the home query: {params!r}")
    return str(sql)


def home_of(person_id: int | None) -> Place | None:
    """The place of the person's household, or None (no person, or no household)."""
    if person_id is None:
        return None
    return next(iter(Place.objects.raw(_sql(), [person_id])), None)
