"""Importing places from CSV or XLSX: read, check everything, then apply all or nothing.

The layout is in docs/import-format.md. A file with any problem is refused whole, with every
problem listed by row and column; re-importing the same file changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from sanzhang.audit.services import record
from sanzhang.places.models import Place, PlaceEvent
from sanzhang.places.services import create_place, rename_place

from .checking import Known, Row, RowChecker, by_depth, check_tree, load_known
from .reading import ImportRefused, Problem, read_table

__all__ = ["ImportRefused", "ImportResult", "Problem", "check_file", "import_places"]


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def check_file(filename: str, data: bytes) -> tuple[list[Row], Known]:
    """The file's rows, in tree order, or ImportRefused listing every problem."""
    checker = RowChecker()
    rows = [
        row
        for line, values in read_table(filename, data)
        if (row := checker.parse(line, values)) is not None
    ]
    known = load_known(rows)
    check_tree(rows, known, checker)
    if checker.problems:
        raise ImportRefused(sorted(checker.problems, key=lambda p: (p.row, p.column)))
    return by_depth(rows), known


def import_places(
    filename: str, data: bytes, *, actor: Any = None, dry_run: bool = False
) -> ImportResult:
    rows, known = check_file(filename, data)
    result = ImportResult(rows=len(rows))
    if dry_run:
        result.created = sum(row.code not in known.places for row in rows)
        return result
    with transaction.atomic():
        placed = dict(known.places)
        for row in rows:
            _apply(row, placed, result, actor)
        record(
            "places.imported",
            actor=actor,
            detail={"file": filename[:100], **result.__dict__},
        )
    return result


def _apply(row: Row, placed: dict[str, Place], result: ImportResult, actor: Any) -> None:
    existing = placed.get(row.code)
    if existing is None:
        placed[row.code] = create_place(
            parent=placed.get(row.parent_code) if row.parent_code else None,
            kind=row.kind,
            segment=row.code.rsplit(".", 1)[-1],
            name=row.name,
            actor=actor,
            centre_lat=row.centre_lat,
            centre_lng=row.centre_lng,
            boundary=row.boundary,
        )
        result.created += 1
        return
    changed = existing.name != row.name
    if changed:
        rename_place(existing, row.name, actor=actor, reason="import")
    changed |= _update_geometry(existing, row, actor)
    if changed:
        result.updated += 1
    else:
        result.unchanged += 1


def _update_geometry(place: Place, row: Row, actor: Any) -> bool:
    """Set the centre and boundary the row gives; a blank cell leaves the place's value alone."""
    given = {
        "centre_lat": row.centre_lat,
        "centre_lng": row.centre_lng,
        "boundary": row.boundary,
    }
    after = {key: value for key, value in given.items() if value is not None}
    before = {key: getattr(place, key) for key in after}
    if before == after:
        return False
    Place.objects.filter(pk=place.pk).update(**after)
    PlaceEvent.objects.create(
        place=place,
        action=PlaceEvent.Action.UPDATED,
        before=before,
        after=after,
        actor=actor,
        reason="import",
    )
    return True
