"""Moderation (审核): the county office hides a public report's words or one of its photos from
every public place (the board, the nearby reports residents may follow, printed notices,
Open311), with a reason on the timeline. Those working on the issue still see everything;
the reporter sees that it was hidden and why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, require
from sanzhang.audit.services import record
from sanzhang.core.errors import Invalid

from . import access
from .models import Issue, IssueEvent, IssuePhoto
from .workflow import add_note

if TYPE_CHECKING:
    from django.http import HttpRequest

    from sanzhang.access.actor import Actor

MAX_REASON = 500


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise Invalid(_("Give the reason for hiding it."))
    if len(reason) > MAX_REASON:
        raise Invalid(_("Please keep the reason under %(n)d characters.") % {"n": MAX_REASON})
    return reason


def _check(actor: Actor, issue: Issue) -> None:
    require(actor, Can.MODERATE_PUBLIC_REPORTS, _("Only the county office hides public words."))
    if not access.issues_visible_to(actor).filter(pk=issue.pk).exists():
        raise Invalid(_("This issue is outside your area."))


def hide_words(
    issue: Issue, actor: Actor, *, reason: str, request: HttpRequest | None = None
) -> IssueEvent:
    """Hide the report's words from the public; a second hiding is refused, not repeated."""
    _check(actor, issue)
    reason = _reason(reason)
    with transaction.atomic():
        if not Issue.objects.filter(pk=issue.pk, public_words_hidden=False).update(
            public_words_hidden=True
        ):
            raise Invalid(_("The words are already hidden."))
        issue.public_words_hidden = True
        event = add_note(
            issue, actor, kind=IssueEvent.Kind.MODERATED, note=reason, data={"hidden": "words"}
        )
        record(
            "issue.moderated", actor=actor, request=request, obj=issue, detail={"hidden": "words"}
        )
    return event


def hide_photo(
    issue: Issue,
    actor: Actor,
    *,
    photo_id: int,
    reason: str,
    request: HttpRequest | None = None,
) -> IssueEvent:
    """Hide one photo of the report from the public."""
    _check(actor, issue)
    reason = _reason(reason)
    if not issue.photos.filter(pk=photo_id).exists():
        raise Invalid(_("That photo is not one of this report's."))
    with transaction.atomic():
        if not IssuePhoto.objects.filter(pk=photo_id, issue=issue, hidden_from_public=False).update(
            hidden_from_public=True
        ):
            raise Invalid(_("That photo is already hidden."))
        detail = {"hidden": "photo", "photo": photo_id}
        event = add_note(issue, actor, kind=IssueEvent.Kind.MODERATED, note=reason, data=detail)
        record("issue.moderated", actor=actor, request=request, obj=issue, detail=detail)
    return event
