"""Times the county dashboard page (and, apart, its map's data) for the county office on the
database of VAR_DIR; prints one JSON line."""

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanzhang.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.common import force_login, median_seconds  # noqa: E402
from sanzhang.demo.accounts import ensure_demo_accounts  # noqa: E402
from sanzhang.issues.models import Issue, IssueEvent  # noqa: E402
from sanzhang.places.models import Place  # noqa: E402

URL = "/supervision/dashboard/{code}/"


def main() -> None:
    users = {account.username: user for account, user in ensure_demo_accounts()}
    county = Place.objects.get(parent=None)
    client = Client(HTTP_HOST="127.0.0.1")
    force_login(client, users["office"])
    timings: dict = {}
    for name, url in {"page": URL, "map": f"{URL}map/"}.items():

        def get(url: str = url.format(code=county.code)) -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        with CaptureQueriesContext(connection) as ctx:
            get()
        timings[f"{name}_queries"] = len(ctx.captured_queries)
        timings[name] = median_seconds(get, repeat=9)
    timings["issues"] = Issue.objects.count()
    timings["events"] = IssueEvent.objects.count()
    print(json.dumps(timings))


if __name__ == "__main__":
    main()
