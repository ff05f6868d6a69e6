"""The worker's share of the intake: one worker process writing the notices of the reports a
run queued (`issues.report_notices`), timed. Prints JSON: reports told, seconds.

    python -m bench.intake_notices   (run by bench/intake.py with its environment)
"""

from __future__ import annotations

import json
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.tasks import TaskResultStatus  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from sanzhang.issues.models import Issue  # noqa: E402
from sanzhang.issues.report_notices import tell_of_report  # noqa: E402


def main() -> None:
    queued = DBTaskResult.objects.filter(
        task_path=tell_of_report.module_path, status=TaskResultStatus.READY
    )
    count = queued.count()
    started = time.perf_counter()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    seconds = time.perf_counter() - started
    left = Issue.objects.filter(notices_pending=True).count()
    print(json.dumps({"told": count, "seconds": seconds, "left": left}))


if __name__ == "__main__":
    main()
