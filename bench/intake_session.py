"""Signs the demo resident in (a session in the database) and prints its cookies as JSON, with
the codes of their county's units."""

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanzhang.settings")

import django

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402

from sanzhang.demo.accounts import ensure_demo_accounts  # noqa: E402
from sanzhang.places.models import Place, PlaceKind  # noqa: E402

MAX_PLACES = 5000


def main() -> None:
    users = {account.username: user for account, user in ensure_demo_accounts()}
    resident = users["resident"]
    session = SessionStore()
    session[SESSION_KEY] = str(resident.pk)
    session[BACKEND_SESSION_KEY] = "sanzhang.access.backends.ScopedModelBackend"  # as a login
    session[HASH_SESSION_KEY] = resident.get_session_auth_hash()
    session.create()
    # The units of the resident's county, for reports spread over it (a place given each time).
    county = resident.person.household.place.code.split(".")[0]
    units = Place.objects.filter(code__under=county, kind=PlaceKind.UNIT, retired_at=None)
    codes = list(units.order_by("code").values_list("code", flat=True)[:MAX_PLACES])
    print(json.dumps({"session": session.session_key, "csrf": _get_new_csrf_string(),
                      "places": codes}))  # fmt: skip


if __name__ == "__main__":
    main()
