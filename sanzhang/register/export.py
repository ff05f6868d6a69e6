"""The register as a file in the import layout (one resident per row), so that what is
exported imports back as the same households and residents.

`register_rows` hands the demo county's register to a test or a new install (in full);
`export_register` is the staff's download: their area, masked unless they ask to reveal and
may, and written to the audit log. A masked file does not import back (its ID numbers are
not whole): it is for reading, not for moving the register.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, require
from sanzhang.access.scope import scope_filter
from sanzhang.audit.services import record
from sanzhang.core.masking import mask_address, mask_id_number, mask_phone
from sanzhang.core.xlsx import Column, Sheet, long_workbook, safe_text
from sanzhang.people.models import Household, Person
from sanzhang.people.services import may_reveal
from sanzhang.places.models import Place

from .importing.layout import REGISTER

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

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
HEADER = [chinese for _english, chinese in REGISTER.columns.values()]
WIDTHS = (12, 24, 8, 28, 10, 22, 14, 10, 20)  # as the template's
FORMATS = ("csv", "xlsx")


def household_number(household: Household) -> str:
    """The household's number in the register; households made before numbers were kept
    (the demo's, those entered by hand) get one from their row."""
    return household.ref or f"HH{household.pk:07d}"


def _shown(mask: bool) -> tuple[Callable[[str | None], str], ...]:
    """How the ID number, phone and address are written: masked as on screen, or whole."""
    if mask:
        return mask_id_number, mask_phone, mask_address
    whole: Callable[[str | None], str] = lambda value: value or ""  # noqa: E731
    return whole, whole, whole


def register_rows(
    households: QuerySet[Household] | None = None, *, mask: bool = False
) -> Iterator[list[str]]:
    """The header, then one row per resident of `households` (all households still in the
    county), in household order; ID numbers, phones and addresses masked if `mask`."""
    if households is None:
        households = Household.objects.filter(moved_away_on__isnull=True)
    id_number, phone, address = _shown(mask)
    yield list(HEADER)
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
            address(household.address),
            person.name,
            id_number(person.id_number),
            phone(person.phone),
            RELATION_NAMES.get(person.relation, ""),
            "；".join(sorted(tags.get(person.pk, []))),
        ]


def _csv(rows: Iterator[list[str]]) -> bytes:
    """CSV in UTF-8 with a byte-order mark (Excel then reads the Chinese)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def register_csv(households: QuerySet[Household] | None = None, *, mask: bool = False) -> bytes:
    """The register as CSV (see `register_rows`)."""
    return _csv(register_rows(households, mask=mask))


def _xlsx(rows: Iterator[list[str]]) -> bytes:
    next(rows)  # the header is the sheet's columns
    columns = [Column(header, width) for header, width in zip(HEADER, WIDTHS, strict=True)]
    return long_workbook(Sheet("住户名册", columns, rows))


@dataclass(frozen=True)
class Export:
    """A staff download of the register: the file, its name, and what the audit row said."""

    content: bytes
    filename: str
    rows: int
    revealed: bool


def export_register(
    actor: Actor,
    *,
    fmt: str,
    place: Place | None = None,
    reveal: bool = False,
    request: HttpRequest | None = None,
) -> Export:
    """The households still in the actor's area (under `place`, which the caller found in
    that area) with their residents, in the import layout; personal data masked unless the
    actor asks to `reveal` and holds the right to. One audit row says what left the system."""
    require(actor, Can.KEEP_REGISTER, _("Only community staff and the county office do that."))
    assert fmt in FORMATS  # nosec B101 # a caller's bug: the view refuses other formats first
    households = Household.objects.filter(
        scope_filter(actor, "place__code"), moved_away_on__isnull=True
    )
    if place is not None:
        households = households.filter(place__code__under=place.code)
    revealed = reveal and may_reveal(actor)
    counted = _Counted(register_rows(households, mask=not revealed))
    content = _csv(_defused(counted)) if fmt == "csv" else _xlsx(counted)
    code = place.code if place is not None else ""
    record(
        "register.exported",
        actor=actor,
        request=request,
        obj=place,
        detail={"place": code, "rows": counted.rows, "revealed": revealed, "format": fmt},
    )
    day = timezone.localdate().isoformat()
    filename = f"住户名册-{code or 'all'}-{day}.{fmt}"
    return Export(content, filename, counted.rows, revealed)


def _defused(rows: Iterator[list[str]]) -> Iterator[list[str]]:
    """Cells a spreadsheet would run as formulas (typed names, doors, addresses) made text, as
    the XLSX writer does; the import-layout file for installs (`register_csv`) stays raw."""
    for row in rows:
        yield [safe_text(cell) for cell in row]


class _Counted:
    """Rows passed through, the residents among them counted (the header is not one)."""

    def __init__(self, rows: Iterator[list[str]]) -> None:
        self._rows = rows
        self.rows = -1

    def __iter__(self) -> Iterator[list[str]]:
        return self

    def __next__(self) -> list[str]:
        row = next(self._rows)
        self.rows += 1
        return row
