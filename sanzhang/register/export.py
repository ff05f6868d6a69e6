"""The register as a file in the import layout (one resident per row), so that what is
exported imports back as the same households and residents.

Used to hand the demo county's register to a test or a new install; the audited, masked
export for staff builds on it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db.models import QuerySet

from sanzhang.people.models import Household, Person

from .importing.layout import REGISTER

RELATION_NAMES = {
    "head": "户主",
    "spouse": "配偶",
    "child": "子女",
    "parent": "父母",
    "grandchild": "孙辈",
    "grandparent": "祖父母",
    "sibling": "兄弟姐妹",
    "other": "其他",
}


def household_number(household: Household) -> str:
    """The household's number in the register; households made before numbers were kept
    (the demo's, those entered by hand) get one from their row."""
    return household.ref or f"HH{household.pk:07d}"


def register_rows(households: QuerySet[Household] | None = None) -> Iterator[list[str]]:
    """The header, then one row per resident of `households` (all households still in the
    county), in household order."""
    if households is None:
        households = Household.objects.filter(moved_away_on__isnull=True)
    yield [chinese for _english, chinese in REGISTER.columns.values()]
    # Each household read (and its address decrypted) once, not once per resident.
    by_id = {h.pk: h for h in households.select_related("place")}
    tags: dict[int, list[str]] = {}
    through = Person.tags.through.objects.filter(person__household__in=households)
    for person_id, name in through.values_list("person_id", "tag__name"):
        tags.setdefault(person_id, []).append(name)
    people = Person.objects.filter(household__in=households).order_by("household_id", "pk")
    fields = ("pk", "household_id", "name", "id_number", "phone", "relation")
    for person in people.only(*fields).iterator(chunk_size=2000):
        household = by_id[person.household_id or 0]  # the filter keeps only members
        yield [
            household_number(household),
            household.place.code,
            household.door,
            household.address or "",
            person.name,
            person.id_number or "",
            person.phone or "",
            RELATION_NAMES.get(person.relation, ""),
            "；".join(sorted(tags.get(person.pk, []))),
        ]


def register_csv(households: QuerySet[Household] | None = None) -> bytes:
    """The register as CSV in UTF-8 with a byte-order mark (Excel then reads the Chinese)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(register_rows(households))
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
