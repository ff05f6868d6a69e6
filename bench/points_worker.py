"""Times a community's points ranking page (this year) for the county office on the database of
VAR_DIR; with `demo`, times writing the demo's points afresh instead. Prints one JSON line."""

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanzhang.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import force_login, median_seconds  # noqa: E402
from sanzhang.demo.accounts import ensure_demo_accounts  # noqa: E402
from sanzhang.demo.loader import SEED  # noqa: E402
from sanzhang.demo.points import load_points_history, remove_points  # noqa: E402
from sanzhang.places.models import Place  # noqa: E402
from sanzhang.points.models import DailyPoints, PointEntry  # noqa: E402
from sanzhang.points.ranking import members_under  # noqa: E402


def ranking() -> dict:
    users = {account.username: user for account, user in ensure_demo_accounts()}
    community = Place.objects.filter(kind="community").order_by("code").first()
    assert community is not None
    url = f"/points/ranking/{community.code}/?p={timezone.localdate().year}"
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
        "entries": PointEntry.objects.count(),
        "daily_rows": DailyPoints.objects.count(),
        "members": members_under(community).count(),
    }


def demo() -> dict:
    with transaction.atomic():
        remove_points()
        started = time.perf_counter()
        load_points_history(SEED)
        return {"seconds": time.perf_counter() - started}


if __name__ == "__main__":
    print(json.dumps(demo() if sys.argv[1:] == ["demo"] else ranking()))
