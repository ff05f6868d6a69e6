"""Importing the party organisation from CSV or XLSX, like the other registers: every row
checked first, then all applied or nothing; an organisation is found again by its reference
(编号), so re-importing the same file changes nothing.

Columns: reference, the reference of the organisation above, kind (as a word or in Chinese),
name, the code of its place, and a work unit for a branch of a work unit. Rows may come in any
order: an organisation may name one above it further down the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanzhang.audit.services import record
from sanzhang.core.tables import ImportRefused, Layout, Problem, read_table
from sanzhang.places.models import Place
from sanzhang.places.tree import is_under, normalise_code

from .models import PartyOrganisation
from .services import CHILD_KINDS, check_parent, ensure_secretary_post

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

COLUMNS = {
    "ref": ("ref", "编号"),
    "parent_ref": ("parent_ref", "上级编号"),
    "kind": ("kind", "类别"),
    "name": ("name", "名称"),
    "place_code": ("place_code", "所在地编码"),
    "work_unit": ("work_unit", "单位"),
}
LAYOUT = Layout(
    columns=COLUMNS,
    required=("ref", "kind", "name", "place_code"),
    no_rows=gettext_lazy("The file has a header but no organisations."),
)
Kind = PartyOrganisation.Kind
# The kinds as the county writes them.
KIND_WORDS = {
    **{k.value: k.value for k in Kind},
    "党委": Kind.COMMITTEE,
    "党工委": Kind.WORKING_COMMITTEE,
    "党支部": Kind.BRANCH,
    "支部": Kind.BRANCH,
    "党小组": Kind.GROUP,
}


@dataclass
class Row:
    number: int
    ref: str
    parent_ref: str
    kind: str
    name: str
    place: Place
    work_unit: str


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created: int
    updated: int
    unchanged: int


def import_organisations(
    filename: str,
    data: bytes,
    *,
    actor: Actor,
    within: Callable[[str], bool],
    dry_run: bool = False,
    request: HttpRequest | None = None,
) -> ImportResult:
    table = read_table(filename, data, LAYOUT)
    problems: list[Problem] = []
    rows: dict[str, Row] = {}
    codes = {normalise_code(cells["place_code"]) for _n, cells in table.rows}
    places = {p.code: p for p in Place.objects.filter(code__in=codes)}
    for number, cells in table.rows:
        row = _parse(number, cells, places, within, problems)
        if row is None:
            continue
        if row.ref in rows:
            problems.append(Problem(number, "ref", _("This reference is on another row too.")))
            continue
        rows[row.ref] = row
    known = {o.ref: o for o in PartyOrganisation.objects.filter(ref__in=_refs(rows))}
    _check_parents(rows, known, problems, within)
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: p.row))
    with transaction.atomic():
        result = _write(rows, known)
        if dry_run:
            transaction.set_rollback(True)
        else:
            record(
                "party.imported",
                actor=actor,
                request=request,
                detail={"rows": result.rows, "created": result.created, "updated": result.updated},
            )
    return result


def _refs(rows: dict[str, Row]) -> set[str]:
    return set(rows) | {r.parent_ref for r in rows.values() if r.parent_ref}


def _parse(
    number: int,
    cells: dict[str, str],
    places: dict[str, Place],
    within: Callable[[str], bool],
    problems: list[Problem],
) -> Row | None:
    found = len(problems)
    ref, name = cells.get("ref", ""), cells.get("name", "")
    kind = KIND_WORDS.get(cells.get("kind", ""))
    if not ref:
        problems.append(Problem(number, "ref", _("A reference is needed.")))
    elif len(ref) > 40:
        problems.append(Problem(number, "ref", _("A reference has at most 40 characters.")))
    if kind is None:
        problems.append(
            Problem(number, "kind", _("The kind is one of 党委, 党工委, 党支部 or 党小组."))
        )
    if not name or len(name) > 100:
        problems.append(Problem(number, "name", _("A name of 1 to 100 characters is needed.")))
    place = places.get(normalise_code(cells.get("place_code", "")))
    if place is None or place.is_retired:
        problems.append(Problem(number, "place_code", _("No place has this code.")))
    elif not within(place.code):
        problems.append(Problem(number, "place_code", _("This place is not in your area.")))
    work_unit = cells.get("work_unit", "")
    if len(work_unit) > 100:
        problems.append(Problem(number, "work_unit", _("At most 100 characters.")))
    if len(problems) > found or kind is None or place is None:
        return None
    return Row(number, ref, cells.get("parent_ref", ""), kind, name, place, work_unit)


def _check_parents(
    rows: dict[str, Row],
    known: dict[str, PartyOrganisation],
    problems: list[Problem],
    within: Callable[[str], bool],
) -> None:
    for row in rows.values():
        existing = known.get(row.ref)
        if existing is not None and not within(existing.place.code):
            problems.append(Problem(row.number, "ref", _("This organisation is not in your area.")))
            continue
        parent: PartyOrganisation | None = None
        if row.parent_ref:
            if row.parent_ref == row.ref:
                problems.append(Problem(row.number, "parent_ref", _("It cannot sit under itself.")))
                continue
            above = rows.get(row.parent_ref)
            if above is not None:
                parent = PartyOrganisation(kind=above.kind, place=above.place)
            elif row.parent_ref in known:
                parent = known[row.parent_ref]
            else:
                message = _("No organisation has this reference, in the file or before.")
                problems.append(Problem(row.number, "parent_ref", message))
                continue
        why = check_parent(row.kind, parent, row.place)
        if why:
            problems.append(Problem(row.number, "parent_ref" if parent else "kind", why))
    _check_names(rows, problems)
    _check_children(rows, known, problems)


def _check_names(rows: dict[str, Row], problems: list[Problem]) -> None:
    """One name per kind at a place (as the table insists), in the file and with what is there."""
    seen: dict[tuple[int, str, str], str] = {}
    for row in rows.values():
        key = (row.place.pk, row.kind, row.name)
        if key in seen:
            message = _("Row with reference %(ref)s has the same kind and name at this place.")
            problems.append(Problem(row.number, "name", message % {"ref": seen[key]}))
        seen[key] = row.ref
    taken = PartyOrganisation.objects.filter(
        place__in=[r.place for r in rows.values()], name__in=[r.name for r in rows.values()]
    ).values_list("place_id", "kind", "name", "ref")
    by_key = {(r.place.pk, r.kind, r.name): r for r in rows.values()}
    for place_id, kind, name, ref in taken:
        same = by_key.get((place_id, kind, name))
        if same is not None and ref != same.ref:
            message = _("An organisation of this kind and name is at this place already.")
            problems.append(Problem(same.number, "name", message))


def _check_children(
    rows: dict[str, Row], known: dict[str, PartyOrganisation], problems: list[Problem]
) -> None:
    """A changed organisation must still hold what sits under it (kind and place)."""
    changed = {known[ref].pk: row for ref, row in rows.items() if ref in known}
    if not changed:
        return
    moving = {r.ref for r in rows.values()}
    children = PartyOrganisation.objects.filter(parent_id__in=changed).select_related("place")
    for child in children:
        if (child.ref and child.ref in moving) or child.parent_id is None:
            continue  # the file says where it goes now; checked as its own row
        row = changed[child.parent_id]
        if child.kind not in CHILD_KINDS[row.kind] or not is_under(
            child.place.code, row.place.code
        ):
            message = _("%(child)s sits under it and would no longer fit.")
            problems.append(Problem(row.number, "kind", message % {"child": child.name}))


def _write(rows: dict[str, Row], known: dict[str, PartyOrganisation]) -> ImportResult:
    created = updated = unchanged = 0
    by_ref = dict(known)
    # Parents first: a row's parent is written before it, whatever the file's order.
    for row in _parents_first(rows):
        parent = by_ref.get(row.parent_ref) if row.parent_ref else None
        wanted = {
            "kind": row.kind,
            "name": row.name,
            "place": row.place,
            "work_unit": row.work_unit,
            "parent": parent,
        }
        org = by_ref.get(row.ref)
        if org is None:
            org = PartyOrganisation.objects.create(ref=row.ref, **wanted)
            created += 1
        elif any(getattr(org, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(org, k, v)
            org.save()
            updated += 1
        else:
            unchanged += 1
        by_ref[row.ref] = org
        ensure_secretary_post(org)
    return ImportResult(len(rows), created, updated, unchanged)


def _parents_first(rows: dict[str, Row]) -> list[Row]:
    ordered: list[Row] = []
    placed: set[str] = set()

    def visit(row: Row, trail: set[str]) -> None:
        if row.ref in placed:
            return
        if row.ref in trail:  # a loop in the file: refused by the checks' place rule below
            raise ImportRefused([Problem(row.number, "parent_ref", _("These rows sit in a loop."))])
        above = rows.get(row.parent_ref)
        if above is not None:
            visit(above, trail | {row.ref})
        placed.add(row.ref)
        ordered.append(row)

    for row in rows.values():
        visit(row, set())
    return ordered


def template_csv() -> bytes:
    header = ",".join(names[1] for names in COLUMNS.values())
    example = [
        "DW-001,,党委,广昌县委,GC,",
        "GW-001,DW-001,党工委,旴江社区党工委,GC.C01,",
        "ZB-001,GW-001,党支部,旴江社区第一网格党支部,GC.C01.G01,",
        "XZ-001,ZB-001,党小组,1栋党小组,GC.C01.G01.B01,",
    ]
    return ("\ufeff" + "\n".join([header, *example]) + "\n").encode("utf-8")
