"""The special groups (特殊人群) of households, for the pages where leaders pick whom to visit."""

from __future__ import annotations

from .models import Person


def special_groups_of(household_ids: list[int]) -> dict[int, list[str]]:
    """Household id → the special groups its residents belong to (one query, sorted names)."""
    found: dict[int, set[str]] = {}
    through = Person.tags.through.objects.filter(person__household_id__in=household_ids)
    for household_id, name in through.values_list("person__household_id", "tag__name"):
        found.setdefault(household_id, set()).add(name)
    return {household_id: sorted(names) for household_id, names in found.items()}


def household_heads(household_ids: list[int]) -> dict[int, str]:
    """Household id → the name of its head (户主), or of its first member when none is marked."""
    heads: dict[int, str] = {}
    members = (
        Person.objects.filter(household_id__in=household_ids)
        .order_by("household_id", "pk")
        .values_list("household_id", "name", "relation")
    )
    for household_id, name, relation in members:
        if household_id not in heads or relation == "head":
            heads[household_id] = name
    return heads
