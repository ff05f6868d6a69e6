"""Times "my work" (/issues/) per role on the database of VAR_DIR; prints one JSON line."""

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanzhang.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.common import median_seconds  # noqa: E402
from sanzhang.demo.accounts import ensure_demo_accounts  # noqa: E402
from sanzhang.issues.models import Issue  # noqa: E402

ROLES = ("grid", "unit", "dept", "office")


def main() -> None:
    users = {account.username: user for account, user in ensure_demo_accounts()}
    timings: dict = {"queries": {}}
    for role in ROLES:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(users[role])

        def page(client: Client = client) -> None:
            response = client.get("/issues/")
            assert response.status_code == 200, response.status_code

        with CaptureQueriesContext(connection) as ctx:
            page()
        timings["queries"][role] = len(ctx.captured_queries)
        timings[role] = median_seconds(page, repeat=9)
    timings["issues"] = Issue.objects.count()
    print(json.dumps(timings))


if __name__ == "__main__":
    main()
