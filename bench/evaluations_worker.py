"""Times the county's public evaluation results page for the county office on the database of
VAR_DIR, and the recount from the votes that closing a period makes; with `load`, writes the demo's
evaluation history first if the demo did not. Prints one JSON line."""

import json
import os
import random
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanzhang.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.common import force_login, median_seconds  # noqa: E402
from sanzhang.demo.accounts import ensure_demo_accounts  # noqa: E402
from sanzhang.demo.evaluations import load_evaluation_history  # noqa: E402
from sanzhang.demo.loader import SEED  # noqa: E402
from sanzhang.evaluations import services  # noqa: E402
from sanzhang.evaluations.models import Evaluation, Period, State  # noqa: E402


def results() -> dict:
    users = {account.username: user for account, user in ensure_demo_accounts()}
    period = Period.objects.get(state=State.CLOSED)
    url = f"/evaluations/{period.pk}/"
    client = Client(HTTP_HOST="127.0.0.1")
    force_login(client, users["office"])

    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    with CaptureQueriesContext(connection) as ctx:
        get()
    return {
        "queries": len(ctx.captured_queries),
        "page": median_seconds(get, repeat=9),
        "recount": median_seconds(lambda: services.count_votes(period), repeat=5),
        "votes": Evaluation.objects.count(),
        "holders": len(services.results_for(period)),
    }


def load() -> dict:
    """The demo's closed quarter, unless the demo loaded it already (it does since the loader
    writes its evaluations: a second quarter alike would be a second closed period)."""
    started = time.perf_counter()
    if not Period.objects.exists():
        with transaction.atomic():
            load_evaluation_history(random.Random(SEED + 14))  # nosec B311 # seeded demo data
    return {"seconds": time.perf_counter() - started}


if __name__ == "__main__":
    print(json.dumps(load() if sys.argv[1:] == ["load"] else results()))
