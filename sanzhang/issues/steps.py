"""One request edge for an issue's steps: the page's form and the API's body both become a
`StepInput`, and `take_step` refuses a stale version and dispatches to the workflow, so the
same step is refused with the same status and message on pages and API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import Http404
from django.utils.translation import gettext as _

from sanzhang.access.scope import get_visible_or_404
from sanzhang.core.errors import Conflict, Invalid
from sanzhang.places.models import Place
from sanzhang.places.tree import normalise_code

from . import workflow
from .access import issues_visible_to
from .models import Category, Issue
from .suggest import category_at

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor


@dataclass(frozen=True)
class StepInput:
    """What a step may carry; each step reads the fields it needs."""

    note: str = ""
    reason: str = ""
    message: str = ""
    satisfied: bool | None = None
    tier: str = ""
    category: Category | None = None
    place: str = ""
    into: str = ""
    version: int | None = None  # the version the user saw; a newer one is refused


def _confirm(issue: Issue, user: Actor, step: StepInput) -> None:
    place = None
    if step.place:
        visible = Place.objects.visible_to(user)
        place = get_visible_or_404(visible, code=normalise_code(step.place))
    category = step.category
    if category is not None:  # the one in force where the issue now is (its county's own)
        category = category_at((place or issue.place).code, category.code)
        if category is None:
            raise Invalid(_("That category is not used at this place."))
    workflow.confirm(
        issue, user, tier=step.tier or None, category=category, place=place, note=step.note
    )


def _rate(issue: Issue, user: Actor, step: StepInput) -> None:
    if step.satisfied is None:
        raise Invalid(_("Say whether you are satisfied."))
    workflow.rate(issue, user, satisfied=step.satisfied, reason=step.reason)


def _merge(issue: Issue, user: Actor, step: StepInput) -> None:
    into = get_visible_or_404(issues_visible_to(user), number=step.into.strip())
    workflow.merge(issue, user, into=into, note=step.note)


STEPS: dict[str, Callable[[Issue, Any, StepInput], object]] = {
    "confirm": _confirm,
    "start": lambda issue, user, step: workflow.start(issue, user, note=step.note),
    "handle": lambda issue, user, step: workflow.handle(issue, user, note=step.note),
    "pass_inspection": lambda issue, user, step: workflow.pass_inspection(
        issue, user, note=step.note
    ),
    "send_back": lambda issue, user, step: workflow.send_back(issue, user, reason=step.reason),
    "feed_back": lambda issue, user, step: workflow.feed_back(issue, user, message=step.message),
    "rate": _rate,
    "return": lambda issue, user, step: workflow.return_misrouted(issue, user, reason=step.reason),
    "escalate": lambda issue, user, step: workflow.escalate(issue, user, reason=step.reason),
    "merge": _merge,
    "decline": lambda issue, user, step: workflow.decline(issue, user, reason=step.reason),
    "comment": lambda issue, user, step: workflow.comment(issue, user, note=step.note),
    "progress": lambda issue, user, step: workflow.report_progress(issue, user, note=step.note),
}


def take_step(issue: Issue, user: Actor, action: str, step: StepInput) -> None:
    """Take `action` on `issue` for `user`: 404 for an unknown action, `Conflict` for a page or
    app that saw an older version, else whatever the workflow says."""
    run = STEPS.get(action)
    if run is None:
        raise Http404
    if step.version is not None and step.version != issue.version:
        raise Conflict(
            _("Someone else acted on issue %(number)s just now; please look at it again.")
            % {"number": issue.number}
        )
    run(issue, user, step)
