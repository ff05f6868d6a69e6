"""Serves the county office's pages and exports on the database of VAR_DIR to
bench.growth_side: its first line names the pages and gives each one's queries; then one
timed request per page name read."""

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
from sanzhang.places.models import Place  # noqa: E402
from sanzhang.supervision.models import MonthlyReport, RectificationList  # noqa: E402


def urls(code: str) -> dict[str, str]:
    """The pages an office opens that read what grows (issues, events, visits, points)."""
    pages = {
        "map": f"/supervision/dashboard/{code}/map/",
        "coverage": f"/visits/coverage/{code}/",
        "ranking": f"/points/ranking/{code}/",
        "ranking_xlsx": f"/points/ranking/{code}/export/",
        "dashboard_xlsx": f"/supervision/dashboard/{code}/export/",
        "daily_xlsx": f"/supervision/daily/{code}/export/",
    }
    monthly = MonthlyReport.objects.order_by("-pk").values_list("pk", flat=True).first()
    if monthly is not None:
        pages["monthly_xlsx"] = f"/supervision/monthly/{monthly}/xlsx/"
    weekly = RectificationList.objects.order_by("-pk").values_list("pk", flat=True).first()
    if weekly is not None:
        pages["rectification_xlsx"] = f"/supervision/weekly/{weekly}/export/"
    return pages


def main() -> None:
    users = {account.username: user for account, user in ensure_demo_accounts()}
    client = Client(HTTP_HOST="127.0.0.1")
    force_login(client, users["office"])
    county = Place.objects.get(parent=None)
    info: dict = {"pages": [], "queries": {}}
    pages = {}
    for name, url in urls(county.code).items():

        def get(url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            b"".join(response) if response.streaming else response.content  # read it all

        with CaptureQueriesContext(connection) as ctx:
            get()
        info["pages"].append(name)
        info["queries"][name] = len(ctx.captured_queries)
        pages[name] = get
    serve(info, pages)


if __name__ == "__main__":
    main()
