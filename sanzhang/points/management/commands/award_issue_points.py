"""Give the points for every satisfied rating since a date that has none yet (idempotent)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from sanzhang.issues.models import IssueEvent
from sanzhang.points.hooks import award_for_rating
from sanzhang.points.periods import local_midnight


class Command(BaseCommand):
    help = "Award the points of satisfied ratings that have none (e.g. after an outage)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        since = options["since"] or timezone.localdate() - datetime.timedelta(days=31)
        ratings = IssueEvent.objects.filter(
            kind=IssueEvent.Kind.RATED_SATISFIED, at__gte=local_midnight(since)
        ).select_related("issue")
        given = 0
        for event in ratings.iterator(chunk_size=500):
            given += len(award_for_rating(event))
        self.stdout.write(f"{given}")
