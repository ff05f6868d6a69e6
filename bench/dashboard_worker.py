"""Serves the county dashboard page (and, apart, its map's data) for the county office on the
database of VAR_DIR to bench.growth_side: its first line gives the issues, the events and
each page's queries; then one timed request per page name read."""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanzhang.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.common import force_login  # noqa: E402
from bench.growth_side import serve  # noqa: E402
from sanzhang.demo.accounts import ensure_demo_accounts  # noqa: E402
from sanzhang.issues.models import Issue, IssueEvent  # noqa: E402
from sanzhang.places.models import Place  # noqa: E402

URL = "/supervision/dashboard/{code}/"


def evening() -> None:
    """Make the last recorded evening's summaries again, from this database's issues."""
    from sanzhang.supervision.models import DailySummary
    from sanzhang.supervision.summaries import produce

    day = DailySummary.objects.order_by("-day").values_list("day", flat=True).first()
    if day is not None:
        DailySummary.objects.filter(day=day).delete()
        produce(day)
    print(json.dumps({"day": str(day)}))


def main() -> None:
    users = {account.username: user for account, user in ensure_demo_accounts()}
    county = Place.objects.get(parent=None)
    client = Client(HTTP_HOST="127.0.0.1")
    force_login(client, users["office"])
    info: dict = {"issues": Issue.objects.count(), "events": IssueEvent.objects.count()}
    pages = {}
    for name, url in {"page": URL, "map": f"{URL}map/"}.items():

        def get(url: str = url.format(code=county.code)) -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        get()  # the first request of a process also reads the tables it keeps in memory
        with CaptureQueriesContext(connection) as ctx:
            get()
        info[f"{name}_queries"] = len(ctx.captured_queries)
        pages[name] = get
    serve(info, pages)


if __name__ == "__main__":
    evening() if sys.argv[1:] == ["evening"] else main()
