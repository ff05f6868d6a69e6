"""Writing a checked register file: what changes (counted for a check-only run too), then the
writes in bulk. Empty optional cells keep what the register holds: an import adds and
corrects, it never erases (a move out is an explicit action)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.core.crypto import keyed_hash
from sanzhang.core.tables import Problems
from sanzhang.people.models import Household, HouseholdMove, Person, Tag
from sanzhang.places.models import Place, PlaceKind
from sanzhang.places.tree import is_under

from .checking import Checked, ResidentRow
from .tags import TagBook

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

CHUNK = 5000  # lookups per query, well under SQLite's limit of bound variables
PERSON_FIELDS = ["name", "gender", "birth_year", "phone", "phone_hash", "relation", "household"]


@dataclass
class RegisterResult:
    """What an import did (or, checking only, would do)."""

    rows: int = 0
    households_created: int = 0
    households_updated: int = 0
    households_moved: int = 0
    people_created: int = 0
    people_updated: int = 0
    unchanged: int = 0


@dataclass
class Plan:
    result: RegisterResult
    households: dict[str, Household] = field(default_factory=dict)  # by number, new or found
    new_households: list[Household] = field(default_factory=list)
    changed_households: list[Household] = field(default_factory=list)
    moves: list[HouseholdMove] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)  # by ID hash, found
    tags: dict[str, list[Tag]] = field(default_factory=dict)  # by ID hash, as the file says


def _chunks[T](items: list[T]) -> Iterator[list[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def find_existing(
    checked: Checked, problems: Problems, within: Callable[[str], bool] | None
) -> tuple[dict[str, Household], dict[str, Person]]:
    """The households (by number, in the row's county: numbers are a county's own) and people
    (by ID hash) the file names that the register already holds. A household of that number
    outside the importer's area, a household that moved away, and a person kept by a
    household of another area or county are problems: those are explicit moves first."""
    county_of = _counties()
    households: dict[str, Household] = {}
    for refs in _chunks(sorted(checked.households)):
        found = Household.objects.filter(ref__in=refs).select_related("place").order_by("pk")
        for household in found:
            first = checked.households[household.ref][0]
            if county_of(household.place.code) != county_of(first.place_code):
                continue  # another county's household with the same number
            if household.ref in households:
                continue
            households[household.ref] = household
            if within is not None and not within(household.place.code):
                message = _("This household number belongs to a household outside your area.")
                problems.add(first.line, "household", message)
            elif household.moved_away_on is not None:
                message = _(
                    "This household moved away on %(on)s; move it back on its page first."
                ) % {"on": household.moved_away_on.isoformat()}
                problems.add(first.line, "household", message)
    rows = {
        row.id_hash: row
        for members in checked.households.values()
        for row in members
        if row.id_number
    }
    people: dict[str, Person] = {}
    for hashes in _chunks(sorted(rows)):
        found_people = (
            Person.objects.filter(id_number_hash__in=hashes)
            .select_related("household__place")
            .prefetch_related("tags")
        )
        for person in found_people:
            home = person.household
            row = rows[person.id_number_hash]
            kept_elsewhere = (
                home is not None
                and home.moved_away_on is None
                and (
                    (within is not None and not within(home.place.code))
                    or county_of(home.place.code) != county_of(row.place_code)
                )
            )
            if kept_elsewhere:
                message = _("This resident belongs to a household outside your area.")
                problems.add(rows[person.id_number_hash].line, "id_number", message)
            people[person.id_number_hash] = person
    return households, people


def _counties() -> Callable[[str], str]:
    """The county a place code lies in ("" above any county)."""
    codes = sorted(
        Place.objects.filter(kind=PlaceKind.COUNTY).values_list("code", flat=True),
        key=len,
        reverse=True,
    )

    def county_of(code: str) -> str:
        return next((c for c in codes if is_under(code, c)), "")

    return county_of


def plan(
    checked: Checked,
    households: dict[str, Household],
    people: dict[str, Person],
    tag_book: TagBook,
    tags_given: bool,
    actor: Actor | None,
) -> Plan:
    rows = sum(len(members) for members in checked.households.values())
    result = RegisterResult(rows=rows)
    work = Plan(result, people=people)
    now = timezone.now()
    for ref, members in checked.households.items():
        first = members[0]
        place = checked.places[first.place_code]
        household = households.get(ref)
        if household is None:
            household = Household(ref=ref, place=place, door=first.door, address=first.address)
            work.new_households.append(household)
            result.households_created += 1
        else:
            changed = False
            if household.place_id != place.pk:
                work.moves.append(
                    HouseholdMove(
                        household=household,
                        from_place=household.place,
                        to_place=place,
                        at=now,
                        by=actor,
                        reason=_("Register import"),
                    )
                )
                household.place = place
                result.households_moved += 1
                changed = True
            for name in ("door", "address"):
                value = getattr(first, name)
                if value and value != (getattr(household, name) or ""):
                    setattr(household, name, value)
                    changed = True
            if changed:
                work.changed_households.append(household)
                result.households_updated += 1
        work.households[ref] = household
        if tags_given:
            known = tag_book.at(place.code)
            for row in members:
                work.tags[row.id_hash] = [known[name] for name in row.tags]
    return work


def person_changes(person: Person, row: ResidentRow, household: Household) -> bool:
    """Bring `person` to what `row` says (empty cells keep their value); True if anything
    changed."""
    changed = False
    wanted = {
        "name": row.name,
        "gender": row.gender,
        "birth_year": row.birth_year,
        "relation": row.relation,
    }
    for name, value in wanted.items():
        if value and getattr(person, name) != value:
            setattr(person, name, value)
            changed = True
    if row.phone and person.phone_hash != keyed_hash(row.phone):
        person.phone = row.phone
        changed = True
    if person.household_id is None or person.household_id != household.pk:
        person.household = household
        changed = True
    return changed


def write(checked: Checked, work: Plan) -> None:
    """The planned writes, in bulk, in the caller's transaction."""
    Household.objects.bulk_create(work.new_households, batch_size=2000)
    Household.objects.bulk_update(
        work.changed_households, ["place", "door", "address", "moved_away_on"], batch_size=2000
    )
    HouseholdMove.objects.bulk_create(work.moves, batch_size=2000)
    result = work.result
    new_people: list[Person] = []
    changed_people: list[Person] = []
    retagged: list[tuple[Person, list[Tag]]] = []
    for ref, members in checked.households.items():
        household = work.households[ref]
        for row in members:
            person = work.people.get(row.id_hash)
            tags = work.tags.get(row.id_hash)
            if person is None:
                person = Person(id_number=row.id_number)
                person_changes(person, row, household)
                person.fill_hashes()
                new_people.append(person)
                result.people_created += 1
                if tags:
                    retagged.append((person, tags))
                continue
            changed = person_changes(person, row, household)
            if changed:
                person.fill_hashes()
                changed_people.append(person)
            if tags is not None and {t.pk for t in tags} != {t.pk for t in person.tags.all()}:
                retagged.append((person, tags))
                changed = True
            if changed:
                result.people_updated += 1
            else:
                result.unchanged += 1
    Person.objects.bulk_create(new_people, batch_size=2000)
    Person.objects.bulk_update(changed_people, PERSON_FIELDS, batch_size=2000)
    _retag(retagged)


