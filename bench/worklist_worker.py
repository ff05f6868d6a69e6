"""Times "my work" (/issues/) per role on the database of VAR_DIR; prints one JSON line."""

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
from sanzhang.issues.models import Issue  # noqa: E402

ROLES = ("grid", "unit", "dept", "office")
PAGES = {role: "/issues/" for role in ROLES} | {"grid_all": "/issues/?all=1"}


def response_rows(client: Client, url: str) -> int:
    """Issues listed on the page (the page holds at most 50)."""
    return client.get(url).content.decode().count('name="issue"')


def main() -> None:
    users = {account.username: user for account, user in ensure_demo_accounts()}
    timings: dict = {"queries": {}}
    for name, url in PAGES.items():
        role = name.removesuffix("_all")
        client = Client(HTTP_HOST="127.0.0.1")
        force_login(client, users[role])

        def page(client: Client = client, url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        with CaptureQueriesContext(connection) as ctx:
            page()
        timings["queries"][name] = len(ctx.captured_queries)
        timings[name] = median_seconds(page, repeat=9)
        timings.setdefault("rows", {})[name] = response_rows(client, url)
    timings["issues"] = Issue.objects.count()
    print(json.dumps(timings))


if __name__ == "__main__":
    main()
