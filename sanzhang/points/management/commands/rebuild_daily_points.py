"""`manage.py rebuild_daily_points`: each person's points per day summed afresh from the ledger
(after a rolling upgrade to the release that added them, or a restore of the ledger alone)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sanzhang.points.daily import rebuild


class Command(BaseCommand):
    help = "Sum every person's points per day afresh from the points ledger."

    def handle(self, *args: Any, **options: Any) -> None:
        written = rebuild()
        self.stdout.write(f"{written} days of points written from the ledger")
