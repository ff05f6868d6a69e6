"""Writing a checked import: new places in bulk, then renames and new shapes of changed ones."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING, Any

from django.db import transaction

from sanzhang.places.models import Place, PlaceEvent
from sanzhang.places.services import is_rural_child, rename_place
from sanzhang.places.tree import depth_of

from .checking import Row

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

BATCH = 1000
GEOMETRY = ("centre_lat", "centre_lng", "boundary")


@dataclass
class ImportResult:
    """What an import did (or, checking only, would do)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def count_changes(rows: list[Row], places: dict[str, Place]) -> ImportResult:
    result = ImportResult(rows=len(rows))
    for row in rows:
        existing = places.get(row.code)
        if existing is None:
            result.created += 1
        elif existing.name != row.name or geometry_changes(existing, row):
            result.updated += 1
        else:
            result.unchanged += 1
    return result


def geometry_changes(place: Place, row: Row) -> dict[str, Any]:
    """The centre and boundary values the row sets anew; a blank cell leaves the place's value."""
    given = {key: getattr(row, key) for key in GEOMETRY}
    return {k: v for k, v in given.items() if v is not None and getattr(place, k) != v}


def apply_rows(rows: list[Row], places: dict[str, Place], actor: Actor | None) -> None:
    """Rows in tree order (parents first); `places` holds the existing ones by code."""
    create_places([row for row in rows if row.code not in places], dict(places), actor)
    for row in rows:
        existing = places.get(row.code)
        if existing is not None:
            rename_place(existing, row.name, actor=actor, reason="import")
            changes = geometry_changes(existing, row)
            if changes:
                update_place_geometry(existing, changes, actor=actor, reason="import")


def create_places(rows: list[Row], placed: dict[str, Place], actor: Actor | None) -> None:
    """Create new places level by level, as `create_place` does one by one, in bulk.

    One at a time, 5,000 places took 9 s on SQLite and 19 s on PostgreSQL; in bulk, under a
    second. `check_tree` already made create_place's checks (kind under parent, code never
    used) for the whole file inside the same transaction, and the unique index on code
    still refuses a place created meanwhile by someone else.
    """
    events = []
    for _depth, level in groupby(rows, key=lambda row: depth_of(row.code)):
        new = [_new_place(row, placed) for row in level]
        Place.objects.bulk_create(new, batch_size=BATCH)
        placed.update((place.code, place) for place in new)
        events += [
            PlaceEvent(
                place=place,
                action=PlaceEvent.Action.CREATED,
                after={"code": place.code},
                actor=actor,
                reason="import",
            )
            for place in new
        ]
    PlaceEvent.objects.bulk_create(events, batch_size=BATCH)


def _new_place(row: Row, placed: dict[str, Place]) -> Place:
    parent = placed[row.parent_code] if row.parent_code else None
    return Place(
        parent=parent,
        kind=row.kind,
        name=row.name,
        code=row.code,
        depth=depth_of(row.code),
        is_rural=is_rural_child(parent, row.kind),
        centre_lat=row.centre_lat,
        centre_lng=row.centre_lng,
        boundary=row.boundary,
    )


def update_place_geometry(
    place: Place, changes: dict[str, Any], *, actor: Actor | None = None, reason: str = ""
) -> Place:
    """Set a place's centre or boundary, and record the old and new values of what changed."""
    changes = {k: v for k, v in changes.items() if k in GEOMETRY and getattr(place, k) != v}
    if not changes:
        return place
    before = {key: getattr(place, key) for key in changes}
    with transaction.atomic():
        Place.objects.filter(pk=place.pk).update(**changes)
        PlaceEvent.objects.create(
            place=place,
            action=PlaceEvent.Action.UPDATED,
            before=before,
            after=changes,
            actor=actor,
            reason=reason,
        )
    for key, value in changes.items():
        setattr(place, key, value)
    return place
