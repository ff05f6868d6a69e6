"""Checking a register file: each row's own cells, then the file as a whole (households agree
with themselves, places exist and hold households, the importer's area, one row per person)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _
from stdnum.cn import ric

from sanzhang.core.crypto import keyed_hash
from sanzhang.core.tables import Problems
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import normalise_code

from .layout import RELATIONS, TAG_SEPARATORS
from .tags import TagBook

MAX_NAME = 50  # Person.name
MAX_DOOR = 40  # Household.door
MAX_REF = 40  # Household.ref
MAX_ADDRESS = 200
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
_SPLIT_TAGS = re.compile("[" + re.escape(TAG_SEPARATORS) + "]+")


@dataclass
class ResidentRow:
    """One resident as the file gives them, after their own cells were checked."""

    line: int
    household: str
    place_code: str
    door: str
    address: str
    name: str
    id_number: str
    phone: str
    relation: str
    tags: list[str] = field(default_factory=list)

    @cached_property
    def id_hash(self) -> str:
        return keyed_hash(self.id_number)

    @property
    def gender(self) -> str:
        return "M" if int(self.id_number[16]) % 2 else "F"

    @property
    def birth_year(self) -> int:
        return int(self.id_number[6:10])


def parse_row(
    line: int, values: dict[str, str], problems: Problems, today: datetime.date
) -> ResidentRow:
    """The row's own values, its problems added; a wrong cell is left empty, so that the
    whole-file checks still look at the rest of the row (every problem is listed at once)."""
    household = values.get("household", "")
    if not household:
        problems.add(line, "household", _("Give the household number."))
    elif len(household) > MAX_REF:
        problems.add(line, "household", _("At most %(n)d characters.") % {"n": MAX_REF})
    place_code = normalise_code(values.get("place", ""))
    if not place_code:
        problems.add(line, "place", _("Give the code of the unit or rural grid."))
    name = values.get("name", "")
    if not name:
        problems.add(line, "name", _("Give the resident's name."))
    elif len(name) > MAX_NAME:
        problems.add(line, "name", _("At most %(n)d characters.") % {"n": MAX_NAME})
    id_number = _id_number(line, values.get("id_number", ""), problems, today)
    phone = "".join(values.get("phone", "").split())
    if phone and not PHONE.match(phone):
        problems.add(line, "phone", _("Not a mobile (11 digits) or landline number."))
    relation = _relation(line, values.get("relation", ""), problems)
    door = values.get("door", "")
    if len(door) > MAX_DOOR:
        problems.add(line, "door", _("At most %(n)d characters.") % {"n": MAX_DOOR})
    address = values.get("address", "")
    if len(address) > MAX_ADDRESS:
        problems.add(line, "address", _("At most %(n)d characters.") % {"n": MAX_ADDRESS})
    tags = [tag for tag in _SPLIT_TAGS.split(values.get("tags", "")) if tag]
    return ResidentRow(
        line, household, place_code, door, address, name, id_number, phone, relation, tags
    )


def _id_number(line: int, text: str, problems: Problems, today: datetime.date) -> str:
    number, problem = check_id_number(text, today)
    if problem:
        problems.add(line, "id_number", problem)
    return number


def check_id_number(text: str, today: datetime.date) -> tuple[str, str]:
    """The ID number as the register keeps it (no spaces, a capital X), or "" and why not;
    the import and the hand-edit pages both read numbers through this."""
    # The check digit is stdnum's; its full validate() also insists that the area code
    # existed in the year of birth, which refuses real numbers issued after a county was
    # renumbered (广昌县 is 361030 only since 2000).
    number = "".join(text.split()).upper()
    if not number:
        return "", _("Give the resident's ID number.")
    if len(number) != 18 or not number[:17].isdigit():
        return "", _("Not a valid ID number (18 characters, the last a digit or X).")
    if number[-1] != ric.calc_check_digit(number):
        return "", _("The ID number's check digit is wrong: a typing error?")
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        born = None
    if born is None or born > today or born < datetime.date(1890, 1, 1):
        return "", _("The ID number holds no valid date of birth.")
    return number, ""


def _relation(line: int, text: str, problems: Problems) -> str:
    if not text:
        return ""
    relation = RELATIONS.get(text) or (text.lower() if text.lower() in RELATIONS.values() else "")
    if not relation:
        names = "、".join(name for name in RELATIONS if len(name) > 1 or name in "妻夫子女")
        problems.add(
            line, "relation", _("Unknown relation; use one of: %(names)s.") % {"names": names}
        )
    return relation


def holds_households(place: Place) -> bool:
    """A household sits in a unit in town, or directly in a grid in the villages."""
    return place.kind == PlaceKind.UNIT or (place.kind == PlaceKind.GRID and place.is_rural)


@dataclass
class Checked:
    """A file that passed: its residents by household number, and the places they name."""

    households: dict[str, list[ResidentRow]]
    places: dict[str, Place]


def check_rows(
    rows: list[ResidentRow],
    problems: Problems,
    within: Callable[[str], bool] | None,
    tags: TagBook,
) -> Checked:
    """Whole-file checks: each ID once, each household's rows agree, its place exists, holds
    households and lies in the importer's area, every special group is one the county keeps."""
    first_line: dict[str, int] = {}
    households: dict[str, list[ResidentRow]] = {}
    for row in rows:
        seen = first_line.setdefault(row.id_number, row.line) if row.id_number else row.line
        if seen != row.line:
            message = _("This ID number is already on row %(row)d.") % {"row": seen}
            problems.add(row.line, "id_number", message)
        # A row with no number stands alone (its own problem is listed already).
        households.setdefault(row.household or f"\0{row.line}", []).append(row)
        known = tags.at(row.place_code)
        for tag in row.tags:
            if tag not in known:
                message = _("Unknown special group “%(tag)s”; the county's list: %(names)s.") % {
                    "tag": tag,
                    "names": "、".join(sorted(known)),
                }
                problems.add(row.line, "tags", message)
    codes = {row.place_code for row in rows if row.place_code}
    places = {p.code: p for p in Place.objects.filter(code__in=codes, retired_at__isnull=True)}
    for members in households.values():
        _check_household(members, places, problems, within)
    return Checked(households, places)


def _check_household(
    members: list[ResidentRow],
    places: dict[str, Place],
    problems: Problems,
    within: Callable[[str], bool] | None,
) -> None:
    first = members[0]
    for row in members[1:]:
        for key, value, expected in (
            ("place", row.place_code, first.place_code),
            ("door", row.door, first.door),
            ("address", row.address, first.address),
        ):
            if value and expected and value != expected:
                message = _("Household %(ref)s has another value on row %(row)d.") % {
                    "ref": row.household,
                    "row": first.line,
                }
                problems.add(row.line, key, message)
    heads = [row for row in members if row.relation == "head"]
    for row in heads[1:]:
        message = _("Household %(ref)s already has its head on row %(row)d.") % {
            "ref": row.household,
            "row": heads[0].line,
        }
        problems.add(row.line, "relation", message)
    if not first.place_code:
        return
    place = places.get(first.place_code)
    if place is None:
        problems.add(first.line, "place", _("No such place (or it was retired)."))
    elif not holds_households(place):
        problems.add(first.line, "place", _("Households belong to a unit, or a village grid."))
    elif within is not None and not within(place.code):
        problems.add(first.line, "place", _("This place is outside your area."))
