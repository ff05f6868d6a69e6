"""Importing places from CSV or XLSX: read, check everything, then apply all or nothing.

The layout is in docs/import-format.md. A file with any problem is refused whole, with every
problem listed by row and column; re-importing the same file changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from sanzhang.audit.services import record

from .checking import Problems, Row, parse_row
from .matching import Known, by_depth, check_tree, load_known
from .reading import ImportRefused, Problem, read_table, refuse
from .writing import ImportResult, apply_rows, count_changes, update_place_geometry

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

# The stages of an import, in order, each named as it starts (for a progress bar); a check-only
# run stops before writing.
STAGES = ["reading", "checking", "writing"]
Stage = Callable[[str], None]

__all__ = [
    "STAGES",
    "ImportRefused",
    "ImportResult",
    "Problem",
    "check_file",
    "import_places",
    "update_place_geometry",
]


def _no_stage(name: str) -> None:
    pass


def check_file(
    filename: str,
    data: bytes,
    within: Callable[[str], bool] | None = None,
    stage: Stage = _no_stage,
) -> tuple[list[Row], Known]:
    """The file's rows in tree order (parents first), or ImportRefused listing every problem.
    `within` says which codes the importer may write (its own county); others are refused."""
    stage("reading")
    table = read_table(filename, data)
    stage("checking")
    problems = Problems(table.headers)
    rows, unreadable = [], set()
    for line, values in table.rows:
        row = parse_row(line, values, problems)
        if row is None:
            unreadable.add(values.get("code", "").strip().upper())
        elif within is not None and not within(row.code):
            problems.add(line, "code", _("This place is outside your area."))
        else:
            rows.append(row)
    known = load_known(rows)
    check_tree(rows, known, problems, unreadable)
    if problems.items:
        raise ImportRefused(problems.sorted())
    return by_depth(rows), known


def import_places(
    filename: str,
    data: bytes,
    *,
    actor: Actor | None = None,
    request: HttpRequest | None = None,
    dry_run: bool = False,
    within: Callable[[str], bool] | None = None,
    stage: Stage = _no_stage,
) -> ImportResult:
    """Check the whole file, then (unless dry_run) write it in one transaction.

    Raises ImportRefused, with nothing written, if anything is wrong. The check runs inside
    the writing transaction so that the tree cannot change between checking and writing.
    """
    if dry_run:
        rows, known = check_file(filename, data, within, stage)
        return count_changes(rows, known.places)
    detail: dict[str, Any] = {"file": filename[-100:]}
    try:
        with transaction.atomic():
            rows, known = check_file(filename, data, within, stage)
            result = count_changes(rows, known.places)
            stage("writing")
            apply_rows(rows, known.places, actor)
            detail.update(result.__dict__)
            record("places.imported", actor=actor, request=request, detail=detail)
    except IntegrityError as error:
        # Someone created one of the file's codes between our check and our insert.
        changed = refuse(0, _("The places changed during the import; upload the file again."))
        _record_refusal(detail, changed, actor, request)
        raise changed from error
    except ImportRefused as refused:
        _record_refusal(detail, refused, actor, request)
        raise
    return result


def _record_refusal(
    detail: dict[str, Any], refused: ImportRefused, actor: Actor | None, request: HttpRequest | None
) -> None:
    detail["problems"] = len(refused.problems)
    record("places.imported", actor=actor, request=request, outcome="refused", detail=detail)
