"""Checking import rows against each other and against the tree as it is (looked up in bulk)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sanzhang.places.models import Place, PlaceCodeAlias, PlaceKind
from sanzhang.places.services import PlaceError, check_child_kind, is_rural_child
from sanzhang.places.tree import depth_of

from .checking import Problems, Row

CHUNK = 2000  # codes per IN (...) query: under SQLite's and PostgreSQL's parameter limits


@dataclass
class Known:
    """What the database already holds for the codes a file mentions."""

    places: dict[str, Place] = field(default_factory=dict)
    old_codes: set[str] = field(default_factory=set)


def load_known(rows: list[Row]) -> Known:
    """A few queries whatever the file's size: one per CHUNK codes, not one per row."""
    codes = sorted({row.code for row in rows} | {row.parent_code for row in rows} - {""})
    known = Known()
    for chunk in _chunks(codes):
        known.places.update((p.code, p) for p in Place.objects.filter(code__in=chunk))
        aliases = PlaceCodeAlias.objects.filter(code__in=chunk).values_list("code", flat=True)
        known.old_codes.update(aliases)
    return known


def _chunks(codes: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(codes), CHUNK):
        yield codes[start : start + CHUNK]


def by_depth(rows: Iterable[Row]) -> list[Row]:
    """Parents before children; within a level, in the file's order."""
    return sorted(rows, key=lambda row: (depth_of(row.code), row.line))


def check_tree(rows: list[Row], known: Known, problems: Problems, unreadable: set[str]) -> None:
    """Duplicates, old codes, clashes with existing places, parents and kinds under them.

    `unreadable` holds the codes of rows refused for their own cells: their children are not
    told that the parent is missing, since the parent's row already has its problem listed.
    """
    in_file: dict[str, Row] = {}
    for row in rows:
        if row.code in in_file:
            message = _("The code repeats row %(row)d.") % {"row": in_file[row.code].line}
            problems.add(row.line, "code", message)
        else:
            in_file[row.code] = row
    # Stand-ins for the places the file will create, so the service's own kind rules apply.
    parents: dict[str, Place] = dict(known.places)
    for row in by_depth(in_file.values()):
        _check_existing(row, known, problems)
        parent = parents.get(row.parent_code) if row.parent_code else None
        if row.parent_code and parent is None:
            if row.parent_code not in unreadable:
                message = _("No place has the parent code %(code)s.") % {"code": row.parent_code}
                problems.add(row.line, "parent_code", message)
        elif row.code not in known.places:  # an existing place's kind was checked above
            _check_kind_under(row, parent, problems)
        stand_in = Place(code=row.code, kind=row.kind, is_rural=is_rural_child(parent, row.kind))
        parents.setdefault(row.code, stand_in)


def _check_existing(row: Row, known: Known, problems: Problems) -> None:
    if row.code in known.old_codes:
        message = _("This code belonged to a place that has moved; codes are never reused.")
        problems.add(row.line, "code", message)
    existing = known.places.get(row.code)
    if existing is not None and existing.kind != row.kind:
        message = _("The code is already used by a %(kind)s.") % {
            "kind": PlaceKind(existing.kind).label
        }
        problems.add(row.line, "kind", message)


def _check_kind_under(row: Row, parent: Place | None, problems: Problems) -> None:
    if parent is not None and parent.is_retired:
        message = _("The parent place %(code)s is retired.") % {"code": row.parent_code}
        problems.add(row.line, "parent_code", message)
    try:
        check_child_kind(parent, row.kind)
    except PlaceError as error:
        problems.add(row.line, "kind", str(error))
