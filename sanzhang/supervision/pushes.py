"""Pushing each new daily summary to its place's WeChat Work group robot (where one is set)."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sanzhang.notifications.models import Delivery, Endpoint
from sanzhang.notifications.tasks import enqueue

from .models import DailySummary


def summary_text(summary: DailySummary) -> str:
    """The group message: the place's day in one line per figure (no names: groups are wide)."""
    figures = summary.figures
    with translation.override("zh-hans"):
        return "\n".join(
            [
                _("[Daily summary] %(place)s, %(day)s") % {
                    "place": summary.place.name, "day": summary.day.isoformat()
                },
                _("New %(new)s, solved %(solved)s, reopened %(reopened)s, declined %(declined)s")
                % figures,
                _("Open %(open)s, of which overdue %(overdue)s") % figures,
            ]
        )  # fmt: skip


def push_summaries(summaries: list[DailySummary]) -> int:
    """Write one outbox row per summary and robot; the worker sends them (once each)."""
    by_place = {s.place_id: s for s in summaries}
    robots = Endpoint.objects.filter(
        kind=Endpoint.Kind.WECOM_ROBOT, is_active=True, place_id__in=by_place
    )
    now = timezone.now()
    rows = [
        Delivery(
            endpoint=robot,
            subject=f"daily_summary:{by_place[robot.place_id].pk}",
            text=summary_text(by_place[robot.place_id]),
            next_attempt_at=now,
        )
        for robot in robots
    ]
    if not rows:
        return 0
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    subjects = [row.subject for row in rows]
    pending = Delivery.objects.filter(
        subject__in=subjects, status=Delivery.Status.PENDING
    ).values_list("pk", flat=True)
    for pk in pending:
        transaction.on_commit(partial(enqueue, pk))
    return len(rows)
