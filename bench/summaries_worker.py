"""Serves one day's daily summaries (produce) on the database of VAR_DIR to bench.growth_side.

usage: python -m bench.summaries_worker serve [DAY]

Without DAY, the day is the summary day with the most issue events in the demo's last 30 days
(the demo's history ends when it was loaded: its latest event). The first line describes the
database (the day, its events, the summaries written); then each line read ("produce") times
one produce of the day, started with no summaries for it (deleted before the clock starts).
The day's summaries are deleted again at the end, leaving the database as it was.
"""

import datetime
import json
import os
import sys
import time
from collections import Counter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanzhang.settings")

import django

django.setup()

from django.db.models import Max  # noqa: E402

from sanzhang.issues.models import Issue, IssueEvent  # noqa: E402
from sanzhang.places.models import Place  # noqa: E402
from sanzhang.supervision.models import DailySummary  # noqa: E402
from sanzhang.supervision.summaries import day_of, produce, window  # noqa: E402


def busiest_day() -> datetime.date:
    loaded = IssueEvent.objects.aggregate(at=Max("at"))["at"]
    recent = IssueEvent.objects.filter(at__gt=loaded - datetime.timedelta(days=30))
    days = Counter(day_of(at) for at in recent.values_list("at", flat=True))
    days.pop(day_of(loaded), None)  # the day of the load is not over
    return max(days, key=lambda day: (days[day], day))


def timed_produce(day: datetime.date) -> tuple[float, int]:
    """Seconds one produce of `day` took, from no summaries for it; and how many it wrote."""
    DailySummary.objects.filter(day=day).delete()
    started = time.perf_counter()
    written = produce(day)
    return time.perf_counter() - started, written


def main() -> None:
    day = datetime.date.fromisoformat(sys.argv[2]) if len(sys.argv) > 2 else busiest_day()
    _seconds, written = timed_produce(day)
    start, end = window(day)
    print(json.dumps({
        "day": day.isoformat(),
        "written": written,
        "events": IssueEvent.objects.filter(at__gte=start, at__lt=end).count(),
        "issues": Issue.objects.count(),
        "places": Place.objects.count(),
    }), flush=True)  # fmt: skip
    try:
        for _line in sys.stdin:
            seconds, _written = timed_produce(day)
            print(json.dumps({"seconds": seconds}), flush=True)
    finally:
        DailySummary.objects.filter(day=day).delete()  # leave the database as it was


if __name__ == "__main__":
    main()
