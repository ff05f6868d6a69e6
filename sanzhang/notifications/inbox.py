"""The notices a person reads (通知): their own rows, newest first, each with words and a link
to its subject, read once opened or all at once. Notices of an issue's step are worded when
read, in the reader's language; others carry their own words."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.actor import Actor
from sanzhang.access.roles import Can, can

from .models import Notification


@dataclass(frozen=True)
class Notice:
    pk: int
    text: str
    link: str
    at: object
    unread: bool


def notices_for(user: Actor) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related(
        "event__issue__place", "event__issue__category"
    )


def unread_count(user: Actor) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def shown(user: Actor, row: Notification) -> Notice:
    """The notice as its reader sees it: what happened, and where to look."""
    if row.event is None:
        text, link = row.text, row.link
    else:
        issue = row.event.issue
        text = _("Issue %(number)s (%(place)s): %(what)s") % {
            "number": issue.number,
            "place": issue.place.name,
            "what": row.event.get_kind_display(),
        }
        # Residents follow their report on their own pages; everyone else on the issue page.
        name = "resident:detail" if can(user, Can.ACT_AS_RESIDENT) else "issues:detail"
        link = reverse(name, args=[issue.number])
    return Notice(row.pk, text, link, row.created_at, row.read_at is None)


def mark_read(user: Actor, pk: int | None = None) -> int:
    """Mark one notice (or, with no `pk`, all) read; a notice already read keeps its time."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())
