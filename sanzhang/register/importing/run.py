"""Importing the register: read, check everything, then write all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.audit.services import record
from sanzhang.core.tables import ImportRefused, Problems, read_table, refuse

from .checking import Checked, check_rows, parse_row
from .layout import REGISTER
from .tags import TagBook
from .writing import RegisterResult, count_people, find_existing, plan, write

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

__all__ = ["STAGES", "RegisterResult", "import_register"]

# The stages of an import, in order, each named as it starts (for a progress bar); a check-only
# run stops before writing.
STAGES = ["reading", "checking", "writing"]
Stage = Callable[[str], None]


def _no_stage(name: str) -> None:
    pass


def import_register(
    filename: str,
    data: bytes,
    *,
    actor: Actor | None = None,
    request: HttpRequest | None = None,
    dry_run: bool = False,
    within: Callable[[str], bool] | None = None,
    stage: Stage = _no_stage,
) -> RegisterResult:
    """Check the whole file, then (unless `dry_run`) write it in one transaction.

    `within` says which places the importer may write (their community, their county); rows
    elsewhere are refused. Raises ImportRefused, with nothing written, if anything is wrong.
    """
    detail: dict[str, Any] = {"file": filename[-100:], "dry_run": dry_run}
    try:
        with transaction.atomic():
            result = _run(filename, data, actor, dry_run, within, stage)
            detail.update(result.__dict__)
            record("register.imported", actor=actor, request=request, detail=detail)
    except IntegrityError as error:
        changed = refuse(0, _("The register changed during the import; upload the file again."))
        _record_refusal(detail, changed, actor, request)
        raise changed from error
    except ImportRefused as refused:
        _record_refusal(detail, refused, actor, request)
        raise
    return result


def _run(
    filename: str,
    data: bytes,
    actor: Actor | None,
    dry_run: bool,
    within: Callable[[str], bool] | None,
    stage: Stage,
) -> RegisterResult:
    stage("reading")
    table = read_table(filename, data, REGISTER)
    stage("checking")
    problems = Problems(REGISTER, table.headers)
    today = timezone.localdate()
    rows = [parse_row(line, values, problems, today) for line, values in table.rows]
    tag_book = TagBook()
    checked: Checked = check_rows(rows, problems, within, tag_book)
    households, people = find_existing(checked, problems, within)
    if problems.items:
        raise ImportRefused(problems.sorted())
    work = plan(checked, households, people, tag_book, "tags" in table.headers, actor)
    if dry_run:
        count_people(checked, work)
    else:
        stage("writing")
        write(checked, work)
    return work.result


def _record_refusal(
    detail: dict[str, Any], refused: ImportRefused, actor: Actor | None, request: HttpRequest | None
) -> None:
    detail["problems"] = len(refused.problems)
    record("register.imported", actor=actor, request=request, outcome="refused", detail=detail)