def count_people(checked: Checked, work: Plan) -> None:
    """Fill the people's counts of a check-only run (the writer counts its own)."""
    result = work.result
    for ref, members in checked.households.items():
        household = work.households[ref]
        for row in members:
            person = work.people.get(row.id_hash)
            if person is None:
                result.people_created += 1
                continue
            tags = work.tags.get(row.id_hash)
            moved = household.pk is None or person.household_id != household.pk
            changed = moved or _would_change(person, row)
            if tags is not None and {t.pk for t in tags} != {t.pk for t in person.tags.all()}:
                changed = True
            if changed:
                result.people_updated += 1
            else:
                result.unchanged += 1


def _would_change(person: Person, row: ResidentRow) -> bool:
    wanted = {"name": row.name, "gender": row.gender, "birth_year": row.birth_year}
    wanted["relation"] = row.relation
    if any(value and getattr(person, name) != value for name, value in wanted.items()):
        return True
    return bool(row.phone) and person.phone_hash != keyed_hash(row.phone)


def _retag(retagged: Iterable[tuple[Person, list[Tag]]]) -> None:
    through = Person.tags.through
    pairs = list(retagged)
    ids = [person.pk for person, _tags in pairs]
    for chunk in _chunks(ids):
        through.objects.filter(Q(person_id__in=chunk)).delete()
    through.objects.bulk_create(
        [through(person_id=person.pk, tag_id=tag.pk) for person, tags in pairs for tag in tags],
        batch_size=2000,
    )
