"""Times the county's fund balances page (this year) for the county office on the database of
VAR_DIR; with `load`, writes the demo's funds first if the database has none. Prints one JSON
line."""

import json
import os
import random
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanzhang.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import force_login, median_seconds  # noqa: E402
from sanzhang.demo.accounts import ensure_demo_accounts  # noqa: E402
from sanzhang.demo.funds import load_funds_history  # noqa: E402
from sanzhang.demo.loader import SEED  # noqa: E402
from sanzhang.funds.models import Account, Entry  # noqa: E402


def load() -> dict:
    if not Account.objects.exists():
        with transaction.atomic():
            load_funds_history(random.Random(SEED))  # nosec B311 # seeded demo data
    return {"entries": Entry.objects.count()}


def balances() -> dict:
    users = {account.username: user for account, user in ensure_demo_accounts()}
    url = f"/funds/?year={timezone.localdate().year}"
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
        "entries": Entry.objects.count(),
        "accounts": Account.objects.count(),
    }


if __name__ == "__main__":
    print(json.dumps(load() if sys.argv[1:] == ["load"] else balances()))
