"""The morning digest (每日待办摘要): each leader and staff member who asked for it is told, once
a day, what waits on them and what is overdue, in the app and by text through the SMS channel
over their place (never to a group chat: it is theirs alone). Nothing waits, nothing is sent."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext

from sanzhang.access.actor import Actor
from sanzhang.access.roles import Can, can
from sanzhang.access.scope import scope_codes
from sanzhang.issues.overdue import with_deadline_flag
from sanzhang.issues.worklist import waiting_on
from sanzhang.notifications.models import Endpoint, Notification, Preference
from sanzhang.notifications.services import tell
from sanzhang.people.models import Role

from .callbacks import callbacks_due
from .models import RectificationItem
from .rectification import responsible_filter


@dataclass(frozen=True)
class Waiting:
    issues: int = 0
    overdue: int = 0
    due_soon: int = 0
    items: int = 0
    items_overdue: int = 0
    callbacks: int = 0

    def __bool__(self) -> bool:
        return bool(self.issues or self.items or self.callbacks)


def waiting_for(user: Actor, today: datetime.date) -> Waiting:
    """What waits on `user` on the morning of `today`."""
    flags = with_deadline_flag(waiting_on(user)).aggregate(
        issues=Count("pk"),
        overdue=Count("pk", filter=Q(deadline_flag="overdue")),
        due_soon=Count("pk", filter=Q(deadline_flag="near")),
    )
    items = RectificationItem.objects.filter(
        responsible_filter(user), status=RectificationItem.Status.OPEN
    ).aggregate(items=Count("pk"), items_overdue=Count("pk", filter=Q(deadline__lt=today)))
    callbacks = callbacks_due(user).count() if can(user, Can.CALL_BACK_RESIDENTS) else 0
    return Waiting(**flags, **items, callbacks=callbacks)


def digest_text(waiting: Waiting, today: datetime.date) -> str:
    parts = [
        _("%(count)d reports wait on you (%(overdue)d overdue, %(soon)d due within a day)")
        % {"count": waiting.issues, "overdue": waiting.overdue, "soon": waiting.due_soon}
    ]
    if waiting.items:
        parts.append(
            _("%(count)d rectification items to answer (%(overdue)d past their deadline)")
            % {"count": waiting.items, "overdue": waiting.items_overdue}
        )
    if waiting.callbacks:
        parts.append(_("%(count)d residents to call back") % {"count": waiting.callbacks})
    heading = _("[三长联动] Waiting on you on %(day)s: ") % {"day": f"{today:%m-%d}"}
    return heading + pgettext("list separator", "; ").join(parts) + pgettext("full stop", ".")


def _place_code(user: Actor) -> str:
    """Where the user's SMS channel is looked for: their own area (empty for the whole tree)."""
    codes = scope_codes(user)
    if codes:
        return codes[0]
    organisation = getattr(user, "organisation", None)
    return organisation.place.code if organisation and organisation.place_id else ""


def send_digests(today: datetime.date) -> int:
    """Tell each user who asked for the digest what waits on them; once per user and day."""
    readers = Preference.objects.filter(daily_digest=True, user__is_active=True).exclude(
        user__role=Role.RESIDENT
    )
    sent = 0
    for preference in readers.select_related("user__organisation__place", "user__person"):
        user = preference.user
        subject = f"digest:{today:%Y%m%d}:{user.pk}"
        if Notification.objects.filter(subject=subject).exists():
            continue  # a second run of the same morning adds nothing
        waiting = waiting_for(user, today)
        if not waiting:
            continue
        with override("zh-hans"), transaction.atomic():  # the text goes to the phone as it is
            sent += tell(
                subject=subject,
                text=digest_text(waiting, today)[:300],
                link=reverse("issues:work"),
                place_code=_place_code(user),
                readers={user.pk: "digest"},
                channel_kinds=[Endpoint.Kind.SMS],
            )
    return sent


def send_for_period(period: datetime.datetime) -> str:
    """The scheduled run: the period starts at the digest hour of its morning."""
    day = timezone.localtime(period).date()
    return f"{day}: {send_digests(day)} digests"
