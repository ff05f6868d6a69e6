"""Serves "my work" (/issues/) per role on the database of VAR_DIR to bench.growth_side:
its first line gives the issues, each page's queries and rows; then one timed request per
page name read."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanzhang.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.common import force_login  # noqa: E402
from bench.growth_side import serve  # noqa: E402
from sanzhang.demo.accounts import ensure_demo_accounts  # noqa: E402
from sanzhang.issues.models import Issue  # noqa: E402

ROLES = ("grid", "unit", "dept", "office")
PAGES = {role: "/issues/" for role in ROLES} | {"grid_all": "/issues/?all=1"}


def main() -> None:
    users = {account.username: user for account, user in ensure_demo_accounts()}
    info: dict = {"queries": {}, "rows": {}, "issues": Issue.objects.count()}
    pages = {}
    for name, url in PAGES.items():
        client = Client(HTTP_HOST="127.0.0.1")
        force_login(client, users[name.removesuffix("_all")])

        def page(client: Client = client, url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        info["queries"][name] = len(ctx.captured_queries)
        info["rows"][name] = response.content.decode().count('name="issue"')
        pages[name] = page
    serve(info, pages)


if __name__ == "__main__":
    main()
