"""Pushing each new daily summary to its place's WeChat Work group robot (where one is set)."""

from __future__ import annotations

import datetime
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
                _("[Daily summary] %(place)s, %(day)s")
                % {"place": summary.place.name, "day": summary.day.isoformat()},
                _("New %(new)s, solved %(solved)s, reopened %(reopened)s, declined %(declined)s")
                % figures,
                _("Open %(open)s, of which overdue %(overdue)s") % figures,
            ]
        )


def push_summaries(day: datetime.date, place_ids: set[int]) -> int:
    """Write one outbox row per new summary and robot of its place; the worker sends them (each
    once: the subject is unique per channel)."""
    robots = list(
        Endpoint.objects.filter(kind=Endpoint.Kind.WECOM_ROBOT, is_active=True).filter(
            place_id__in=DailySummary.objects.filter(day=day).values("place_id")
        )
    )
    robots = [robot for robot in robots if robot.place_id in place_ids]
    if not robots:
        return 0
    summaries = {
        s.place_id: s
        for s in DailySummary.objects.filter(
            day=day, place_id__in={r.place_id for r in robots}
        ).select_related("place")
    }
    now = timezone.now()
    rows = [
        Delivery(
            endpoint=robot,
            subject=f"daily_summary:{summaries[robot.place_id].pk}",
            text=summary_text(summaries[robot.place_id]),
            next_attempt_at=now,
        )
        for robot in robots
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    pending = Delivery.objects.filter(
        subject__in=[row.subject for row in rows], status=Delivery.Status.PENDING
    ).values_list("pk", flat=True)
    for pk in pending:
        transaction.on_commit(partial(enqueue, pk))
    return len(rows)
