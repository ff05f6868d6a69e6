"""The special groups in force at a place: the install's defaults and those of every place
above it (a county's own list, a province's), the nearest winning for a name."""

from __future__ import annotations

from sanzhang.people.models import Tag
from sanzhang.places.tree import is_under


class TagBook:
    def __init__(self) -> None:
        rows = Tag.objects.select_related("place").order_by("place__depth")
        self._tags = [(tag.place.code if tag.place else "", tag) for tag in rows]
        self._at: dict[str, dict[str, Tag]] = {}

    def at(self, place_code: str) -> dict[str, Tag]:
        """Name → tag in force at `place_code` (nearest jurisdiction last, so it wins)."""
        found = self._at.get(place_code)
        if found is None:
            found = {}
            for code, tag in self._tags:
                if not code or is_under(place_code, code):
                    found[tag.name] = tag
            self._at[place_code] = found
        return found
