"""Hierarchical place codes (统一编号) and the `under` lookup that selects a subtree.

A code is its place's address: segments of capital letters and digits joined by dots, the
parent's code plus one segment ("GC.C01.G03.B012.U2"). "Everything under X" is then one
indexed prefix query on any model that stores or joins to a code, at any depth.
"""

import re
from collections.abc import Container

from django.db import models
from django.db.models import Lookup
from django.utils.translation import gettext as _

from sanzhang.core.errors import Invalid

SEPARATOR = "."
CODE_RE = re.compile(r"^[0-9A-Z]+(\.[0-9A-Z]+)*$")
SEGMENT_RE = re.compile(r"^[0-9A-Z]+$")


def normalise_code(code: str) -> str:
    return code.strip().upper()


def is_valid_code(code: str) -> bool:
    return bool(CODE_RE.match(code))


def under_code(value: str) -> str:
    """A place code a caller gave to filter by (an API's `under`), normalised; refused as
    invalid input when it cannot be one, since the `under` lookup takes only codes."""
    code = normalise_code(value)
    if not is_valid_code(code):
        raise Invalid(_("Enter a place code such as GC.C01.G01."))
    return code


def parent_code_of(code: str) -> str | None:
    head, sep, _ = code.rpartition(SEPARATOR)
    return head if sep else None


def depth_of(code: str) -> int:
    return code.count(SEPARATOR)


def is_under(code: str, ancestor: str) -> bool:
    """`code` is `ancestor` itself or anywhere below it (the `under` lookup, in Python)."""
    return code == ancestor or code.startswith(ancestor + SEPARATOR)


def lineage(code: str) -> list[str]:
    """The codes from the root down to `code` itself: "A.B.C" → ["A", "A.B", "A.B.C"]."""
    parts = code.split(SEPARATOR)
    return [SEPARATOR.join(parts[: i + 1]) for i in range(len(parts))]


def nearest_in(code: str, codes: Container[str]) -> str | None:
    """The lowest of `code`'s lineage (itself first, then up) that is one of `codes`."""
    return next((c for c in reversed(lineage(code)) if c in codes), None)


def code_at_depth(code: str, depth: int) -> str:
    """`code`'s ancestor at `depth` (0 is the root); `code` itself when it is not as deep."""
    return SEPARATOR.join(code.split(SEPARATOR)[: depth + 1])


def child_code(parent_code: str, segment: str) -> str:
    return f"{parent_code}{SEPARATOR}{segment}"


class TreeCodeField(models.CharField):
    """A place code column; supports `field__under=code` for subtree selection."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("max_length", 80)
        super().__init__(*args, **kwargs)


@TreeCodeField.register_lookup
class Under(Lookup):
    """`code__under="A.B"` matches "A.B" itself and every "A.B.…" below it.

    On SQLite (and by default) it is a range over the code alphabet: "/" sorts just after
    ".", and digits and letters after "/", so [X, X + "/") holds exactly X and X.*. This
    uses the plain B-tree index. On PostgreSQL, whose text ordering follows the database's
    collation, it is an equality or a LIKE prefix, served by the `_like` pattern index that
    Django adds to every indexed CharField.
    """

    lookup_name = "under"
    prepare_rhs = False

    def _code(self) -> str:
        if not isinstance(self.rhs, str) or not is_valid_code(self.rhs):
            raise ValueError(f"not a place code: {self.rhs!r}")
        return self.rhs

    def as_sql(self, compiler, connection):  # type: ignore[no-untyped-def]
        lhs, lhs_params = self.process_lhs(compiler, connection)
        code = self._code()
        sql = f"({lhs} >= %s AND {lhs} < %s)"
        return sql, (*lhs_params, code, *lhs_params, code + "/")

    def as_postgresql(self, compiler, connection):  # type: ignore[no-untyped-def]
        lhs, lhs_params = self.process_lhs(compiler, connection)
        code = self._code()  # the alphabet has no LIKE wildcards, so nothing to escape
        sql = f"({lhs} = %s OR {lhs} LIKE %s)"
        return sql, (*lhs_params, code, *lhs_params, code + SEPARATOR + "%")
